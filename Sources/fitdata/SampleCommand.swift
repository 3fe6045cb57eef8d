import ArgumentParser
import FitLoader
import Foundation

/// `fitdata sample`: a synthetic athlete written in the real export formats.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a deterministic synthetic athlete (Hevy CSV, Cronometer daily nutrition, body-weight CSV) for demos and tests.")
    @Option(help: "Number of weeks of training.") var weeks = 26
    @Option(help: "Random seed: the same seed gives the same files.") var seed: UInt64 = 42
    @Option(help: "Last day covered, YYYY-MM-DD (default 2026-11-22, a Sunday).") var endDate = "2026-11-22"
    @Option(help: "Output directory.") var out: String

    func run() throws {
        try runReportingFailures {
            let parts = endDate.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, weeks > 0, weeks <= 520 else {
                throw CLIFailure.configuration("--end-date must be YYYY-MM-DD and --weeks 1…520")
            }
            let athlete = SampleAthlete(weeks: weeks, seed: seed,
                                        endDate: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
            for url in try athlete.write(to: URL(fileURLWithPath: out)) { print(url.path) }
        }
    }
}
