import Foundation

/// Removes a secret from any text before it is printed or stored.
public struct SecretRedactor: Sendable {
    let secrets: [String]

    /// Redacts every non-trivial string in `secrets`.
    public init(secrets: [String]) {
        self.secrets = secrets.filter { $0.count >= 4 }
    }

    /// `text` with each secret replaced by `[redacted]`.
    public func callAsFunction(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
    }

    /// A JSON text with each secret replaced by `[redacted]` inside every string (values and keys), however
    /// the server escaped it (`\u0041` for `A` …); everything else, numbers included, is kept byte for byte.
    ///
    /// A string holding a secret is written back with the standard escapes. Text that is not JSON is
    /// redacted where the secret appears literally.
    public func redactJSON(_ data: Data) -> Data {
        let needles = secrets.map { Array($0.utf8) }
        guard !needles.isEmpty else { return data }
        let bytes = [UInt8](data)
        let backslash = UInt8(ascii: "\\"), quote = UInt8(ascii: "\"")
        if !bytes.contains(backslash) && !needles.contains(where: { Self.find($0, in: bytes[...]) }) { return data }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == quote else { out.append(bytes[i]); i += 1; continue }
            var j = i + 1, escaped = false
            while j < bytes.count && bytes[j] != quote {
                if bytes[j] == backslash { escaped = true; j += 2 } else { j += 1 }
            }
            guard j < bytes.count else {   // an unterminated string: not JSON
                out += Array(self(String(decoding: bytes[i...], as: UTF8.self)).utf8)
                break
            }
            let token = bytes[i...j]
            if escaped || needles.contains(where: { Self.find($0, in: token) }),
               let value = try? JSONSerialization.jsonObject(with: Data(token), options: .fragmentsAllowed) as? String,
               case let clean = self(value), clean != value,
               let encoded = try? Self.jsonString(clean) {
                out += encoded
            } else {
                out += token
            }
            i = j + 1
        }
        return Data(out)
    }

    private static func jsonString(_ text: String) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return try e.encode(text)
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
