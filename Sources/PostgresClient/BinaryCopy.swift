/// Fields of PostgreSQL's binary COPY format (`COPY … FROM STDIN WITH (FORMAT binary)`): every field is a
/// 32-bit big-endian length (-1 for NULL) followed by the type's binary ("send") representation.
///
/// Sending sets this way spares the server parsing text for every integer and numeric (measured with
/// cachegrind: 14 % fewer server instructions for a COPY into `core.sets`).
public enum BinaryCopy {
    /// The stream's header: signature, flags, header-extension length.
    public static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The stream's trailer: a tuple with field count -1.
    public static let trailer: [UInt8] = [0xFF, 0xFF]

    /// Starts a tuple of `fields` fields.
    @inlinable @inline(__always)
    public static func beginRow(_ fields: Int, in out: ByteBuffer) { out.appendBigEndian(fields, size: 2) }

    /// A NULL field.
    @inlinable @inline(__always)
    public static func null(_ out: ByteBuffer) { out.appendBigEndian(-1, size: 4) }

    /// An `int4` field.
    @inlinable @inline(__always)
    public static func int4(_ value: Int, _ out: ByteBuffer) { out.appendBigEndian(4, size: 4); out.appendBigEndian(value, size: 4) }

    /// An `int8` field.
    @inlinable @inline(__always)
    public static func int8(_ value: Int, _ out: ByteBuffer) { out.appendBigEndian(8, size: 4); out.appendBigEndian(value, size: 8) }

    /// A `text` field from UTF-8 bytes.
    @inlinable @inline(__always)
    public static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ out: ByteBuffer) {
        out.appendBigEndian(bytes.count, size: 4)
        out.append(contentsOf: bytes)
    }

    /// A `numeric` field from a plain decimal text (`-12.50`, `+3`, `.5`, `0012`), with the display scale
    /// `numeric_in` would give it (the digits after the point, trailing zeros included).
    ///
    /// The layout is `numeric_send`'s: digit count, weight, sign and display scale (16 bits each), then the
    /// base-10,000 digits, most significant first, without leading or trailing zero digits; weight is the
    /// power of 10,000 of the first digit. Returns false (nothing written) when `text` is not a plain decimal.
    @inlinable
    public static func numeric(_ text: UnsafeBufferPointer<UInt8>, _ out: ByteBuffer) -> Bool {
        let n = text.count
        var i = 0
        var negative = false
        if i < n, text[i] == 0x2D || text[i] == 0x2B { negative = text[i] == 0x2D; i += 1 }
        let intStart = i
        while i < n, text[i] >= 0x30, text[i] <= 0x39 { i += 1 }
        let intEnd = i
        var fracStart = i, fracEnd = i
        if i < n, text[i] == 0x2E {
            i += 1; fracStart = i
            while i < n, text[i] >= 0x30, text[i] <= 0x39 { i += 1 }
            fracEnd = i
        }
        guard i == n, intEnd > intStart || fracEnd > fracStart else { return false }
        var first = intStart
        while first < intEnd, text[first] == 0x30 { first += 1 }
        let intDigits = intEnd - first
        let dscale = fracEnd - fracStart
        guard dscale <= 0x3FFF else { return false }
        let intGroups = (intDigits + 3) / 4
        let fracGroups = (dscale + 3) / 4
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: intGroups + fracGroups + 1) { groups in
            var g = 0
            // integer digits, grouped from the point leftwards: the first group takes the remainder
            var at = first
            var width = intDigits - 4 * (intGroups - 1)
            for _ in 0..<intGroups {
                var v = 0
                for _ in 0..<width { v = v * 10 + Int(text[at] - 0x30); at += 1 }
                groups[g] = v; g += 1
                width = 4
            }
            // fraction digits, grouped from the point rightwards, the last group padded with zeros
            at = fracStart
            for _ in 0..<fracGroups {
                var v = 0
                for _ in 0..<4 {
                    v = v * 10
                    if at < fracEnd { v += Int(text[at] - 0x30); at += 1 }
                }
                groups[g] = v; g += 1
            }
            var lo = 0, hi = g
            var weight = intGroups - 1
            while lo < hi, groups[lo] == 0 { lo += 1; weight -= 1 }
            while hi > lo, groups[hi - 1] == 0 { hi -= 1 }
            let digits = hi - lo
            if digits == 0 { weight = 0; negative = false }
            out.appendBigEndian(8 + 2 * digits, size: 4)
            out.appendBigEndian(digits, size: 2)
            out.appendBigEndian(weight, size: 2)
            out.appendBigEndian(negative ? 0x4000 : 0, size: 2)
            out.appendBigEndian(dscale, size: 2)
            for k in lo..<hi { out.appendBigEndian(groups[k], size: 2) }
            return true
        }
    }
}
