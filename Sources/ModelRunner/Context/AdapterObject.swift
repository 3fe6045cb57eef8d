import Foundation
import Jinja
import PostgresClient

/// dbt's `adapter` for PostgreSQL: `dispatch`, `quote`, `type()`, and introspection that reads the catalog through
/// the node's connection (empty results while parsing, as dbt's parse pass does not query).
final class AdapterObject: JinjaObject {
    unowned let dbt: DbtJinja
    let execute: Bool

    init(dbt: DbtJinja, execute: Bool) {
        self.dbt = dbt
        self.execute = execute
    }

    var typeName: String { "PostgresAdapter" }

    private var macros: MacroScopes { execute ? dbt.compileMacros : dbt.parseMacros }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "dispatch":
            return .function("dispatch") { [self] args in
                guard let macro = args.value(0, "macro_name")?.stringValue else { throw JinjaError.runtime("adapter.dispatch() takes a macro name") }
                let ns = args.value(1, "macro_namespace").flatMap { $0.stringValue }
                return try macros.dispatch(macro, namespace: ns)
            }
        case "quote":
            return .function("quote") { args in .string(Relation.quote(args.positional.first?.pythonString ?? "")) }
        case "type":
            return .function("type") { _ in .string("postgres") }
        case "get_columns_in_relation":
            return .function(name) { [self] args in
                guard execute, let rel = relation(args.positional.first) else { return .array([]) }
                return .array(try columns(schema: rel.schema, name: rel.name).map { .object($0) })
            }
        case "get_relation":
            return .function(name) { [self] args in
                try relation(schema: args.value(1, "schema")?.pythonString ?? "", identifier: args.value(2, "identifier")?.pythonString ?? "")
            }
        case "get_missing_columns":
            return .function(name) { [self] args in
                guard execute, let from = relation(args.value(0, "from_relation")), let to = relation(args.value(1, "to_relation")) else { return .array([]) }
                let target = Set(try columns(schema: to.schema, name: to.name).map(\.name))
                return .array(try columns(schema: from.schema, name: from.name).filter { !target.contains($0.name) }.map { .object($0) })
            }
        case "check_schema_exists":
            return .function(name) { [self] args in
                guard execute else { return .bool(false) }
                let schema = args.value(1, "schema")?.pythonString ?? ""
                let n = try Self.query(dbt, "select count(*) from pg_namespace where nspname = \(Connection.quoteLiteral(schema))").raw.scalar
                return .bool(n != "0")
            }
        default: return nil
        }
    }

    /// The relation `schema.identifier` when it exists (table, view, materialized view), else none; none while parsing.
    func relation(schema: String, identifier: String) throws -> Value {
        guard execute else { return .none }
        let res = try Self.query(dbt, """
            select case c.relkind when 'v' then 'view' when 'm' then 'materialized_view' else 'table' end
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = \(Connection.quoteLiteral(schema)) and c.relname = \(Connection.quoteLiteral(identifier))
              and c.relkind in ('r', 'v', 'm', 'p', 'f')
            """).raw
        guard let kind = res.scalar else { return .none }
        return .object(RelationObject(database: dbt.target.database, schema: schema, identifier: identifier, kind: kind))
    }

    /// Schema and name of a relation argument.
    private func relation(_ v: Value?) -> (schema: String, name: String)? {
        guard case .object(let o)? = v else { return nil }
        guard case .string(let name)? = o.attribute("identifier") else { return nil }
        let schema = o.attribute("schema")?.stringValue ?? dbt.target.schema
        return (schema, name)
    }

    /// The columns of a table or view, in order.
    private func columns(schema: String, name: String) throws -> [ColumnObject] {
        let res = try Self.query(dbt, """
            select a.attname, format_type(a.atttypid, a.atttypmod)
            from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = \(Connection.quoteLiteral(schema)) and c.relname = \(Connection.quoteLiteral(name))
              and a.attnum > 0 and not a.attisdropped
            order by a.attnum
            """).raw
        return res.rows.map { ColumnObject(name: $0[0] ?? "", dataType: $0[1] ?? "") }
    }

    /// Runs `sql` on the current render's connection: the raw result and an agate-like table object.
    static func query(_ dbt: DbtJinja, _ sql: String) throws -> (raw: QueryResult, table: Value) {
        let state = try RenderState.require("run_query()")
        let conn = try dbt.connection(for: state)
        let res: QueryResult
        do { res = try conn.query(sql) } catch let e as PostgresClientError { throw JinjaError.runtime("Database Error: \(e.description)") }
        return (res, .object(TableObject(res)))
    }

    /// A result row as Jinja values (numbers as numbers, like agate).
    static func row(_ cells: [String?]) -> [Value] {
        cells.map { c in
            guard let c else { return .none }
            if let i = Int(c) { return .int(i) }
            if let d = Double(c), c.contains(".") { return .double(d) }
            return .string(c)
        }
    }
}

