import Foundation
import Jinja

/// dbt's `Relation` in templates: what `ref()`, `source()`, `this`, `adapter.get_relation()` and
/// `api.Relation.create()` return. It prints quoted with its database, as dbt-postgres' relations do
/// (`"dbname"."schema"."name"`; parts that are none are left out), or as the CTE name for an ephemeral model or a
/// unit-test input.
final class RelationObject: MappingJinjaObject, HashableJinjaObject {
    let database: String?
    let schema: String?
    let identifier: String?
    /// `table`, `view` or nil when unknown.
    let kind: String?
    /// The printed form when it is not the quoted name (ephemeral CTE, unit-test input).
    let printed: String?
    /// Which parts print (`include(database=false)`); all of them by default, like dbt's include policy.
    let includeDatabase: Bool
    let includeSchema: Bool

    init(database: String?, schema: String?, identifier: String?, kind: String? = nil, printed: String? = nil,
         includeDatabase: Bool = true, includeSchema: Bool = true) {
        self.database = database
        self.schema = schema
        self.identifier = identifier
        self.kind = kind
        self.printed = printed
        self.includeDatabase = includeDatabase
        self.includeSchema = includeSchema
    }

    convenience init(_ r: Relation, database: String?, kind: String? = nil, printed: String? = nil) {
        self.init(database: database, schema: r.schema, identifier: r.name, kind: kind, printed: printed)
    }

    var typeName: String { "PostgresRelation" }

    /// Relations are equal by database, schema and identifier (dbt's relations are frozen dataclasses).
    var hashKey: String { [database ?? "", schema ?? "", identifier ?? ""].joined(separator: "\u{1}") }

    var stringValue: String {
        if let printed { return printed }
        // Built in one string: every `{{ ref(...) }}` prints one.
        var out = ""
        for part in [includeDatabase ? database : nil, includeSchema ? schema : nil, identifier] {
            guard let part else { continue }
            if !out.isEmpty { out += "." }
            out += Relation.quote(part)
        }
        return out
    }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "database": return database.map(Value.string) ?? Value.none
        case "schema": return schema.map(Value.string) ?? Value.none
        case "identifier", "name", "table": return identifier.map(Value.string) ?? Value.none
        case "type": return kind.map(Value.string) ?? Value.none
        case "is_table": return .bool(kind == "table")
        case "is_view": return .bool(kind == "view")
        case "is_cte": return .bool(printed?.hasPrefix(TemplateCompiler.ctePrefix) == true)
        case "get":
            // dbt's relations are mappings; packages test `obj.get('metadata', {}).get('type')`.
            return .function("get") { [self] args in
                let key = args.positional.first?.pythonString ?? ""
                if key == "metadata" { return .dictionary([("type", .string(typeName))]) }
                return attribute(key) ?? args.value(1, "default") ?? Value.none
            }
        case "render": return .function("render") { [self] _ in .string(stringValue) }
        case "quote", "incorporate": return .function(name) { [self] _ in .object(self) }
        case "without_identifier":
            return .function(name) { [self] _ in
                .object(RelationObject(database: database, schema: schema, identifier: nil, kind: kind,
                                       includeDatabase: includeDatabase, includeSchema: includeSchema))
            }
        case "include":
            return .function("include") { [self] args in
                func flag(_ k: String, _ d: Bool) -> Bool { args.keyword.last(where: { $0.0 == k }).map { $0.1.isTruthy } ?? d }
                let withId = flag("identifier", true)
                return .object(RelationObject(database: database, schema: schema, identifier: withId ? identifier : nil,
                                              kind: kind, printed: printed, includeDatabase: flag("database", includeDatabase),
                                              includeSchema: flag("schema", includeSchema)))
            }
        default: return nil
        }
    }
}
