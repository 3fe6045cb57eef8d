import Foundation
import PostgresClient

/// The incremental marts' change capture (migration 0013): which logged core tables changed since the last
/// successful pipeline build, and the watermark that build reached.
///
/// Writes to the logged tables are recorded by triggers in `core.change_log` (one row per statement and athlete),
/// so deciding what changed reads only the rows after `meta.mart_watermark`: its cost follows the new data, not the
/// history. The other sources keep their content fingerprints (``BuildInputs``); they are small.
enum ChangeLog {
    /// Core tables whose writes the triggers log.
    static let loggedTables = ["athlete_targets", "body_measurements", "nutrition_days", "sets", "workout_exercises", "workouts"]

    /// Source keys of the logged tables (`source:core.<table>`).
    static let loggedKeys = Set(loggedTables.map { "source:core.\($0)" })

    /// Sources that are bookkeeping, not athlete data: never fingerprinted, never a reason to build.
    static let bookkeepingKeys: Set<String> = ["source:changes.change_log", "source:build_state.mart_watermark"]

    /// Sources whose change invalidates every athlete's history (an exercise's type or muscles change the metrics
    /// of every set of it): the models downstream of them are rebuilt in full (`--full-refresh`).
    static let fullRefreshKeys: Set<String> = ["source:core.exercises", "source:core.exercise_aliases"]

    /// The key under which the build's watermark travels with the fingerprints to ``advance(to:on:)``.
    static let watermarkKey = "watermark:core.change_log"

    /// The source keys of the ``loggedTables`` whose triggers exist in this database (a Citus coordinator drops them
    /// on its distributed tables: `sql/citus/distribute_core.sql`); the others are fingerprinted and rebuilt in full.
    static func capturedKeys(_ connection: Connection) throws -> Set<String> {
        let rows = try connection.query("""
            SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'core' AND t.tgname = c.relname || '_log_insert'
            """).rows
        return Set(rows.compactMap { $0[0].map { "source:core.\($0)" } }).intersection(loggedKeys)
    }

    /// The logged tables (as source keys) with a change after the watermark.
    static func pendingKeys(_ connection: Connection) throws -> Set<String> {
        let rows = try connection.query("""
            SELECT DISTINCT source_table FROM core.change_log
             WHERE change_id > coalesce((SELECT change_id FROM meta.mart_watermark), 0)
            """).rows
        return Set(rows.compactMap { $0[0].map { "source:core.\($0)" } })
    }

    /// The newest change_log id: read under the build's data lock, every change up to it is built.
    static func head(_ connection: Connection) throws -> Int64 {
        Int64(try connection.query("SELECT coalesce(max(change_id), 0) FROM core.change_log").scalar ?? "0") ?? 0
    }

    /// Records that the marts are built through `changeID` and drops the log rows up to it, in one transaction.
    static func advance(to changeID: Int64, on connection: Connection) throws {
        try connection.transaction {
            try connection.query("""
                INSERT INTO meta.mart_watermark (singleton, change_id) VALUES (true, $1)
                ON CONFLICT (singleton) DO UPDATE SET change_id = greatest(meta.mart_watermark.change_id, EXCLUDED.change_id), recorded_at = now()
                """, [changeID])
            try connection.query("DELETE FROM core.change_log WHERE change_id <= $1", [changeID])
        }
    }
}
