/// JSON string literals, for `jsonb` values and the runner's artifacts: the project's one JSON string escaper.
public enum JSONText {
    /// `s` as a JSON string literal: quotes and backslashes escaped, `\n`, `\r`, `\t` by name, other control
    /// characters as `\u00XX`; everything else (non-ASCII included) as it is.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal (the bytes of ``quote(_:)``) to `out`: unescaped runs are copied whole.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            var run = 0
            for i in 0..<buf.count {
                let b = buf[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<i])) }
                run = i + 1
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
                case UInt8(ascii: "\\"): out.append(b); out.append(b)
                case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                default:
                    for c in "\\u00".utf8 { out.append(c) }
                    Hex.appendLowercase(CollectionOfOne(b), to: &out)
                }
            }
            if buf.count > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run..<buf.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
