import Foundation
import Crypto

/// The parts of an HTTP request that Signature Version 4 covers, as they go on the wire.
struct SigV4Request: Sendable {
    var method: String
    /// The path as sent (already percent-encoded once; `/` when empty).
    var path: String
    /// The query as sent, without the `?` (nil or empty when there is none).
    var query: String?
    /// Header names and values in the order given; a name may repeat.
    var headers: [(name: String, value: String)]
}

/// How one service expects requests to be canonicalised.
struct SigV4Options: Sendable {
    /// Remove `.`/`..` segments and repeated slashes from the path (every service but S3).
    var normalizePath = true
    /// URI-encode the (already encoded) path once more (every service but S3, whose canonical path is
    /// the decoded path encoded once, however the client escaped it).
    var encodePathAgain = true
    /// Add and sign `x-amz-content-sha256` with the payload hash (S3 requires it).
    var addContentSHA256 = false
    /// Sign `x-amz-security-token`; false adds it after signing (a few services want that).
    var signSessionToken = true

    /// The rules of `service` (`s3` differs from the rest).
    static func forService(_ service: String) -> SigV4Options {
        service == "s3"
            ? SigV4Options(normalizePath: false, encodePathAgain: false, addContentSHA256: true)
            : SigV4Options()
    }
}

/// The canonical forms SigV4 hashes: path, query, headers, and the request built from them.
enum SigV4Canonical {
    /// Headers never signed: a proxy or the HTTP stack may add or change them on the way.
    static let unsignedHeaders: Set<String> = [
        "authorization", "user-agent", "expect", "x-amzn-trace-id", "connection", "transfer-encoding",
    ]

    /// The canonical URI: the wire path, normalised and encoded again (or, for S3, encoded once) as `options` say.
    static func path(_ path: String, options: SigV4Options) -> String {
        var p = path.isEmpty ? "/" : path
        if options.normalizePath { p = normalized(p) }
        return uriEncode(options.encodePathAgain ? p : percentDecoded(p), keepSlash: true)
    }

    /// `path` without empty or `.` segments and with each `..` removing its parent; a trailing slash is kept.
    static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            switch part {
            case "", ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(part)
            }
        }
        if segments.isEmpty { return "/" }
        let trailing = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
        return "/" + segments.joined(separator: "/") + (trailing ? "/" : "")
    }

    /// The canonical query: each name and value decoded, re-encoded with AWS's rules, sorted by name then value.
    static func query(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        let pairs: [(String, String)] = query.split(separator: "&").map { piece in
            let (name, value): (Substring, Substring)
            if let eq = piece.firstIndex(of: "=") {
                (name, value) = (piece[..<eq], piece[piece.index(after: eq)...])
            } else {
                (name, value) = (piece, "")
            }
            return (uriEncode(percentDecoded(name), keepSlash: false), uriEncode(percentDecoded(value), keepSlash: false))
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-cased names with their trimmed, space-collapsed values (repeats joined by `,`), sorted by name.
    static func headers(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if unsignedHeaders.contains(key) { continue }
            merged[key, default: []].append(collapsed(value))
        }
        return merged.keys.sorted().map { ($0, merged[$0]!.joined(separator: ",")) }
    }

    /// `value` trimmed, with each run of whitespace (folded lines included) replaced by one space.
    static func collapsed(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .joined(separator: " ")
    }

    /// The canonical request text and the `SignedHeaders` list.
    static func request(_ request: SigV4Request, payloadHash: String, options: SigV4Options) -> (text: String, signedHeaders: String) {
        let canonicalHeaders = headers(request.headers)
        let signed = canonicalHeaders.map(\.name).joined(separator: ";")
        let text = [
            request.method.uppercased(),
            path(request.path, options: options),
            query(request.query),
            canonicalHeaders.map { "\($0.name):\($0.value)\n" }.joined(),
            signed,
            payloadHash,
        ].joined(separator: "\n")
        return (text, signed)
    }

    /// RFC 3986 encoding as AWS specifies it: every byte but `A-Z a-z 0-9 - . _ ~` (and `/` when kept) as `%XX`.
    static func uriEncode<S: StringProtocol>(_ text: S, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += "%" + hexByte(byte, upper: true)
            }
        }
        return out
    }

    /// `text` with each valid `%XX` replaced by its byte (`+` stays `+`); invalid escapes are kept as they are.
    static func percentDecoded<S: StringProtocol>(_ text: S) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return String(text) }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func hexByte(_ byte: UInt8, upper: Bool) -> String {
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }

    /// Lower-case hex of `bytes`.
    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { hexByte($0, upper: false) }.joined()
    }

    /// Lower-case hex SHA-256 of `data`.
    static func sha256Hex(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }
}
