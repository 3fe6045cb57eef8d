import Crypto
import Foundation
import Jinja
import PostgresClient

/// dbt's `config`: `config(key=value, …)` / `config({...})` records configuration while parsing;
/// `config.get(key, default)` and `config.require(key)` read the node's merged configuration.
final class ConfigObject: CallableJinjaObject {
    var typeName: String { "Config" }
    var stringValue: String { "<Config>" }

    func call(_ args: Arguments) throws -> Value {
        // Recorded in both passes: the parse pass's calls configure models; a generic test's macro is only rendered at
        // compile time, and its calls (dbt_utils' `fail_calc`, `severity`) configure the test (DataTestSQL).
        guard let state = RenderState.current else { return .string("") }
        var pairs: [(String, Value)] = []
        for p in args.positional {
            guard case .dict(let d) = p else { throw JinjaError.runtime("config() takes keyword arguments or one dict: config(materialized='table')") }
            for (k, v) in d.entries { pairs.append((k.pythonString, v)) }
        }
        pairs += args.keyword
        for (k, v) in pairs {
            guard let c = ConfigValue(jinja: v) else { throw JinjaError.runtime("config value `\(k)` must be a literal value, not \(v.typeName)") }
            state.configCalls.append((k, c))
        }
        return .string("")
    }

    /// The current value of `key`: the node's config with this render's `config()` calls over it.
    private func lookup(_ key: String) -> ConfigValue? {
        guard let state = RenderState.current else { return nil }
        if let v = state.configCalls.last(where: { $0.0 == key })?.1 { return v }
        return state.config[key]
    }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "get":
            return .function("get") { [self] args in
                guard let key = args.positional.first?.stringValue else { throw JinjaError.runtime("config.get() takes a key") }
                return lookup(key)?.jinja ?? args.value(1, "default") ?? .none
            }
        case "require":
            return .function("require") { [self] args in
                guard let key = args.positional.first?.stringValue else { throw JinjaError.runtime("config.require() takes a key") }
                if let v = lookup(key) { return v.jinja }
                if RenderState.current?.mode == .parse { return .none }
                throw JinjaError.runtime("missing config: \"\(key)\" is required")
            }
        case "set": return .function("set") { _ in .string("") }
        default: return nil
        }
    }
}

/// dbt's `var`: `var(name)` / `var(name, default)` (unit-test `overrides: vars:` > `--vars` > dbt_project.yml), and
/// `var.has_var(name)`.
final class VarObject: CallableJinjaObject {
    let current: () -> ConfigValue
    init(_ current: @escaping () -> ConfigValue) { self.current = current }
    var vars: ConfigValue { current() }
    var typeName: String { "Var" }

    private func value(_ name: String) -> ConfigValue? {
        RenderState.current?.overrides.vars[name] ?? vars[name]
    }

    func call(_ args: Arguments) throws -> Value {
        guard let name = args.positional.first?.stringValue else { throw JinjaError.runtime("var() takes a name and an optional default: var('name', 0)") }
        if let v = value(name) { return v.jinja }
        if let d = args.value(1, "default") { return d }
        throw JinjaError.runtime("required var '\(name)' is not set (dbt_project.yml vars or --vars)")
    }

    func attribute(_ name: String) -> Value? {
        guard name == "has_var" else { return nil }
        return .function("has_var") { [self] args in .bool(value(args.positional.first?.pythonString ?? "") != nil) }
    }
}

/// `this`: the relation of the node being rendered (or a unit test's input that replaces it).
final class ThisProxy: JinjaObject {
    let database: String
    init(database: String) { self.database = database }
    var typeName: String { "PostgresRelation" }

    private var relation: RelationObject? {
        guard let state = RenderState.current else { return nil }
        if let o = state.overrides.this, let t = state.this {
            return RelationObject(database: nil, schema: t.schema, identifier: t.name, printed: o)
        }
        return state.this.map { RelationObject($0, database: database) }
    }

    /// The relation; `None` outside a node (run hooks), as dbt prints it.
    var stringValue: String { relation?.stringValue ?? "None" }
    func attribute(_ name: String) -> Value? { relation?.attribute(name) }
}

/// `model`: the node being rendered (`model.name`, `model.unique_id`, `model.config`, `model.resource_type`).
final class ModelProxy: JinjaObject {
    let projectName: String
    let database: String
    init(projectName: String, database: String) {
        self.projectName = projectName
        self.database = database
    }
    var typeName: String { "Node" }
    func attribute(_ name: String) -> Value? {
        guard let state = RenderState.current else { return nil }
        switch name {
        case "name": return state.nodeName.map(Value.string)
        case "resource_type": return .string(state.resourceType)
        case "unique_id": return state.nodeName.map { .string("\(state.resourceType).\(projectName).\($0)") }
        case "original_file_path", "path": return .string(state.file)
        case "config": return .dictionary(state.config.values.map { ($0.0, $0.1.jinja) })
        case "schema": return state.this.map { .string($0.schema) }
        case "alias": return state.this.map { .string($0.name) }
        case "database": return .string(database)
        default: return nil
        }
    }
}

/// `api.Relation`: `create(database=, schema=, identifier=, type=)` (parts not given are none, as in dbt) and
/// `add_ephemeral_prefix(name)`.
final class RelationAPI: JinjaObject {
    var typeName: String { "Relation" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "create":
            return .function("create") { args in
                func kw(_ k: String) -> String? {
                    guard let v = args.keyword.last(where: { $0.0 == k })?.1, case .string(let s) = v else { return nil }
                    return s
                }
                return .object(RelationObject(database: kw("database"), schema: kw("schema"),
                                              identifier: kw("identifier") ?? kw("name"), kind: kw("type")))
            }
        case "add_ephemeral_prefix":
            return .function(name) { args in .string(TemplateCompiler.ctePrefix + (args.positional.first?.pythonString ?? "")) }
        default: return nil
        }
    }
}

/// Hex MD5 of a string (`local_md5`).
func md5Hex(_ s: String) -> String { Hex.lowercase(Insecure.MD5.hash(data: Data(s.utf8))) }
