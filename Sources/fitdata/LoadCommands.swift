import ArgumentParser
import FitLoader
import Foundation
import PostgresClient

/// `fitdata load hevy-csv | nutrition | body-weight`.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load export files into PostgreSQL.",
        subcommands: [LoadHevyCSV.self, LoadNutrition.self, LoadBodyWeight.self])
}

/// Loads Hevy workout CSV exports, one transaction per file.
struct LoadHevyCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hevy-csv", abstract: "Load Hevy workout CSV exports (any app language, kg or lbs, km or miles).")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Hevy CSV export files; `-` reads standard input (pipes and FIFOs are read once, into a temporary copy).")
    var files: [String]
    @Option(help: "Athlete id the workouts belong to.") var athlete = "me"
    @Option(help: "IANA time zone of the exported local times (stored on the athlete; default: the athlete's, else UTC).")
    var timezone: String?
    @Option(help: "Roll a file back and exit 1 when more rows than this are rejected (default: no limit).")
    var maxRejects: Int?

    func run() throws {
        try runReportingFailures {
            // every file is checked before anything is loaded: a missing file or bad header is exit 2
            var inspected: [HevyCSVFile] = []
            for f in files {
                do { inspected.append(try HevyCSVFile.inspect(path: f)) }
                catch let e as LoadError { throw CLIFailure.configuration(e.description) }
            }
            let conn = try db.connect()
            defer { conn.close() }
            let loader = HevyCSVLoader(connection: conn)
            if let tz = timezone {
                do { try loader.validateTimezone(tz) } catch let e as LoadError { throw CLIFailure.configuration(e.description) }
            }
            let options = HevyCSVLoader.Options(athleteId: athlete, timezone: timezone, maxRejects: maxRejects,
                                                showProgress: isatty(STDERR_FILENO) == 1)
            var failed: [String] = []
            for file in inspected {
                do {
                    let summary = try loader.load(file, options: options)
                    print(summary.text)
                    if summary.rowsRejected > 0 {
                        print("  rejected rows are in raw.rejects (load_id \(summary.loadId)): SELECT line_number, field, reason FROM raw.rejects WHERE load_id = \(summary.loadId);")
                    }
                } catch let e as LoadError {
                    printError("fitdata: \(e.description)")
                    failed.append(file.source.displayPath)
                }
            }
            if !failed.isEmpty { throw CLIFailure.work("\(failed.count) file(s) not loaded") }
        }
    }
}
