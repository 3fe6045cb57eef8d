import ArgumentParser
import Foundation
import HevySync
import PostgresClient

/// Hevy API sync subcommands.
enum SyncCommands {
    static let all: [ParsableCommand.Type] = [Sync.self]
}

/// `fitdata sync …`.
struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Pull new data from third-party APIs.", subcommands: [SyncHevy.self])
}

/// `fitdata sync hevy`: workouts, exercise templates and body measurements from the Hevy API.
struct SyncHevy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hevy",
        abstract: "Sync workouts, exercise templates and body measurements from the Hevy API (Hevy Pro).",
        discussion: """
            The key comes from HEVY_API_KEY (https://hevy.com/settings?developer), the API root from
            HEVY_API_URL (default https://api.hevyapp.com). The first run reads the whole history; later
            runs read only the events since the last successful run.
            Every request is bounded: 30 s without a byte is a timeout, --request-deadline (default 120 s)
            bounds the whole request, and a body over --max-response-mb (default 16 MiB) fails the run.
            Redirects to another host or port never carry the key.
            Exit status: 0 ok; 1 the sync failed (network, rate limit, malformed or oversized response,
            another sync running); 2 bad usage or configuration, including a key Hevy refuses (401/403)
            and a HEVY_API_URL where no Hevy API answers (404 on the first page or on the workout count).
            """)

    @Option(help: "Athlete id to sync into.")
    var athlete = "me"
    @Option(help: "Read the events feed from this ISO 8601 time instead of the stored watermark.")
    var since: String?
    @Flag(help: "List the whole history again (workouts, templates, body measurements).")
    var full = false
    @Option(name: .customLong("delay-ms"), help: "Pause between requests, in milliseconds.")
    var delayMs = 100
    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another sync of the same athlete.")
    var lockTimeout = 30.0
    @Option(name: .customLong("request-deadline"), help: "Seconds one HTTP request may take in total, however steadily bytes arrive.")
    var requestDeadline = 120.0
    @Option(name: .customLong("max-response-mb"), help: "Largest HTTP response body read, in MiB; a larger one fails the run.")
    var maxResponseMB = 16
    @Option(help: "IANA time zone for an athlete this sync creates (default UTC).")
    var timezone: String?
    @OptionGroup var db: DatabaseOptions

    /// Usage problems, reported with exit status 2 like every other configuration error.
    private func usageProblem() -> String? {
        if full && since != nil { return "--full and --since cannot be combined" }
        if delayMs < 0 { return "--delay-ms must be 0 or more" }
        if lockTimeout < 0 { return "--lock-timeout must be 0 or more" }
        if !(requestDeadline >= 1) { return "--request-deadline must be at least 1 (seconds)" }
        if maxResponseMB < 1 || maxResponseMB > 4096 { return "--max-response-mb must be between 1 and 4096" }
        if athlete.isEmpty { return "--athlete must not be empty" }
        return nil
    }

    func run() throws {
        try runReportingFailures {
            if let problem = usageProblem() { throw CLIFailure.configuration(problem) }
            var config: SyncConfiguration
            do {
                config = try SyncConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
                config.since = try since.map(SyncConfiguration.parseSince)
            } catch let e as HevySyncError {
                throw CLIFailure.configuration(e.description)
            }
            config.athleteID = athlete
            config.full = full
            config.requestDelay = Double(delayMs) / 1000
            config.lockTimeout = lockTimeout
            config.requestDeadline = requestDeadline
            config.maxResponseBytes = maxResponseMB << 20
            config.timezoneForNewAthlete = timezone
            let conn = try db.connect()
            defer { conn.close() }
            let engine = SyncEngine(connection: conn, configuration: config) { printError($0) }
            do {
                let report = try engine.run()
                print("athlete '\(athlete)': \(report.summaryLine)")
            } catch let e as HevySyncError {
                throw e.exitCode == 2 ? CLIFailure.configuration(e.description) : CLIFailure.work(e.description)
            }
        }
    }
}
