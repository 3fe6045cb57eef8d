import Foundation
import PostgresClient

extension SourceFreshness {
    /// The SQL pieces of one table's check: the measured value and the clauses around it.
    struct Measure {
        /// The value, e.g. `max(updated_at)`, or `(select * from source_query)` for a `loaded_at_query`.
        var value: String
        /// The common table expression `source_query as (…),` before the check's own (for a `loaded_at_query`), else "".
        var cte = ""
        /// `from <table> [where <filter>]`, else "".
        var from = ""
        /// How messages name the value: `loaded_at_field \`updated_at\`` or `loaded_at_query`.
        var what: String
        /// Whether a freshness `filter` narrows the rows.
        var filtered = false

        /// The pieces for `loadedAt`; a `loaded_at_query` is rendered with Jinja now, with `this` = the source table
        /// (dbt renders it when the check runs, as dbt-adapters' `collect_freshness_custom_sql` wraps it).
        init(_ loadedAt: LoadedAt, table t: SourceTable, filter: String?, project: Project, conn: Connection) throws {
            switch loadedAt {
            case .field(let field):
                value = "max(\(field))"
                from = "from \(t.relation.quoted)" + (filter.map { "\nwhere \($0)" } ?? "")
                what = "loaded_at_field `\(field)`"
                filtered = filter != nil
            case .query(let query, let line):
                let sql: String
                do {
                    sql = try project.jinja.renderString(query, file: t.path, this: t.relation, connection: conn)
                } catch var e as ProjectError {
                    // The template's position, moved to the value's line in the .yml.
                    if let at = e.location { e.location = SourceLocation(file: at.file, line: line + at.line - 1, column: at.column) }
                    e.message = "loaded_at_query of source \(t.sourceName).\(t.name): " + e.message
                    throw e
                }
                value = "(select * from source_query)"
                cte = "source_query as (\n\(sql.trimmingCharacters(in: .whitespacesAndNewlines))\n),\n"
                what = "loaded_at_query"
            }
        }

        /// A query for the value's type: reads no rows for a field; runs a `loaded_at_query` (its value is a scalar).
        func typeQuery(_ t: SourceTable) -> String {
            if cte.isEmpty { return "select pg_typeof(\(value))::text from \(t.relation.quoted) where false" }
            return "with \(cte.dropLast(2))\nselect pg_typeof(\(value))::text"
        }
    }
}
