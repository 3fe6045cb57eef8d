import Foundation
import Jinja

/// Names and unique ids of generic tests, following dbt's rules so `unique_id`s match dbt-core's manifest:
///
/// - full name: `[<namespace>_][source_]<test>_<target>_<args>`, where `<args>` are the argument values (sorted by
///   argument name, `model` left out; list items and dict values one by one), each with runs of characters outside
///   `[0-9A-Za-z_]` replaced by `_`, joined by `__`; the target of a source test is `<source>_<table>`;
/// - when the full name is 64 characters or longer, the node's alias (compiled file name) is the first 30 characters of
///   `<namespace>_<test>_<target>` plus `_` and the MD5 of the full name;
/// - unique id: `test.<project>.<full name>.<last 10 hex digits of MD5(full name + repr(metadata))>`, the metadata
///   being `{namespace, name, kwargs}` with keys sorted and every leaf as Python's `str()`.
struct GenericTestNaming {
    var namespace: String?
    var test: String
    var isSource: Bool
    /// Model or seed name, or `<source>_<table>`.
    var target: String
    /// The test's arguments including `column_name` (not `model`).
    var arguments: [(String, ConfigValue)]
    /// How the `model` argument is written in dbt's metadata (`{{ get_where_subquery(ref('x')) }}`).
    var modelArgument: String

    /// Python's `str()` of a YAML value.
    static func pythonStr(_ v: ConfigValue) -> String { v.rendered }

    var fullName: String {
        var flat: [String] = []
        for (_, v) in arguments.sorted(by: { $0.0 < $1.0 }) {
            switch v {
            case .dict(let d): flat += d.map { Self.pythonStr($0.1) }
            case .list(let l): flat += l.map(Self.pythonStr)
            default: flat.append(Self.pythonStr(v))
            }
        }
        let unique = flat.map(Self.clean).joined(separator: "__")
        return identifier + "_" + unique
    }

    private var identifier: String {
        var name = isSource ? "source_" + test : test
        if let namespace { name = namespace + "_" + name }
        return name + "_" + target
    }

    /// The compiled file name and relation alias: the full name, or a shortened one with a hash when too long.
    var shortName: String {
        let full = fullName
        guard full.count >= 64 else { return full }
        return String(identifier.prefix(30)) + "_" + md5Hex(full)
    }

    var uniqueId: (String) -> String {
        { project in "test.\(project).\(fullName).\(hash)" }
    }

    private var hash: String {
        var kwargs: [(String, Value)] = arguments.map { ($0.0, Self.hashable($0.1)) }
        kwargs.append(("model", .string(modelArgument)))
        kwargs.sort { $0.0 < $1.0 }
        let metadata = Value.dictionary([
            ("kwargs", .dictionary(kwargs)), ("name", .string(test)), ("namespace", .string(namespace ?? "None")),
        ])
        return String(md5Hex(fullName + metadata.pythonRepr).suffix(10))
    }

    /// dbt's `get_hashable_md`: dicts with sorted keys, lists kept, every other value as its `str()`.
    private static func hashable(_ v: ConfigValue) -> Value {
        switch v {
        case .dict(let d): return .dictionary(d.sorted { $0.0 < $1.0 }.map { ($0.0, hashable($0.1)) })
        case .list(let l): return .array(l.map(hashable))
        default: return .string(pythonStr(v))
        }
    }

    /// Runs of characters outside `[0-9A-Za-z_]` become one `_`.
    static func clean(_ s: String) -> String {
        var out = ""
        var inRun = false
        for u in s.unicodeScalars {
            let ok = (u >= "0" && u <= "9") || (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || u == "_"
            if ok { out.unicodeScalars.append(u); inRun = false } else if !inRun { out += "_"; inRun = true }
        }
        return out
    }
}