/// A column of `adapter.get_columns_in_relation`: `name`, `column`, `data_type`, `dtype`, `quoted`.
final class ColumnObject: JinjaObject {
    let name: String
    let dataType: String
    init(name: String, dataType: String) {
        self.name = name
        self.dataType = dataType
    }
    var typeName: String { "PostgresColumn" }
    var stringValue: String { "<Column \(name) (\(dataType))>" }
    func attribute(_ attr: String) -> Value? {
        switch attr {
        case "name", "column": return .string(name)
        case "data_type", "dtype": return .string(dataType)
        case "quoted": return .string(Relation.quote(name))
        case "is_string": return .function("is_string") { [self] _ in .bool(isString) }
        case "is_number", "is_numeric":
            return .function(attr) { [self] _ in .bool(["integer", "bigint", "smallint", "numeric", "real", "double precision"].contains(where: { dataType.hasPrefix($0) })) }
        case "is_integer": return .function(attr) { [self] _ in .bool(["integer", "bigint", "smallint"].contains(dataType)) }
        case "is_float": return .function(attr) { [self] _ in .bool(["real", "double precision"].contains(dataType)) }
        case "char_size": return typeModifiers.first.map(Value.int) ?? Value.none
        case "string_size":
            // dbt's Column.string_size(): the declared length, 256 for text or an unsized type.
            return .function(attr) { [self] _ in
                guard isString else { throw JinjaError.runtime("Called string_size() on non-string field!") }
                return .int(dataType == "text" ? 256 : typeModifiers.first ?? 256)
            }
        default: return nil
        }
    }

    private var isString: Bool { dataType.hasPrefix("character") || dataType == "text" }

    /// The numbers in the type's parentheses: `character varying(20)` → [20], `numeric(10,2)` → [10, 2].
    private var typeModifiers: [Int] {
        guard let open = dataType.firstIndex(of: "("), let close = dataType.lastIndex(of: ")"), open < close else { return [] }
        return dataType[dataType.index(after: open)..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
    }
}

/// `run_query` / `load_result(...).table`: `rows` (tuples), `columns` (each with `name` and `values()`),
/// `column_names`, `print_table()` (no-op).
final class TableObject: JinjaObject {
    let rows: [[Value]]
    let names: [String]
    init(_ res: QueryResult) {
        names = res.columns
        rows = res.rows.map(AdapterObject.row)
    }
    var typeName: String { "Table" }
    var stringValue: String { "<agate.Table>" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "rows": return .array(rows.map { .tuple($0) })
        case "column_names": return .tuple(names.map(Value.string))
        case "columns":
            return .array(names.enumerated().map { i, n in
                .object(AttributeObject(typeName: "Column", [
                    ("name", .string(n)),
                    ("values", .function("values") { [rows] _ in .tuple(rows.map { $0[i] }) }),
                ]))
            })
        case "print_table": return .function(name) { _ in .string("") }
        default: return nil
        }
    }
}
