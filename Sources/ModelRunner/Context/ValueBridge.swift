import Foundation
import Jinja

/// Conversions between the runner's ``ConfigValue`` (YAML, `--vars`, configs) and Jinja values.
extension ConfigValue {
    /// The value as a Jinja value (mappings keep their order).
    var jinja: Value {
        switch self {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let l): return .array(l.map(\.jinja))
        case .dict(let d): return .dictionary(d.map { ($0.0, $0.1.jinja) })
        }
    }

    /// A Jinja value as a config value; nil for values with no YAML form (macros, objects, undefined).
    init?(jinja v: Value) {
        switch v {
        case .none: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .list(let l):
            var out: [ConfigValue] = []
            for x in l.items { guard let c = ConfigValue(jinja: x) else { return nil }; out.append(c) }
            self = .list(out)
        case .tuple(let t):
            var out: [ConfigValue] = []
            for x in t { guard let c = ConfigValue(jinja: x) else { return nil }; out.append(c) }
            self = .list(out)
        case .dict(let d):
            var out: [(String, ConfigValue)] = []
            for (k, x) in d.entries { guard let c = ConfigValue(jinja: x) else { return nil }; out.append((k.pythonString, c)) }
            self = .dict(out)
        case .object(let o):
            // Relations passed as config values (e.g. `unique_key=this`) keep their printed form.
            self = .string(o.stringValue)
        case .undefined, .callable: return nil
        }
    }
}
