import Foundation
import PostgresClient

/// Loads Hevy workout CSV exports into `core`, one transaction per file.
///
/// Reloading the same file changes nothing; a newer re-export replaces the workouts it holds
/// (edited sets updated, removed sets gone) and adds new ones. Bad rows go to `raw.rejects`.
public struct HevyCSVLoader {
    /// Options for one load.
    public struct Options: Sendable {
        public var athleteId: String
        /// IANA zone for the file's local times; nil keeps the athlete's stored zone (UTC for a new athlete).
        public var timezone: String?
        /// Roll the file back when more rows than this are rejected; nil = no limit.
        public var maxRejects: Int?
        /// Show progress on a terminal.
        public var showProgress: Bool
        /// From this many new or replaced sets on, foreign keys are checked once per load, not per row
        /// (see ``BulkLoadMode``).
        public var bulkThreshold: Int

        public init(athleteId: String = "me", timezone: String? = nil, maxRejects: Int? = nil, showProgress: Bool = false,
                    bulkThreshold: Int = 100_000) {
            self.athleteId = athleteId
            self.timezone = timezone
            self.maxRejects = maxRejects
            self.showProgress = showProgress
            self.bulkThreshold = bulkThreshold
        }
    }

    /// Serializes loads: exercises and aliases are shared by every athlete.
    static let lockKey: Int64 = 0x6669_745F_6C6F_6164   // "fit_load"

    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Checks that `zone` is a time zone PostgreSQL knows; throws a configuration error otherwise.
    public func validateTimezone(_ zone: String) throws {
        try Athletes.validateTimezone(zone, on: connection)
    }

    /// Loads one inspected file. Throws ``LoadError/tooManyRejects(file:rejected:limit:)`` after rolling back.
    public func load(_ file: HevyCSVFile, options: Options) throws -> HevyCSVLoadSummary {
        var summary = HevyCSVLoadSummary(file: file.url.path)
        summary.language = file.language.rawValue
        summary.weightUnit = file.header.weightUnit.rawValue
        summary.distanceUnit = file.header.distanceUnit.rawValue
        // temp-table pages stay in memory (only settable before the session's first temp table)
        _ = try? connection.execute("SET temp_buffers = '512MB'")
        do {
            try connection.transaction {
                try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [Self.lockKey])
                // sorts and hashes of the staged rows stay in memory; quick statistics on temp tables
                try connection.execute("SET LOCAL work_mem = '256MB'; SET LOCAL default_statistics_target = 10")
                let athlete = try Athletes.ensure(connection, athleteID: options.athleteId, timezone: options.timezone)
                let tz = athlete.timezone
                if let asked = options.timezone, asked != tz { summary.timezoneKept = tz }
                let fileId = try connection.query("""
                    INSERT INTO raw.files (sha256, file_name, size_bytes, kind, athlete_id) VALUES ($1, $2, $3, 'hevy_csv', $4)
                    ON CONFLICT (sha256, kind, athlete_id) DO UPDATE SET last_loaded_at = now(), file_name = EXCLUDED.file_name
                    RETURNING file_id
                    """, [file.sha256, file.url.lastPathComponent, file.sizeBytes, options.athleteId]).scalar!
                let loadId = try connection.query(
                    "INSERT INTO meta.loads (kind, athlete_id) VALUES ('hevy_csv', $1) RETURNING load_id",
                    [options.athleteId]).scalar!
                summary.loadId = Int(loadId) ?? 0

                let progress = options.showProgress
                    ? ProgressReporter(label: file.url.lastPathComponent, totalBytes: file.sizeBytes) : nil
                let rejects = try HevyCSVApply(connection: connection, file: file, athleteSk: athlete.sk, timezone: tz,
                                               fileId: fileId, bulkThreshold: options.bulkThreshold, progress: progress)
                    .run(into: &summary)
                if let limit = options.maxRejects, rejects.count > limit {
                    throw LoadError.tooManyRejects(file: file.url.path, rejected: rejects.count, limit: limit)
                }
                try writeRejects(rejects, loadId: loadId, fileId: fileId, sourceName: file.url.lastPathComponent)
                let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
                try connection.query("""
                    UPDATE meta.loads SET finished_at = now(), status = 'succeeded', rows_read = $2,
                           rows_loaded = $3, rows_rejected = $4, summary = $5::jsonb
                    WHERE load_id = $1
                    """, [loadId, summary.rowsRead, summary.rowsStaged, summary.rowsRejected, json])
            }
        } catch let e as LoadError {
            recordFailure(options: options, summary: summary, reason: e.description)
            throw e
        }
        return summary
    }

    private func writeRejects(_ rejects: [RejectedRecord], loadId: String, fileId: String, sourceName: String) throws {
        guard !rejects.isEmpty else { return }
        try connection.copyIn("COPY raw.rejects (load_id, file_id, source_name, line_number, field, reason, raw_record) FROM STDIN") { w in
            for r in rejects {
                var row = CopyTextRow()
                row.add(loadId); row.add(fileId); row.add(sourceName); row.add(r.line)
                row.add(r.field); row.add(r.reason); row.add(r.raw)
                try w.write(row.line)
            }
        }
    }

    /// Records a rolled-back load in its own transaction, so the attempt stays visible.
    private func recordFailure(options: Options, summary: HevyCSVLoadSummary, reason: String) {
        let json = (try? JSONEncoder().encode(summary)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        _ = try? connection.query("""
            INSERT INTO meta.loads (kind, athlete_id, finished_at, status, rows_read, rows_rejected, summary)
            VALUES ('hevy_csv', $1, now(), 'failed', $2, $3, jsonb_set($4::jsonb, '{error}', to_jsonb($5::text)))
            """, [options.athleteId, summary.rowsRead, summary.rowsRejected, json, reason])
    }
}
