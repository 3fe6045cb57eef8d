import Foundation
import PostgresClient
import HTTPKit

/// Runs one Hevy sync for one athlete: blocking, on the calling thread, with one libpq connection.
///
/// First run (no watermark) or `--full`: the exercise templates, the whole workout listing (plus the
/// events since the old watermark, when there is one, for deletions) and all body measurements; then
/// the database converges on the listing: live API workouts it lacked are fetched by id and marked
/// deleted when the API answers 404, and listed workouts marked deleted here are live again.
/// Later runs: the events feed since the watermark (or `--since`), templates the new workouts
/// need, and body measurements until a page brings nothing new. Each page is one transaction; the
/// watermark (the run's start minus a safety margin) moves only in the final transaction, after
/// everything else committed. A `deleted` event for a workout never stored leaves a tombstone, so the
/// older `updated` event of the same workout (the feed is newest first) cannot bring it back.
/// A 404 on the first page of a listing or on the workout count fails the run (a wrong `HEVY_API_URL`).
///
/// Call from a plain thread, not from Swift concurrency's cooperative pool (libpq and the HTTP
/// transport both block).
public final class SyncEngine {
    let connection: Connection
    let configuration: SyncConfiguration
    let client: HevyAPIClient
    let log: @Sendable (String) -> Void
    var report = SyncReport()
    var missingTemplates: Set<String> = []
    var warnedEventTypes: Set<String> = []

    /// - Parameters:
    ///   - transport: how requests are sent (default: URLSession).
    ///   - log: receives progress and retry lines; the API key never appears in them.
    public init(connection: Connection, configuration: SyncConfiguration, transport: (any HTTPTransport)? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.connection = connection
        self.configuration = configuration
        let redact = SecretRedactor(secrets: [configuration.apiKey])
        let safeLog: @Sendable (String) -> Void = { log(redact($0)) }
        self.log = safeLog
        self.client = HevyAPIClient(configuration: configuration, transport: transport, log: safeLog)
    }

    /// The advisory-lock key that serializes syncs of one athlete.
    public static func lockKey(athleteID: String) -> Int64 {
        FNV1a.advisoryKey("fitdata:hevy_sync:\(athleteID)")
    }

    /// Runs the sync. Throws ``HevySyncError``; on failure the watermark stays where it was.
    public func run() throws -> SyncReport {
        do { return try runLocked() }
        catch let e as HevySyncError { throw e }
        catch { throw HevySyncError.database(client.redact("\(error)")) }
    }

    private func runLocked() throws -> SyncReport {
        try checkSchema()
        let athleteID = configuration.athleteID
        let key = Self.lockKey(athleteID: athleteID)
        guard try connection.tryAdvisoryLock(key, timeout: configuration.lockTimeout) else {
            throw HevySyncError.lockTimeout(athleteID: athleteID, seconds: configuration.lockTimeout)
        }
        defer { _ = try? connection.advisoryUnlock(key) }
        // For the whole run: a build waits for this sync; a sync waits for a running build.
        try DataLock.share(connection) { self.log("waiting for a running build to finish (data lock held by \($0))") }
        defer { _ = try? DataLock.releaseShared(connection) }
        let runStart = Date()
        let athlete = try Athlete.ensure(connection, athleteID: athleteID, timezone: configuration.timezoneForNewAthlete)
        if let tz = configuration.timezoneForNewAthlete, tz != athlete.timezone {
            report.warnings.append("athlete '\(athleteID)' keeps its time zone \(athlete.timezone) (--timezone \(tz) applies only to athletes without workouts)")
        }
        let stored = try Watermark.read(connection, athleteID: athleteID)
        let full = configuration.full || (stored == nil && configuration.since == nil)
        report.mode = full ? "full" : "incremental"
        report.loadID = try LoadLog.start(connection, athleteID: athleteID, mode: report.mode)
        let raw = RawStore(connection: connection, athleteID: athleteID, loadID: report.loadID)
        log("hevy sync for athlete '\(athleteID)' (\(report.mode)), load \(report.loadID)")
        do {
            let pages = PageRunner(engine: self, raw: raw, athlete: athlete)
            if full {
                try pages.templates()
                let listed = try pages.workouts()
                if let stored { try pages.events(since: stored) }
                try pages.reconcileUnlisted(listed)
                try pages.bodyMeasurements(stopWhenNothingNew: false)
            } else {
                try pages.events(since: configuration.since.map(Watermark.apiString) ?? stored!)
                try pages.bodyMeasurements(stopWhenNothingNew: true)
            }
            try pages.missingTemplates()
            try countCheck(athlete: athlete)
            let watermark = runStart.addingTimeInterval(-configuration.watermarkSafetyMargin)
            report.requests = client.requestCount
            report.retries = client.retryCount
            try connection.transaction {
                try Watermark.advance(connection, athleteID: athleteID, to: watermark)
                report.newWatermark = try Watermark.read(connection, athleteID: athleteID)
                try LoadLog.finish(connection, loadID: report.loadID, succeeded: true, report: report, error: nil)
            }
            report.rejected = Int(try connection.query("SELECT count(*) FROM raw.rejects WHERE load_id = $1", [report.loadID]).scalar ?? "0") ?? 0
            for w in report.warnings { log("warning: \(w)") }
            return report
        } catch {
            report.requests = client.requestCount
            report.retries = client.retryCount
            let message = client.redact("\(error)")
            _ = try? LoadLog.finish(connection, loadID: report.loadID, succeeded: false, report: report, error: message)
            throw error
        }
    }

    private func checkSchema() throws {
        do {
            try connection.query("SELECT hevy_routine_id FROM core.workouts LIMIT 0")
            try connection.query("SELECT 1 FROM meta.sync_watermarks LIMIT 0")
            try connection.query("SELECT 1 FROM core.hevy_workout_tombstones LIMIT 0")
        } catch let PostgresClientError.server(e) where ["42P01", "42703", "3F000"].contains(e.sqlstate) {
            throw HevySyncError.schemaNotReady(e.message)
        }
    }

    private func countCheck(athlete: Athlete) throws {
        let call = client.call("/v1/workouts/count")
        let core = Int(try connection.query("""
            SELECT count(*) FROM core.workouts WHERE athlete_sk = $1 AND source = 'hevy_api' AND deleted_at IS NULL
            """, [athlete.sk]).scalar ?? "0") ?? 0
        report.coreWorkoutCount = core
        do {
            let response = try client.get(call)
            if response.status == 404 { throw HevySyncError.notFound(call: call.description, url: call.displayURL) }
            guard response.status == 200,
                  let count = try? JSONDecoder().decode(HevyWorkoutCount.self, from: response.body) else {
                report.warnings.append("\(call): unexpected answer (HTTP \(response.status)); count check skipped")
                return
            }
            report.apiWorkoutCount = count.workoutCount
            if count.workoutCount != core {
                report.warnings.append("Hevy reports \(count.workoutCount) workouts but core holds \(core) non-deleted API workouts "
                    + "for athlete '\(athlete.id)'; run `fitdata sync hevy --full` to list the whole history again")
            }
        } catch let e as HevySyncError {
            if case .notFound = e { throw e }
            report.warnings.append("count check skipped: \(e)")
        }
    }
}
