import ArgumentParser
import Foundation
import HevySync
import Pipeline

/// `fitdata pipeline daily | weekly`.
struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Run the scheduled pipeline: sync, load the drop folder, build what changed, test (weekly: report).",
        discussion: """
            One pipeline runs per database at a time. Exit status: 0 every step ok or skipped; 1 a step failed
            (a sync error, a file rejected or not loaded, a build or test failure, the report not written) or another
            pipeline held the lock past --lock-timeout; 2 bad usage or configuration (options, the database unreachable
            or not initialized, an invalid project, a refused Hevy key). Rerunning after any failure is safe.
            See docs/pipeline.md.
            """,
        subcommands: [PipelineDaily.self, PipelineWeekly.self])
}

/// How step records are printed.
enum PipelineLogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Options of both pipelines.
struct PipelineRunOptions: ParsableArguments {
    @Option(help: "Athlete id the sync and the loads write for.") var athlete = "me"
    @Option(help: "IANA time zone (Area/City) for Hevy CSV local times and a new athlete (default: the athlete's, else UTC).")
    var timezone: String?
    @Option(help: "Drop folder: files are loaded, then moved to <inbox>/processed/ or <inbox>/rejected/ (with a .reason.txt).")
    var inbox: String?
    @Option(name: .customLong("log-format"), help: "text, or json: one JSON object per step on standard output (progress goes to standard error).")
    var logFormat: PipelineLogFormat = .text
    @Option(help: "The dbt-style project folder.") var projectDir = "dbt_style_models"
    @Option(help: "Where the runner writes artifacts (default: <project-dir>/target).") var targetDir: String?
    @Option(help: "Independent nodes built at the same time.") var threads = 1
    @Option(name: .customLong("lock-timeout"), help: "Seconds to wait for another pipeline on this database before exiting 1.")
    var lockTimeout: Double = 600
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        if !(lockTimeout >= 0) { throw ValidationError("--lock-timeout must be a number of seconds, 0 or more") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if athlete.isEmpty { throw ValidationError("--athlete must not be empty") }
    }

    /// The library's options; the Hevy settings come from HEVY_API_KEY and HEVY_API_URL (no key: the sync is skipped).
    func pipelineOptions(_ kind: PipelineOptions.Kind) throws -> PipelineOptions {
        var o = PipelineOptions(kind: kind)
        o.athleteID = athlete
        o.timezone = timezone
        o.inbox = inbox.map { URL(fileURLWithPath: $0, isDirectory: true) }
        o.projectDir = projectDir
        o.targetDir = targetDir
        o.threads = threads
        o.lockTimeout = lockTimeout
        o.conninfo = db.conninfo
        do {
            o.sync = try SyncConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch HevySyncError.missingAPIKey {
            o.sync = nil
        } catch {
            throw CLIFailure.configuration("\(error)")
        }
        return o
    }
}

/// Runs a pipeline, printing each step as it ends, and exits with its status.
func runPipeline(_ options: PipelineRunOptions, kind: PipelineOptions.Kind, report: (any WeeklyReportStep)?) throws {
    let pipelineOptions: PipelineOptions
    do { pipelineOptions = try options.pipelineOptions(kind) } catch let f as CLIFailure {
        printError("fitdata: \(f.description)")
        throw ExitCode(f.exitCode)
    }
    let json = options.logFormat == .json
    let out = LineWriter()
    let pipeline = Pipeline(options: pipelineOptions, report: report, onStep: { record in
        out.stdout(json ? record.jsonLine : record.textLine)
    }, log: { line in json ? out.stderr(line) : out.stdout(line) })
    let result = pipeline.run()
    if !json {
        for step in result.steps where step.outcome == .failed {
            out.stderr("fitdata: pipeline \(kind.rawValue): \(step.step) failed: \(step.error ?? "see above")")
        }
    }
    if result.exitCode != 0 { throw ExitCode(result.exitCode) }
}

/// Writes whole lines to standard output or error from any thread.
final class LineWriter: @unchecked Sendable {
    private let lock = NSLock()
    func stdout(_ line: String) { write(FileHandle.standardOutput, line) }
    func stderr(_ line: String) { write(FileHandle.standardError, line) }
    private func write(_ handle: FileHandle, _ line: String) {
        lock.lock(); defer { lock.unlock() }
        handle.write(Data((line + "\n").utf8))
    }
}

/// `fitdata pipeline daily`.
struct PipelineDaily: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daily", abstract: "Sync (when HEVY_API_KEY is set), load the drop folder, build what changed, run its tests.")
    @OptionGroup var options: PipelineRunOptions
    func run() throws { try runPipeline(options, kind: .daily, report: nil) }
}

/// `fitdata pipeline weekly`.
struct PipelineWeekly: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weekly", abstract: "The daily steps, then the weekly report for the last complete week in the athlete's time zone.")
    @OptionGroup var options: PipelineRunOptions
    @OptionGroup var report: WeeklyReportSettings
    func run() throws { try runPipeline(options, kind: .weekly, report: WeeklyReportCommandStep(settings: report)) }
}
