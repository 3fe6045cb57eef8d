import Foundation

/// Removes database passwords from text that may echo a connection string (libpq's own messages included).
///
/// The one home of password redaction for URLs (`postgres://user:password@host/db`, `?password=…`) and
/// `key=value` conninfo strings (`password=…`, quoted or bare). Every error path that can carry a conninfo
/// passes its text through ``redact(_:conninfo:)``.
public enum ConninfoRedaction {
    /// What a password is replaced with.
    public static let mask = "***"

    /// Returns `text` with every password found in `conninfo` (as written and percent-decoded) replaced by
    /// ``mask``, and with the password part of any URL or `password=` setting that `text` itself contains masked.
    public static func redact(_ text: String, conninfo: String?) -> String {
        var out = text
        let found = conninfo.map(secrets(in:)) ?? []
        for secret in found.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            out = out.replacingOccurrences(of: secret, with: mask)
        }
        return redactPatterns(out)
    }

    /// The password values a conninfo string or URL holds, as written and percent-decoded.
    ///
    /// Malformed input is read generously (several candidate spans): masking too much is harmless, leaking is not.
    public static func secrets(in conninfo: String) -> [String] {
        var raw: [String] = []
        let lower = conninfo.lowercased()
        if let schemeEnd = lower.range(of: "://") {
            let rest = conninfo[schemeEnd.upperBound...]
            if let colon = rest.firstIndex(of: ":") {
                let afterColon = rest[rest.index(after: colon)...]
                // The userinfo ends at an '@'; a malformed URL may hold several, or a '/' inside the password.
                if let firstAt = afterColon.firstIndex(of: "@") { raw.append(String(afterColon[..<firstAt])) }
                if let lastAt = afterColon.lastIndex(of: "@") { raw.append(String(afterColon[..<lastAt])) }
            }
        }
        raw += keywordValues(conninfo)
        var all: [String] = []
        for r in raw where !r.isEmpty {
            all.append(r)
            if let decoded = r.removingPercentEncoding, decoded != r, !decoded.isEmpty { all.append(decoded) }
        }
        return Array(Set(all))
    }

    /// Values of `password` settings: `password=v`, `password = 'v w'`, and URL query `?password=v&…`.
    private static func keywordValues(_ s: String) -> [String] {
        let chars = Array(s)
        let lowerChars = Array(s.lowercased())
        let key = Array("password")
        var values: [String] = []
        var i = 0
        while i + key.count <= lowerChars.count {
            guard Array(lowerChars[i..<(i + key.count)]) == key else { i += 1; continue }
            var j = i + key.count
            while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
            guard j < chars.count, chars[j] == "=" else { i += 1; continue }
            j += 1
            while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
            var value = ""
            if j < chars.count, chars[j] == "'" {
                j += 1
                while j < chars.count, chars[j] != "'" {
                    if chars[j] == "\\", j + 1 < chars.count { j += 1 }
                    value.append(chars[j]); j += 1
                }
                // The quoted text as written (with its escapes) may be echoed too.
                if let open = chars[i...].firstIndex(of: "'") { values.append(String(chars[(open + 1)..<min(j, chars.count)])) }
            } else {
                while j < chars.count, !chars[j].isWhitespace, chars[j] != "&" { value.append(chars[j]); j += 1 }
                // In a URL query a '#' or a space may also end it; keep the longest reading as well.
                var k = j
                var longer = value
                while k < chars.count, !chars[k].isWhitespace { longer.append(chars[k]); k += 1 }
                if longer != value { values.append(longer) }
            }
            values.append(value)
            i = j
        }
        return values
    }

    private static let urlPassword = try! NSRegularExpression(
        pattern: #"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s"'\[]*):[^\s"']*@"#)
    private static let keywordPassword = try! NSRegularExpression(
        pattern: #"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&"]*)"#)

    /// Masks URL userinfo passwords and `password=` values written anywhere in `text`.
    private static func redactPatterns(_ text: String) -> String {
        var out = text
        for (regex, template) in [(urlPassword, "$1:\(mask)@"), (keywordPassword, "$1\(mask)")] {
            out = regex.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: template)
        }
        return out
    }
}
