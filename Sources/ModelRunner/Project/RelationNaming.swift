import Foundation
import Jinja

/// Names a node's relation by calling `generate_database_name`, `generate_schema_name` and `generate_alias_name`
/// (built in, or the project's overrides from macros/), as dbt does; a database other than the target's is an error
/// (``CrossDatabase``).
struct RelationNaming {
    let jinja: DbtJinja
    let targetSchema: String

    /// Whether `generate_database_name` is dbt's built-in one: neither it nor a dispatch candidate is overridden by the
    /// project, and no `dispatch:` search order for `dbt` could bring another in.
    private var builtinDatabaseNaming: Bool {
        let macros = jinja.compileMacros!
        guard macros.library.dispatchOrder["dbt"]?.isEmpty ?? true else { return false }
        return ["generate_database_name", "default__generate_database_name", "postgres__generate_database_name"].allSatisfy { name in
            switch (macros.macro(name, in: nil), macros.macro(name, in: "dbt")) {
            case (nil, nil): return true
            case (.callable(let a)?, .callable(let b)?): return a === b
            default: return false
            }
        }
    }

    /// The relation of a model, seed or snapshot with its final configuration; `location` is where a database error points
    /// (default: the node's file, 1:1).
    func relation(name: String, resourceType: String, uniqueId: String, fqn: [String], path: String, config: NodeConfig,
                  at location: SourceLocation? = nil) throws -> Relation {
        let node = Value.dictionary([
            ("name", .string(name)), ("resource_type", .string(resourceType)), ("unique_id", .string(uniqueId)),
            ("fqn", .array(fqn.map(Value.string))), ("path", .string(path)), ("original_file_path", .string(path)),
            ("package_name", .string(packageName(of: uniqueId) ?? jinja.projectName)),
            ("config", .dictionary(config.values.map { ($0.0, $0.1.jinja) })),
        ])
        let state = RenderState(mode: .compile, file: path)
        state.package = packageName(of: uniqueId).flatMap { $0 == jinja.projectName ? nil : $0 }
        state.nodeName = name
        state.resourceType = resourceType
        state.config = config
        let database: String
        if config["database"] == nil && builtinDatabaseNaming {
            database = jinja.target.database   // what the built-in macro answers, without rendering it per node
        } else {
            let databaseArg = config["database"]?.stringValue.map(Value.string) ?? .none
            database = try jinja.callMacro("generate_database_name", [databaseArg, node], state: state)
                .map { $0.pythonString.trimmingCharacters(in: .whitespacesAndNewlines) } ?? (config["database"]?.stringValue ?? jinja.target.database)
        }
        try CrossDatabase.check(database, target: jinja.target.database, what: "\(resourceType) \(name)",
                                at: location ?? SourceLocation(file: path, line: 1, column: 1))
        let schemaArg = config.schema.map(Value.string) ?? .none
        let schema = try jinja.callMacro("generate_schema_name", [schemaArg, node], state: state)
            .map { $0.pythonString.trimmingCharacters(in: .whitespacesAndNewlines) } ?? (config.schema ?? targetSchema)
        let aliasArg = config.alias.map(Value.string) ?? .none
        let alias = try jinja.callMacro("generate_alias_name", [aliasArg, node], state: state)
            .map { $0.pythonString.trimmingCharacters(in: .whitespacesAndNewlines) } ?? (config.alias ?? name)
        return Relation(schema: schema, name: alias)
    }
}

/// The package part of a unique id (`model.<package>.<name>`).
func packageName(of uniqueId: String) -> String? {
    let parts = uniqueId.split(separator: ".", maxSplits: 2)
    return parts.count >= 2 ? String(parts[1]) : nil
}
