import Foundation
import PostgresClient

/// dbt's `adapter.expand_target_column_types(staging, target)` in the snapshot materialization: a string column of the
/// target narrower than the same column of the staged rows is widened, as dbt-adapters' `SQLAdapter.expand_column_types`
/// and `alter_column_type` do it.
enum SnapshotColumnExpansion {
    /// A column as dbt-postgres' `get_columns_in_relation` reads it from `information_schema.columns`.
    struct Column {
        var name: String
        /// `data_type`: `character varying`, `text`, `integer`, …
        var dtype: String
        /// `character_maximum_length`.
        var charSize: Int?

        /// dbt's `Column.is_string()`.
        var isString: Bool { ["text", "character varying", "character", "varchar"].contains(dtype.lowercased()) }

        /// dbt's `Column.string_size()`: `text` or an unsized string counts as 256.
        var stringSize: Int { dtype == "text" ? 256 : (charSize ?? 256) }

        /// dbt's `Column.can_expand_to(other)`: both strings and the other one longer.
        func canExpand(to other: Column) -> Bool { isString && other.isString && other.stringSize > stringSize }
    }

    /// The columns of `quotedRelation` (a table, or a temporary table) in column order.
    static func columns(_ conn: Connection, _ quotedRelation: String) throws -> [Column] {
        try conn.query("""
            SELECT c.column_name::text, c.data_type::text, c.character_maximum_length::int
              FROM information_schema.columns c
              JOIN pg_class r ON r.oid = to_regclass($1)
              JOIN pg_namespace n ON n.oid = r.relnamespace
             WHERE c.table_schema = n.nspname AND c.table_name = r.relname
             ORDER BY c.ordinal_position
            """, [quotedRelation]).rows.map { Column(name: $0[0]!, dtype: $0[1]!, charSize: $0[2].flatMap { Int($0) }) }
    }

    /// The statements widening `target`'s columns to the staged ones: per column, dbt's `alter_column_type` (add a
    /// `<name>__dbt_alter` column of `character varying(n)`, copy, drop the old one with cascade, rename), so the
    /// widened column moves to the end of the table, as under dbt.
    static func statements(staged: [Column], target: [Column], table: String) -> [String] {
        let current = Dictionary(target.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var sql: [String] = []
        for goal in staged {
            guard let col = current[goal.name], col.canExpand(to: goal) else { continue }
            let name = Connection.quoteIdentifier(goal.name), tmp = Connection.quoteIdentifier(goal.name + "__dbt_alter")
            sql += [
                "alter table \(table) add column \(tmp) character varying(\(goal.stringSize))",
                "update \(table) set \(tmp) = \(name)",
                "alter table \(table) drop column \(name) cascade",
                "alter table \(table) rename column \(tmp) to \(name)",
            ]
        }
        return sql
    }
}
