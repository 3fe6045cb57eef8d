import Foundation
import PostgresClient

/// One row of `meta.loads` (kind `hevy_api`) per run.
enum LoadLog {
    /// Opens a `running` row and returns its id.
    ///
    /// The insert trigger of migration 0006 makes this session hold the row's load lock until ``finish``
    /// (or until the session dies, when the next load marks the row `abandoned`), and marks the rows of
    /// dead sessions abandoned.
    static func start(_ connection: Connection, athleteID: String, mode: String) throws -> Int64 {
        let id = try connection.query("""
            INSERT INTO meta.loads (kind, athlete_id, summary) VALUES ('hevy_api', $1, jsonb_build_object('mode', $2::text))
            RETURNING load_id
            """, [athleteID, mode]).scalar
        return Int64(id ?? "0") ?? 0
    }

    /// Closes the row as succeeded or failed with the run's counts.
    static func finish(_ connection: Connection, loadID: Int64, succeeded: Bool, report: SyncReport, error: String?) throws {
        try connection.query("""
            UPDATE meta.loads SET finished_at = now(), status = $2, rows_read = $3, rows_loaded = $4,
                rows_rejected = (SELECT count(*) FROM raw.rejects WHERE load_id = $1),
                summary = summary || $5::jsonb
            WHERE load_id = $1
            """, [loadID, succeeded ? "succeeded" : "failed", report.objectsRead, report.objectsWritten,
                  report.summaryJSON(error: error)])
    }
}
