import Foundation
import PostgresClient

/// The run's row in `meta.pipeline_runs`, written on the control connection (autocommit: each update is visible at once).
struct RunRecord {
    let connection: Connection
    let runID: Int64

    /// Fails with a configuration error when migration 0012 is not applied.
    static func checkSchema(_ connection: Connection) throws {
        let ready = try connection.query("SELECT to_regclass('meta.pipeline_runs') IS NOT NULL AND to_regclass('meta.pipeline_built_inputs') IS NOT NULL").scalar == "t"
        if !ready {
            throw PipelineError.configuration("the database has no meta.pipeline_runs (migration 0012): run `fitdata db init`")
        }
    }

    /// Marks runs left `running` as abandoned (called holding the lock, so none of them is running), then inserts this run.
    static func start(_ connection: Connection, kind: PipelineOptions.Kind, athleteID: String) throws -> RunRecord {
        try connection.query("""
            UPDATE meta.pipeline_runs SET outcome = 'abandoned', ended_at = now(), exit_code = 1
             WHERE outcome = 'running'
            """)
        let id = try connection.query("INSERT INTO meta.pipeline_runs (kind, athlete_id) VALUES ($1, $2) RETURNING run_id",
                                      [kind.rawValue, athleteID]).scalar ?? "0"
        return RunRecord(connection: connection, runID: Int64(id) ?? 0)
    }

    /// Appends a finished step.
    func append(_ step: StepRecord) throws {
        try connection.query("UPDATE meta.pipeline_runs SET steps = steps || jsonb_build_array($2::jsonb) WHERE run_id = $1",
                             [runID, step.jsonLine])
    }

    /// Records the run's end.
    func finish(exitCode: Int32) throws {
        try connection.query("""
            UPDATE meta.pipeline_runs SET ended_at = now(), exit_code = $2, outcome = CASE WHEN $2 = 0 THEN 'succeeded' ELSE 'failed' END
             WHERE run_id = $1
            """, [runID, Int(exitCode)])
    }
}
