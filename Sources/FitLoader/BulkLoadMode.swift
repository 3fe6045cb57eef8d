import PostgresClient

/// Bulk mode for large loads, after PostgreSQL's "Populating a Database" advice: the foreign keys of
/// the loaded tables are dropped for the load and re-added afterwards in the same transaction, so each
/// is checked by one set-based query instead of one lookup per row; for an initial load (at least as
/// many new rows as the tables hold) their indexes and unique/primary keys are dropped too and rebuilt
/// once at the end, which is cheaper than maintaining them row by row.
///
/// Every definition is read back from the catalog (`pg_get_constraintdef`, `pg_get_indexdef`) and
/// restored exactly. Until the load commits, readers of the tables wait (ALTER TABLE takes an
/// exclusive lock); a failed load rolls everything back with the transaction.
struct BulkLoadMode {
    private struct Constraint { let table: String; let name: String; let definition: String }
    private let foreignKeys: [Constraint]
    private let keys: [Constraint]
    private let indexes: [String]

    /// Drops the foreign keys of `tables` (and, with `rebuildIndexes`, every index and key on them,
    /// plus the foreign keys of other tables that point at them), remembering their definitions.
    static func prepare(tables: [String], rebuildIndexes: Bool, on connection: Connection) throws -> BulkLoadMode {
        let list = "{" + tables.joined(separator: ",") + "}"
        // table names come back from regclass output (already quoted where needed)
        let fks = try connection.query("""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND (conrelid = ANY($1::regclass[]) OR ($2 AND confrelid = ANY($1::regclass[])))
            ORDER BY 1, 2
            """, [list, rebuildIndexes]).rows.map { Constraint(table: $0[0]!, name: $0[1]!, definition: $0[2]!) }
        var keys: [Constraint] = []
        var indexes: [(name: String, definition: String)] = []
        if rebuildIndexes {
            keys = try connection.query("""
                SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype IN ('p', 'u') AND conrelid = ANY($1::regclass[]) ORDER BY 1, 2
                """, [list]).rows.map { Constraint(table: $0[0]!, name: $0[1]!, definition: $0[2]!) }
            indexes = try connection.query("""
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
                WHERE i.indrelid = ANY($1::regclass[])
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
                ORDER BY 1
                """, [list]).rows.map { ($0[0]!, $0[1]!) }
        }
        for k in fks + keys {
            try connection.execute("ALTER TABLE \(k.table) DROP CONSTRAINT \(Connection.quoteIdentifier(k.name))")
        }
        for i in indexes { try connection.execute("DROP INDEX \(i.name)") }
        return BulkLoadMode(foreignKeys: fks, keys: keys, indexes: indexes.map(\.definition))
    }

    /// True when indexes and keys are rebuilt at the end.
    var rebuildsIndexes: Bool { !keys.isEmpty || !indexes.isEmpty }

    /// Rebuilds what was dropped: keys and indexes first, then the foreign keys (each validated
    /// against its whole table).
    func restore(on connection: Connection) throws {
        if rebuildsIndexes { try connection.execute("SET LOCAL maintenance_work_mem = '512MB'") }
        for k in keys {
            try connection.execute("ALTER TABLE \(k.table) ADD CONSTRAINT \(Connection.quoteIdentifier(k.name)) \(k.definition)")
        }
        for definition in indexes { try connection.execute(definition) }
        for k in foreignKeys {
            try connection.execute("ALTER TABLE \(k.table) ADD CONSTRAINT \(Connection.quoteIdentifier(k.name)) \(k.definition)")
        }
    }
}
