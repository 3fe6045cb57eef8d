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
    @OptionGroup var options: LoadOptions
    @Argument(help: "Hevy CSV export files; `-` reads standard input (pipes and FIFOs are read once, into a temporary copy).")
    var files: [String]
    @Option(help: "IANA time zone of the exported local times (stored on the athlete; default: the athlete's, else UTC).")
    var timezone: String?

    func run() throws {
        try runReportingFailures {
            // every file is checked before anything is loaded: a missing file or bad header is exit 2
            var inspected: [HevyCSVFile] = []
            for f in files {
                do { inspected.append(try HevyCSVFile.inspect(path: f)) }
                catch let e as LoadError { throw CLIFailure.configuration(e.description) }
            }
            let conn = try options.db.connect()
            defer { conn.close() }
            let loader = HevyCSVLoader(connection: conn)
            if let tz = timezone {
                do { try loader.validateTimezone(tz) } catch let e as LoadError { throw CLIFailure.configuration(e.description) }
            }
            let settings = HevyCSVLoader.Options(athleteId: options.athlete, timezone: timezone, maxRejects: options.maxRejects,
                                                 showProgress: isatty(STDERR_FILENO) == 1)
            try loadEach(inspected, name: { $0.source.displayPath }) { try loader.load($0, options: settings) }
        }
    }
}
