/// Lower-case hex encoding (digests, `bytea`, JSON escapes): the project's one hex encoder.
/// String(format:) is far too slow for one call per workout.
public enum Hex {
    /// The sixteen digits, `0`–`9` then `a`–`f`.
    public static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends the two hex digits of every byte of `bytes` to `out`.
    @inlinable
    public static func appendLowercase<D: Sequence, Sink: ByteSink>(_ bytes: D, to out: inout Sink) where D.Element == UInt8 {
        let d = digits
        for b in bytes { out.append(d[Int(b >> 4)]); out.append(d[Int(b & 0x0F)]) }
    }

    /// `bytes` as lower-case hex text, two digits a byte (inlinable: specialized for the caller's digest type, which
    /// unspecialized costs thousands of instructions a digest).
    @inlinable
    public static func lowercase<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        appendLowercase(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
