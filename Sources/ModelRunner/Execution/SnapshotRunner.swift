import Foundation
import PostgresClient

/// Runs one snapshot in one transaction: creates the table on the first run, later records what changed.
enum SnapshotRunner {
    struct Outcome {
        /// Rows inserted (new versions) and rows closed (`dbt_valid_to` set).
        var inserted: Int
        var invalidated: Int
        var created: Bool
    }

    /// Runs `snapshot` (compiled select `query`) on `conn`. `extras` (grants, comments) and the hooks run inside the
    /// same transaction, except hooks with `transaction: false`; on any error the transaction rolls back.
    static func run(_ snapshot: Snapshot, query: String, conn: Connection, hooks: NodeHooks, extras: [String]) throws -> Outcome {
        let config = try SnapshotConfig(snapshot.config, snapshot: snapshot.name, at: snapshot.location)
        let sql = SnapshotSQL(config: config, query: query, target: snapshot.relation)
        try NodeHooks.runOutside(hooks.preOutside, on: conn)
        try conn.execute((["BEGIN"] + hooks.preInside).joined(separator: ";\n"))
        let outcome: Outcome
        do {
            let kind = try conn.query("SELECT c.relkind::text FROM pg_class c WHERE c.oid = to_regclass($1)", [snapshot.relation.quoted]).scalar
            if let kind, kind != "r", kind != "p" {
                throw ProjectError("snapshot \(snapshot.name): \(snapshot.relation) exists but is not a table (relkind \(kind)); drop it or set another target",
                                   at: snapshot.location)
            }
            if kind == nil {
                let res = try conn.execute(sql.create())
                outcome = Outcome(inserted: res.affectedRows, invalidated: 0, created: true)
            } else {
                outcome = try update(sql, snapshot: snapshot, conn: conn)
            }
            var tail = extras + hooks.postInside
            tail.append("COMMIT")
            try conn.execute(tail.joined(separator: ";\n"))
        } catch {
            _ = try? conn.execute("ROLLBACK")
            throw error
        }
        try NodeHooks.runOutside(hooks.postOutside, on: conn)
        return outcome
    }

    /// The column names a query returns (dbt's `get_columns_in_query`), without reading a row.
    private static func columns(of query: String, conn: Connection) throws -> [String] {
        try conn.execute("select * from (\n\(query)\n) as __fitdata_sbq where false limit 0").columns
    }

    /// A later run: staging rows in a temporary table, string columns widened and new query columns added to the table
    /// (dbt's `expand_target_column_types` and `create_columns`), then the merge.
    private static func update(_ sql: SnapshotSQL, snapshot: Snapshot, conn: Connection) throws -> Outcome {
        let existing = try relationColumns(conn, snapshot.relation.quoted)
        let existingNames = Set(existing.map(\.name))
        var checkColumns: [String] = []
        var columnAdded = false
        if case .check(let cols, _) = sql.config.strategy {
            // The query's columns (all, or the listed ones as the database names them); a column the table lacks
            // makes every row count as changed, like dbt.
            let probe = cols.map { "select \($0.joined(separator: ", ")) from (\n\(sql.query)\n) subq" } ?? sql.query
            let names = try columns(of: probe, conn: conn)
            for n in names {
                if existingNames.contains(n) { checkColumns.append(SnapshotSQL.q(n)) } else { columnAdded = true }
            }
        }
        // new_record copies the table's values of a deleted row: it needs the query's column names.
        let queryColumns = sql.recordsDeletes
            ? try columns(of: sql.query, conn: conn) : []
        let temp = String(snapshot.relation.name.prefix(40)) + "__fitdata_snapshot"
        try conn.execute(sql.staging(into: temp, rowChanged: sql.rowChanged(checkColumns: checkColumns, columnAdded: columnAdded),
                                     queryColumns: queryColumns, tableColumns: existingNames))
        let stagedTable = "pg_temp." + SnapshotSQL.q(temp)
        // Strings the source widened (varchar(10) → varchar(40)) widen the table first, like dbt.
        let widen = SnapshotColumnExpansion.statements(staged: try SnapshotColumnExpansion.columns(conn, stagedTable),
                                                       target: try SnapshotColumnExpansion.columns(conn, snapshot.relation.quoted),
                                                       table: snapshot.relation.quoted)
        if !widen.isEmpty { try conn.execute(widen.joined(separator: ";\n")) }
        let staged = try relationColumns(conn, stagedTable)
        let dataColumns = staged.filter { !sql.stagingOnlyColumns.contains($0.name) }
        // New columns in the query: added to the table (older versions get NULL there).
        let missing = dataColumns.filter { !existingNames.contains($0.name) }
        if !missing.isEmpty {
            try conn.execute(missing.map { "alter table \(snapshot.relation.quoted) add column \(SnapshotSQL.q($0.name)) \($0.type)" }
                .joined(separator: ";\n"))
        }
        let merge = sql.merge(from: temp, insertColumns: dataColumns.map(\.name))
        let updated = try conn.execute(merge.update).affectedRows
        let inserted = try conn.execute(merge.insert).affectedRows
        return Outcome(inserted: inserted, invalidated: updated, created: false)
    }
}
