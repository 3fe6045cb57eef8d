/// Something bytes are appended to: the encoders (``appendInteger(_:to:)``, the loader's exact decimals) write
/// to either kind.
public protocol ByteSink {
    /// Appends one byte.
    mutating func append(_ byte: UInt8)
    /// Appends `bytes`.
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: ByteSink where Element == UInt8 {}

/// A growable byte buffer for hot paths (COPY rows, set payloads).
///
/// A class over one manually managed allocation: appending a byte is a bounds check and a store, with none
/// of the uniqueness checks an `Array` stored in a class pays on every append. The appends are inlinable, so
/// a caller's loop compiles them in place.
public final class ByteBuffer: ByteSink {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var length = 0
    @usableFromInline var capacity: Int

    /// An empty buffer with room for `capacity` bytes (it grows as needed).
    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The number of bytes appended so far.
    @inlinable public var count: Int { length }

    /// The bytes appended so far (valid until the next append or removal).
    @inlinable public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: length) }

    /// True when nothing is appended.
    @inlinable public var isEmpty: Bool { length == 0 }

    /// Appends one byte.
    @inlinable @inline(__always)
    public func append(_ byte: UInt8) {
        if length == capacity { grow(to: length + 1) }
        base[length] = byte
        length += 1
    }

    /// Appends `bytes`.
    @inlinable @inline(__always)
    public func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if length + bytes.count > capacity { grow(to: length + bytes.count) }
        (base + length).update(from: source, count: bytes.count)
        length += bytes.count
    }

    /// Appends the UTF-8 bytes of `text`.
    public func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends `bytes`.
    public func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends `bytes[range]` of another buffer.
    public func append(_ other: ByteBuffer, _ range: Range<Int>) {
        append(contentsOf: UnsafeBufferPointer(rebasing: other.bytes[range]))
    }

    /// Appends `value` in decimal, written in place.
    @inlinable @inline(__always)
    public func appendInteger(_ value: Int) {
        if length + 21 > capacity { grow(to: length + 21) }
        var v = value.magnitude
        if value < 0 { base[length] = 0x2D; length += 1 }
        var digits = 1
        var limit: UInt = 10
        while v >= limit, digits < 19 { digits += 1; limit &*= 10 }
        if v >= limit { digits += 1 }                                         // 20 digits (UInt.max range)
        var at = length + digits
        repeat { at -= 1; base[at] = UInt8(v % 10) + 0x30; v /= 10 } while v > 0
        length += digits
    }

    /// Appends `value` as `size` big-endian bytes (2, 4 or 8), as PostgreSQL's binary formats write integers.
    @inlinable @inline(__always)
    public func appendBigEndian(_ value: Int, size: Int) {
        if length + 8 > capacity { grow(to: length + 8) }
        let at = UnsafeMutableRawPointer(base + length)
        switch size {
        case 2: at.storeBytes(of: UInt16(truncatingIfNeeded: value).bigEndian, as: UInt16.self)
        case 4: at.storeBytes(of: UInt32(truncatingIfNeeded: value).bigEndian, as: UInt32.self)
        default: at.storeBytes(of: UInt64(truncatingIfNeeded: value).bigEndian, as: UInt64.self)
        }
        length += size
    }

    /// Drops everything from `count` on.
    @inlinable
    public func removeLast(from count: Int) {
        precondition(count >= 0 && count <= length)
        length = count
    }

    /// Drops everything, keeping the allocation.
    @inlinable
    public func removeAll() { length = 0 }

    @usableFromInline
    func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        fresh.update(from: base, count: length)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }
}

/// Appends `value` in decimal to `out`.
@inlinable @inline(__always)
public func appendInteger<Sink: ByteSink>(_ value: Int, to out: inout Sink) {
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
