import FitDomain
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
        /// Records read to pick the month language before a single pass (checked against all dates at its end).
        public var languageSample: Int

        public init(athleteId: String = "me", timezone: String? = nil, maxRejects: Int? = nil, showProgress: Bool = false,
                    bulkThreshold: Int = 100_000, languageSample: Int = 2_000) {
            self.athleteId = athleteId
            self.timezone = timezone
            self.maxRejects = maxRejects
            self.showProgress = showProgress
            self.bulkThreshold = bulkThreshold
            self.languageSample = languageSample
        }
    }

    /// Serializes loads: exercises and aliases are shared by every athlete.

    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Checks that `zone` is a time zone PostgreSQL knows; throws a configuration error otherwise.
    public func validateTimezone(_ zone: String) throws {
        try LoadError.domain { try Athletes.validateTimezone(zone, on: connection) }
    }

    /// Loads one inspected file. Throws ``LoadError/tooManyRejects(file:rejected:limit:)`` after rolling back.
    ///
    /// An initial load (the athlete has no workouts yet) reads the file once; anything else reads it
    /// twice (see ``HevyCSVApply/Plan``).
    public func load(_ file: HevyCSVFile, options: Options) throws -> HevyCSVLoadSummary {
        var summary = HevyCSVLoadSummary(file: file.source.displayPath)
        summary.weightUnit = file.header.weightUnit.rawValue
        summary.distanceUnit = file.header.distanceUnit.rawValue
        do {
            try connection.transaction {
                try LoadLock.take(connection)
                // joins of the staged workouts and the old sets of changed ones stay in memory; quick statistics
                try connection.execute("SET LOCAL work_mem = '256MB'; SET LOCAL default_statistics_target = 10")
                let athlete = try LoadError.domain { try Athletes.ensure(connection, athleteID: options.athleteId, timezone: options.timezone) }
                let tz = athlete.timezone
                if let asked = options.timezone, asked != tz { summary.timezoneKept = tz }
                let loadId = try connection.query(
                    "INSERT INTO meta.loads (kind, athlete_id) VALUES ('hevy_csv', $1) RETURNING load_id",
                    [options.athleteId]).scalar!
                summary.loadId = Int(loadId) ?? 0
                let registerFile = { (sha256: String) throws -> String in
                    try connection.query("""
                        INSERT INTO raw.files (sha256, file_name, size_bytes, kind, athlete_id) VALUES ($1, $2, $3, 'hevy_csv', $4)
                        ON CONFLICT (sha256, kind, athlete_id) DO UPDATE SET last_loaded_at = now(), file_name = EXCLUDED.file_name
                        RETURNING file_id
                        """, [sha256, file.source.name, file.sizeBytes, options.athleteId]).scalar!
                }
                func apply(_ plan: HevyCSVApply.Plan) throws -> (rejects: [RejectedRecord], fileId: String) {
                    let progress = options.showProgress
                        ? ProgressReporter(label: file.source.name, totalBytes: file.sizeBytes) : nil
                    return try HevyCSVApply(connection: connection, file: file, plan: plan, athleteSk: athlete.sk,
                                            timezone: tz, bulkThreshold: options.bulkThreshold, progress: progress)
                        .run(into: &summary, registerFile: registerFile)
                }
                let hasWorkouts = try connection.query(
                    "SELECT EXISTS (SELECT 1 FROM core.workouts WHERE athlete_sk = $1::bigint)", [athlete.sk]).scalar == "t"
                var result: (rejects: [RejectedRecord], fileId: String)
                if hasWorkouts {
                    summary.passes = "two"
                    result = try apply(.scanned(try file.scan()))
                } else {
                    try connection.execute("SAVEPOINT single_pass")
                    do {
                        result = try apply(.streaming(DateResolver(language: try Self.sampleLanguage(file, records: options.languageSample))))
                    } catch let e as HevyCSVApply.NeedsTwoPasses {
                        try connection.execute("ROLLBACK TO SAVEPOINT single_pass")
                        summary.passes = "two (\(e.reason))"
                        result = try apply(.scanned(try file.scan()))
                    }
                }
                let (rejects, fileId) = result
                if let limit = options.maxRejects, rejects.count > limit {
                    throw LoadError.tooManyRejects(file: file.source.displayPath, rejected: rejects.count, limit: limit)
                }
                try RejectLog.write(rejects, loadId: loadId, fileId: fileId, sourceName: file.source.name, on: connection)
                let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
                try connection.query("""
                    UPDATE meta.loads SET finished_at = now(), status = 'succeeded', rows_read = $2,
                           rows_loaded = $3, rows_rejected = $4, summary = $5::jsonb
                    WHERE load_id = $1
                    """, [loadId, summary.rowsRead, summary.rowsStaged, summary.rowsRejected, json])
            }
        } catch {
            // whatever failed (rejects past the limit, an unreadable record, the server), the attempt stays visible
            RejectLog.recordFailure(kind: "hevy_csv", athleteId: options.athleteId, rowsRead: summary.rowsRead,
                                   rowsRejected: summary.rowsRejected, summaryJSON: try? JSONEncoder().encode(summary),
                                   reason: (error as? LoadError)?.description ?? "\(error)", on: connection)
            throw error
        }
        return summary
    }

    /// The month language of the dates in the first `records` records of `file`.
    static func sampleLanguage(_ file: HevyCSVFile, records: Int) throws -> ExportLanguage {
        let reader = try file.reader(chunkSize: 1 << 16)
        _ = try? reader.advance()                 // a sample: a broken record fails the pass that reads it
        var texts = Set<String>()
        var n = 0
        while n < records, (try? reader.advance()) == true {
            n += 1
            for i in [file.header.startTime, file.header.endTime] where i < reader.fieldCount {
                let t = reader.withField(i) { FieldParsing.string(FieldParsing.trimmed($0)) }
                if !t.isEmpty { texts.insert(t) }
            }
        }
        return HevyDateParser.detectLanguage(texts)
    }
}
