import ArgumentParser
import FitLoader
import Foundation

/// `fitdata sample`: synthetic athletes written in the real export formats.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write deterministic synthetic athletes (Hevy CSV, nutrition exports, body weight) for demos, tests and benchmarks.",
        discussion: """
            With --athletes 1 (the default) one athlete is written straight into --out: hevy_workouts.csv, \
            cronometer_dailysummary.csv, body_weight.csv. With --athletes N > 1 each athlete gets a folder \
            --out/<athlete_id>/ (own time zone, program, units, nutrition app and logging gaps) and \
            --out/athletes.csv lists them for scripts/load-sample-athletes.sh.
            """)
    @Option(help: "Number of weeks of training.") var weeks = 26
    @Option(help: "Random seed: the same seed gives the same files.") var seed: UInt64 = 42
    @Option(help: "Last day covered, YYYY-MM-DD (default 2026-11-22, a Sunday).") var endDate = "2026-11-22"
    @Option(help: "Number of athletes (1…100000); more than 1 writes one folder per athlete and athletes.csv.") var athletes = 1
    @Option(help: "Athletes written at a time (default: the number of cores).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Output directory.") var out: String

    func run() throws {
        try runReportingFailures {
            let parts = endDate.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, weeks > 0, weeks <= 520 else {
                throw CLIFailure.configuration("--end-date must be YYYY-MM-DD and --weeks 1…520")
            }
            guard (1...100_000).contains(athletes), jobs >= 1 else {
                throw CLIFailure.configuration("--athletes must be 1…100000 and --jobs at least 1")
            }
            let end = DateComponents(year: parts[0], month: parts[1], day: parts[2])
            let dir = URL(fileURLWithPath: out)
            guard athletes > 1 else {
                for url in try SampleAthlete(weeks: weeks, seed: seed, endDate: end).write(to: dir) { print(url.path) }
                return
            }
            let summary = try SampleRoster(athletes: athletes, weeks: weeks, seed: seed, endDate: end).write(to: dir, jobs: jobs)
            print(summary.manifest.path)
            printError("wrote \(summary.athletes) athletes × \(weeks) weeks: \(summary.workouts) workouts, "
                       + "\(summary.setRows) set rows, \(summary.bytes) bytes")
        }
    }
}
