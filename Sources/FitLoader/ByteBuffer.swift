/// Something bytes are appended to: the encoders (``appendInteger(_:to:)``, ``ExactDecimal``) write to
/// either kind.
protocol ByteSink {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {}

/// A growable byte buffer for the loader's hot path (COPY rows, set payloads).
///
/// A class over one manually managed allocation: appending a byte is a bounds check and a store, with none
/// of the uniqueness checks an `Array` stored in a class pays on every append.
final class ByteBuffer: ByteSink {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes appended so far (valid until the next append or removal).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends the UTF-8 bytes of `text`.
    func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends `bytes[range]` of another buffer.
    func append(_ other: ByteBuffer, _ range: Range<Int>) {
        append(contentsOf: UnsafeBufferPointer(rebasing: other.bytes[range]))
    }

    /// Appends `value` in decimal, written in place.
    @inline(__always)
    func appendInteger(_ value: Int) {
        if count + 21 > capacity { grow(to: count + 21) }
        var v = value.magnitude
        if value < 0 { base[count] = 0x2D; count += 1 }
        var digits = 1
        var limit: UInt = 10
        while v >= limit, digits < 19 { digits += 1; limit &*= 10 }
        if v >= limit { digits += 1 }                                         // 20 digits (UInt.max range)
        var at = count + digits
        repeat { at -= 1; base[at] = UInt8(v % 10) + 0x30; v /= 10 } while v > 0
        count += digits
    }

    /// Appends `value` as `size` big-endian bytes (2, 4 or 8), as PostgreSQL's binary formats write integers.
    @inline(__always)
    func appendBigEndian(_ value: Int, size: Int) {
        if count + 8 > capacity { grow(to: count + 8) }
        let at = UnsafeMutableRawPointer(base + count)
        switch size {
        case 2: at.storeBytes(of: UInt16(truncatingIfNeeded: value).bigEndian, as: UInt16.self)
        case 4: at.storeBytes(of: UInt32(truncatingIfNeeded: value).bigEndian, as: UInt32.self)
        default: at.storeBytes(of: UInt64(truncatingIfNeeded: value).bigEndian, as: UInt64.self)
        }
        count += size
    }

    /// Drops everything from `count` on.
    func removeLast(from count: Int) {
        precondition(count >= 0 && count <= self.count)
        self.count = count
    }

    func removeAll() { count = 0 }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }
}

/// Appends `value` in decimal to `out`.
@inline(__always)
func appendInteger<Sink: ByteSink>(_ value: Int, to out: inout Sink) {
    if value < 0 { out.append(0x2D) }
    var v = value.magnitude
    if v < 10 { out.append(UInt8(v) + 0x30); return }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = 20
    withUnsafeMutableBytes(of: &digits) { raw in
        let d = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while v > 0 { n -= 1; d[n] = UInt8(v % 10) + 0x30; v /= 10 }
        out.append(contentsOf: UnsafeBufferPointer(start: d + n, count: 20 - n))
    }
}
