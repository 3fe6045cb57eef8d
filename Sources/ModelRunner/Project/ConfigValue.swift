import Foundation
import PostgresClient
import Yams

/// A JSON-like value from YAML, `--vars` or a template's `config(...)` call; mappings keep their order.
public indirect enum ConfigValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    case dict([(String, ConfigValue)])

    public static func == (a: ConfigValue, b: ConfigValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.int(x), .double(y)), let (.double(y), .int(x)): return Double(x) == y
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x == y
        case let (.dict(x), .dict(y)):
            guard x.count == y.count else { return false }
            let ym = Dictionary(y, uniquingKeysWith: { _, l in l })
            return x.allSatisfy { ym[$0.0] == $0.1 }
        default: return false
        }
    }

    /// The value for `key` in a mapping.
    public subscript(key: String) -> ConfigValue? {
        if case .dict(let pairs) = self { return pairs.last(where: { $0.0 == key })?.1 }
        return nil
    }

    /// Same as `self[key]` (lets YAML-node and value lookups read alike).
    public subscript(key key: String) -> ConfigValue? { self[key] }

    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let b): return b
        case .string(let s): return ["true", "yes", "1"].contains(s.lowercased()) ? true
            : (["false", "no", "0"].contains(s.lowercased()) ? false : nil)
        case .int(let i): return i != 0
        default: return nil
        }
    }

    public var listValue: [ConfigValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    public var dictValue: [(String, ConfigValue)]? {
        if case .dict(let d) = self { return d }
        return nil
    }

    /// A list of strings from either a single string or a list (`tags: x` or `tags: [x, y]`).
    public var stringList: [String] {
        switch self {
        case .list(let l): return l.compactMap { $0.stringValue }
        case .null: return []
        default: return stringValue.map { [$0] } ?? []
        }
    }

    /// Converts a YAML node, keeping mapping order.
    public init(yaml node: Node) {
        switch node {
        case .scalar(let s):
            // Tags are resolved here (the parser runs with Yams' basic resolver, which is much faster).
            if s.style != .plain {
                self = .string(s.string)
            } else {
                self = Self.resolvePlain(s.string)
            }
        case .sequence(let seq): self = .list(seq.map { ConfigValue(yaml: $0) })
        case .mapping(let m): self = .dict(m.map { ($0.key.string ?? "", ConfigValue(yaml: $0.value)) })
        case .alias: self = .null
        }
    }

    /// Resolves a plain (unquoted) YAML scalar like PyYAML does for the common cases.
    static func resolvePlain(_ t: String) -> ConfigValue {
        switch t {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let i = Int(t.replacingOccurrences(of: "_", with: "")), t.first != "_" { return .int(i) }
        if t.contains(where: { $0.isNumber }), t.allSatisfy({ $0.isNumber || "+-.eE_".contains($0) }),
           let d = Double(t.replacingOccurrences(of: "_", with: "")) { return .double(d) }
        if [".inf", ".Inf", "+.inf"].contains(t) { return .double(.infinity) }
        if [".nan", ".NaN"].contains(t) { return .double(.nan) }
        return .string(t)
    }

    /// Parses YAML or JSON text (`--vars '{"k": 1}'`).
    public static func parse(yamlText: String) throws -> ConfigValue {
        guard let node = try Yams.compose(yaml: yamlText, .basic) else { return .dict([]) }
        return ConfigValue(yaml: node)
    }

    /// The value as a Python/Jinja would print it inside `{{ }}` (strings without quotes).
    public var rendered: String {
        switch self {
        case .string(let s): return s
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return Self.formatDouble(d)
        case .list, .dict: return pythonRepr
        }
    }

    /// A Python `repr` of the value (lists and dicts rendered inside templates).
    public var pythonRepr: String {
        switch self {
        case .string(let s): return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .list(let l): return "[" + l.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .dict(let d): return "{" + d.map { "'\($0.0)': \($0.1.pythonRepr)" }.joined(separator: ", ") + "}"
        default: return rendered
        }
    }

    static func formatDouble(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(format: "%.1f", d) }
        return String(d)
    }

    /// Merges `other` over `self` for mappings (keys of `other` win; nested mappings merge).
    public func merged(with other: ConfigValue) -> ConfigValue {
        guard case .dict(var mine) = self, case .dict(let theirs) = other else { return other }
        for (k, v) in theirs {
            if let i = mine.firstIndex(where: { $0.0 == k }) {
                mine[i].1 = mine[i].1.merged(with: v)
            } else {
                mine.append((k, v))
            }
        }
        return .dict(mine)
    }
}

/// Minimal JSON writer for artifacts: ordered keys, stable output, no Foundation bridging.
enum JSON {
    static func encode(_ v: ConfigValue) -> String {
        var out: [UInt8] = []
        encode(v, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `v` to one growing byte buffer (no intermediate strings per value; manifest.json is megabytes).
    static func encode(_ v: ConfigValue, into out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: (d.isFinite ? String(d) : "null").utf8)
        case .string(let s): JSONText.appendQuoted(s, to: &out)
        case .list(let l):
            out.append(UInt8(ascii: "["))
            for (i, x) in l.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
                encode(x, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dict(let d):
            out.append(UInt8(ascii: "{"))
            for (i, (k, x)) in d.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
                JSONText.appendQuoted(k, to: &out)
                out.append(UInt8(ascii: ":")); out.append(UInt8(ascii: " "))
                encode(x, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `v` as JSON bytes.
    static func bytes(_ v: ConfigValue) -> [UInt8] {
        var out: [UInt8] = []
        encode(v, into: &out)
        return out
    }

    /// Appends an object whose member values are JSON already, in ``encode(_:into:)``'s layout (the runner encodes a
    /// manifest's nodes on several cores, then joins them here).
    static func appendObject(_ members: [(String, [UInt8])], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, (k, x)) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " ")) }
            JSONText.appendQuoted(k, to: &out)
            out.append(UInt8(ascii: ":")); out.append(UInt8(ascii: " "))
            out.append(contentsOf: x)
        }
        out.append(UInt8(ascii: "}"))
    }
}
