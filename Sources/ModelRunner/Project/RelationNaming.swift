import Foundation
import Jinja

/// Names a node's relation by calling `generate_schema_name` and `generate_alias_name` (built in, or the project's
/// overrides from macros/), as dbt does.
struct RelationNaming {
    let jinja: DbtJinja
    let targetSchema: String

    /// The relation of a model or seed with its final configuration.
    func relation(name: String, resourceType: String, uniqueId: String, fqn: [String], path: String, config: NodeConfig) throws -> Relation {
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
