#if canImport(Glibc)
import Glibc
#endif

/// Strict readers for CSV field bytes: `.` decimals only, no thousands separators, no exponents.
///
/// They work on the reader's buffer in place, so a million rows make no strings for their numbers.
enum FieldParsing {
    /// `bytes` without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        if lo == 0, hi == bytes.count { return bytes }
        return UnsafeBufferPointer(rebasing: bytes[lo..<hi])
    }

    /// A plain decimal such as `-12`, `+3`, `251.33`, `.5`.
    struct Decimal {
        var value: Double
    }

    /// The decimal in `bytes`, or nil when it is not a plain decimal.
    @inline(__always)
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == 0x2D || bytes[i] == 0x2B { negative = bytes[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, scale = 0, significant = 0
        var dot = false
        var exact = true
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x30, b <= 0x39 {
                digits += 1
                if dot { scale += 1 }
                if significant < 18 {
                    mantissa = mantissa * 10 + UInt64(b - 0x30)
                    if mantissa > 0 { significant += 1 }
                } else {
                    exact = false                                     // only for absurdly long inputs
                }
            } else if b == 0x2E, !dot {
                dot = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        var value = Double(mantissa)
        if exact {
            var divisor = 1.0
            for _ in 0..<scale { divisor *= 10 }
            value /= divisor
        } else {
            value = Double(String(decoding: bytes, as: UTF8.self).filter { $0 != "+" }) ?? value
        }
        return Decimal(value: negative ? -value : value)
    }

    /// The integer in `bytes` (also `12.0`), or nil.
    @inline(__always)
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        // the common case, up to 9 plain digits, without going through a Double
        if bytes.count > 0, bytes.count <= 9 {
            var v = 0
            var plain = true
            for b in bytes {
                guard b >= 0x30, b <= 0x39 else { plain = false; break }
                v = v * 10 + Int(b - 0x30)
            }
            if plain { return v }
        }
        guard let d = decimal(bytes), d.value == d.value.rounded(), abs(d.value) < 1e9 else { return nil }
        return Int(d.value)
    }

    /// True when `bytes` equal `word` ignoring ASCII case (`word` is lower-case).
    @inline(__always)
    static func equalsLowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<bytes.count {
            var b = bytes[i]
            if b >= 0x41, b <= 0x5A { b += 0x20 }
            if b != w[i] { return false }
        }
        return true
    }

    /// The bytes as a string.
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// Remembers one field's last bytes and the value made from them, so a field that repeats on
/// every set row of a workout (dates, titles, notes) is turned into a value once per change.
struct FieldMemo<Value> {
    private var last: [UInt8] = []
    private var valid = false
    /// The value made from the last distinct bytes.
    private(set) var value: Value

    init(_ initial: Value) { value = initial }

    /// Takes `bytes`; calls `make` only when they differ from the previous call's. True when changed.
    @inline(__always)
    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>, _ make: (UnsafeBufferPointer<UInt8>) -> Value) -> Bool {
        if valid, bytes.count == last.count {
            let same = bytes.count == 0 || last.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
            if same { return false }
        }
        last.removeAll(keepingCapacity: true)
        last.append(contentsOf: bytes)
        valid = true
        value = make(bytes)
        return true
    }
}
