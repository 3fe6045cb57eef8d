/// How values print: Python's `str()` for output and `repr()` inside lists, tuples and dicts.
extension Value {
    /// Python's `str()` of the value (what `{{ }}` writes).
    public var pythonString: String {
        switch self {
        case .undefined: return ""
        case .string(let s): return s
        case .object(let o): return o.stringValue
        default: return pythonRepr
        }
    }

    /// Python's `repr()`.
    public var pythonRepr: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return Value.formatDouble(d)
        case .string(let s): return Value.reprString(s)
        case .list(let l): return "[" + l.items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let t):
            if t.count == 1 { return "(" + t[0].pythonRepr + ",)" }
            return "(" + t.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .dict(let d): return "{" + d.entries.map { $0.key.pythonRepr + ": " + $0.value.pythonRepr }.joined(separator: ", ") + "}"
        case .callable(let c): return c.isMacro ? "<Macro '\(c.name)'>" : "<function \(c.name)>"
        case .object(let o): return (o as? any ReprJinjaObject)?.reprValue ?? o.stringValue
        }
    }

    /// Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the shortest round-trip digits; re-layout them the Python way.
        var s = "\(d.magnitude)"
        var exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exp = Int(s[s.index(after: e)...])!
            s = String(s[..<e])
        }
        var intPart = s
        var frac = ""
        if let dot = s.firstIndex(of: ".") {
            intPart = String(s[..<dot])
            frac = String(s[s.index(after: dot)...])
        }
        var digits = intPart + frac
        var pointPos = intPart.count + exp  // position of the decimal point within digits
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); pointPos -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let decimalExp = pointPos - 1
        let sign = d < 0 ? "-" : ""
        if decimalExp < -4 || decimalExp >= 16 {
            var mant = String(digits.first!)
            if digits.count > 1 { mant += "." + digits.dropFirst() }
            let e = decimalExp < 0 ? "-" + (abs(decimalExp) < 10 ? "0" : "") + String(abs(decimalExp))
                                   : "+" + (decimalExp < 10 ? "0" : "") + String(decimalExp)
            return sign + mant + "e" + e
        }
        if pointPos <= 0 { return sign + "0." + String(repeating: "0", count: -pointPos) + digits }
        if pointPos >= digits.count { return sign + digits + String(repeating: "0", count: pointPos - digits.count) + ".0" }
        let idx = digits.index(digits.startIndex, offsetBy: pointPos)
        return sign + digits[..<idx] + "." + digits[idx...]
    }

    /// Python's `repr(str)`: single quotes unless the text holds `'` and no `"`; `\\`, `\n`, `\r`, `\t`, the quote
    /// and other control characters escaped. Every escaped character is ASCII, so the walk is over UTF-8 bytes (other
    /// bytes, non-ASCII text included, are copied as they are).
    static func reprString(_ s: String) -> String {
        let utf8 = s.utf8
        let quote: UInt8 = utf8.contains(UInt8(ascii: "'")) && !utf8.contains(UInt8(ascii: "\"")) ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 2)
        out.append(quote)
        let backslash = UInt8(ascii: "\\")
        for b in utf8 {
            switch b {
            case backslash: out.append(backslash); out.append(backslash)
            case 0x0A: out.append(backslash); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(backslash); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(backslash); out.append(UInt8(ascii: "t"))
            case quote: out.append(backslash); out.append(quote)
            case 0..<0x20, 0x7f:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(backslash); out.append(UInt8(ascii: "x"))
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0x0f)])
            default: out.append(b)
            }
        }
        out.append(quote)
        return String(decoding: out, as: UTF8.self)
    }

    /// JSON text of the value the way Jinja's `tojson` writes it (`json.dumps(sort_keys=True)` then `<>&'` escaped).
    func json(indent: Int?, level: Int = 0) throws -> String {
        func str(_ s: String) -> String {
            var out = "\""
            for ch in s.unicodeScalars {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "<": out += "\\u003c"
                case ">": out += "\\u003e"
                case "&": out += "\\u0026"
                case "'": out += "\\u0027"
                default:
                    if ch.value < 0x20 || ch.value >= 0x7f {
                        if ch.value > 0xFFFF {
                            let v = ch.value - 0x10000
                            out += jsonEscape4(0xD800 + (v >> 10)) + jsonEscape4(0xDC00 + (v & 0x3FF))
                        } else { out += jsonEscape4(ch.value) }
                    } else { out.unicodeScalars.append(ch) }
                }
            }
            return out + "\""
        }
        let nl = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) }
        let close = indent.map { "\n" + String(repeating: " ", count: $0 * level) } ?? ""
        let sep = indent == nil ? ", " : ","
        switch self {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return Value.formatDouble(d)
        case .string(let s): return str(s)
        case .list(let l): return try Value.tuple(l.items).json(indent: indent, level: level)
        case .tuple(let items):
            if items.isEmpty { return "[]" }
            return "[" + (nl ?? "") + (try items.map { try $0.json(indent: indent, level: level + 1) }.joined(separator: sep + (nl ?? ""))) + close + "]"
        case .dict(let d):
            if d.count == 0 { return "{}" }
            var pairs: [(String, Value)] = []
            for (k, v) in d.entries {
                switch k {
                case .string(let s): pairs.append((s, v))
                case .int, .double, .bool, .none: pairs.append((k.pythonJSONKey, v))
                default: throw JinjaError.runtime("keys must be str, int, float, bool or None, not \(k.typeName)")
                }
            }
            pairs.sort { $0.0 < $1.0 }
            let body = try pairs.map { str($0.0) + ": " + (try $0.1.json(indent: indent, level: level + 1)) }
            return "{" + (nl ?? "") + body.joined(separator: sep + (nl ?? "")) + close + "}"
        case .undefined(let n): throw JinjaError.undefined("'\(n)' is undefined")
        default: throw JinjaError.runtime("Object of type \(typeName) is not JSON serializable")
        }
    }

    private var pythonJSONKey: String {
        switch self {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        default: return pythonString
        }
    }
}

/// `\uXXXX` with four lowercase hex digits.
func jsonEscape4(_ v: UInt32) -> String {
    let h = String(v, radix: 16)
    return "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
}
