import Foundation
import PostgresClient

extension SchemaManager {
    /// The script `db init --distributed` applies after the migrations: `sql/citus/distribute_core.sql`.
    static let distributionScript = "citus/distribute_core.sql"

    /// Spreads `core` over a Citus cluster (reference and co-located distributed tables); idempotent.
    ///
    /// Runs `sql/citus/distribute_core.sql` in one transaction, after ``initialize(useExtension:)``. Fails with
    /// ``SchemaError/notCitus`` before changing anything when the database has no `citus` extension.
    /// Returns how each `core` table is placed afterwards (`core.sets: distributed by athlete_sk`, `core.athletes: reference`, …).
    public func distribute() throws -> [String] {
        let url = sqlDirectory.appendingPathComponent(Self.distributionScript)
        guard let sql = try? String(contentsOf: url, encoding: .utf8) else {
            throw SchemaError.missingExtensionScript(url.path)
        }
        guard try connection.query("SELECT 1 FROM pg_extension WHERE extname = 'citus'").scalar == "1" else {
            throw SchemaError.notCitus
        }
        try connection.withAdvisoryLock(Self.lockKey, timeout: 60) {
            try connection.transaction { try connection.execute(sql) }
        }
        return try connection.query("""
            SELECT c.oid::regclass::text || ': ' || CASE p.partmethod WHEN 'h' THEN 'distributed by ' || column_to_column_name(p.logicalrelid, p.partkey)
                                                             WHEN 'n' THEN CASE WHEN p.repmodel = 't' THEN 'reference' ELSE 'local (Citus-managed)' END
                                                             ELSE 'local' END
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
             WHERE n.nspname = 'core' AND c.relkind = 'r'
             ORDER BY 1
            """).rows.map { $0[0] ?? "" }
    }
}
