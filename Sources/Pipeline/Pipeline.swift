import FitDomain
import Foundation
import ModelRunner
import PostgresClient

/// One run of `fitdata pipeline daily | weekly`: sync → load → build → test (→ report), one run per database.
///
/// Call from a plain thread (libpq and the HTTP transport block). Steps after a failed one still run when they do not
/// depend on it: a failed sync or load does not stop the build of what did change; a failed build skips the tests,
/// and a failed build or test skips the report (it would read marts that are stale or fail their tests).
public final class Pipeline {
    /// How the run ended.
    public struct Result: Sendable {
        /// `meta.pipeline_runs.run_id`; nil when the run did not start (bad configuration, lock not taken).
        public var runID: Int64?
        /// 0 every step ok or skipped; 1 a step failed (or another pipeline held the lock); 2 bad usage or configuration.
        public var exitCode: Int32
        public var steps: [StepRecord]
    }

    let options: PipelineOptions
    let report: (any WeeklyReportStep)?
    let onStep: @Sendable (StepRecord) -> Void
    let log: @Sendable (String) -> Void

    /// - Parameters:
    ///   - report: the weekly report step (required for `weekly`; ignored for `daily`).
    ///   - onStep: receives each step's record as it finishes, then the closing `pipeline` record.
    ///   - log: receives the steps' own progress lines (the runner's node lines, the sync's and loaders' summaries).
    public init(options: PipelineOptions, report: (any WeeklyReportStep)? = nil,
                onStep: @escaping @Sendable (StepRecord) -> Void, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.report = report
        self.onStep = onStep
        self.log = log
    }

    /// Runs the pipeline; never throws.
    public func run() -> Result {
        let started = Date()
        var steps: [StepRecord] = []
        var recorder: RunRecord?
        func emit(_ r: StepRecord) {
            steps.append(r)
            onStep(r)
            if let recorder { do { try recorder.append(r) } catch { log("warning: could not record step \(r.step) in meta.pipeline_runs: \(error)") } }
        }
        func stop(_ step: String, _ error: Error) -> Result {
            var r = StepRecord(step: step)
            let config = (error as? PipelineError)?.isConfiguration ?? false
            r.isConfiguration = config
            r.finish(.failed, error: "\(error)")
            emit(r)
            return close(Result(runID: nil, exitCode: config ? 2 : 1, steps: steps), started: started, emit: { onStep($0) })
        }

        // configuration first: nothing is locked or recorded for a run that cannot work
        let project: Project
        let folder: DropFolder?
        let control: Connection
        do {
            folder = try options.inbox.map(DropFolder.init)
            project = try loadProject()
            do { control = try Connection(conninfo: options.conninfo) }
            catch { throw PipelineError.configuration("\(error)") }
            try control.query("SELECT set_config('application_name', $1, false)", ["fitdata pipeline \(options.kind.rawValue)"])
            try RunRecord.checkSchema(control)
            if let tz = options.timezone {
                do { try Athletes.validateTimezone(tz, on: control) } catch { throw PipelineError.configuration("--timezone: \(error)") }
            }
        } catch {
            return stop("start", error)
        }
        defer { control.close() }

        var lock = StepRecord(step: "lock")
        do {
            try PipelineLock.acquire(control, timeout: options.lockTimeout) { holder in
                self.log("waiting for another pipeline to finish: \(holder)")
            }
            recorder = try RunRecord.start(control, kind: options.kind, athleteID: options.athleteID)
        } catch {
            return stop("lock", error)
        }
        defer { PipelineLock.release(control) }
        lock.counts = ["run_id": Int(recorder!.runID)]
        lock.finish(.ok)
        emit(lock)

        // sync
        var sync = StepRecord(step: "sync")
        if var config = options.sync {
            config.athleteID = options.athleteID
            config.timezoneForNewAthlete = options.timezone ?? config.timezoneForNewAthlete
            do {
                let conn = try workConnection()
                defer { conn.close() }
                SyncStep(configuration: config, connection: conn, log: log).run(&sync)
            } catch {
                sync.finish(.failed, error: "\(error)")
            }
        } else {
            sync.note = "skipped: \(options.syncSkipReason)"
            sync.finish(.skipped)
        }
        emit(sync)

        // load
        var load = StepRecord(step: "load")
        if let folder {
            do {
                let conn = try workConnection()
                defer { conn.close() }
                try LoadStep(folder: folder, connection: conn, athleteID: options.athleteID, timezone: options.timezone, log: log).run(&load)
            } catch {
                load.finish(.failed, error: "\(error)")
            }
        } else {
            load.note = "skipped: no --inbox"
            load.finish(.skipped)
        }
        emit(load)

        // build and test
        let builder = BuildStep(options: options, project: project, log: log)
        var build = StepRecord(step: "build")
        var plan: BuildStep.Plan?
        do { plan = try builder.plan(control) } catch { build.finish(.failed, error: "deciding what changed: \(error)") }
        var built: [String: String]?
        if let plan {
            if plan.nothing {
                build.note = plan.reason
                build.finish(.skipped)
            } else {
                built = builder.build(plan, &build)
            }
        }
        emit(build)
        var test = StepRecord(step: "test")
        // The weekly pipeline tests every row even when nothing changed since the daily runs: they leave the
        // whole-history audits to it (BuildStep.testScope), and its report reads the marts they audit.
        let audit = options.kind == .weekly && build.outcome == .skipped && plan?.nothing == true
        if let plan, build.outcome == .ok || audit {
            builder.test(plan, &test)   // with nothing changed, the selection is empty: every test
            if test.outcome == .ok, let built, let recorder {
                var inputs = built
                let watermark = inputs.removeValue(forKey: ChangeLog.watermarkKey).flatMap { Int64($0) }
                if plan.full { inputs[BuildInputs.projectKey] = plan.projectFingerprint }
                do {
                    try BuildInputs.record(inputs, runID: recorder.runID, on: control)
                    if let watermark { try ChangeLog.advance(to: watermark, on: control) }
                }
                catch { test.finish(.failed, error: "the tests passed but recording what was built failed: \(error)") }
            }
        } else {
            test.note = build.outcome == .skipped ? "skipped: nothing was built" : "skipped: the build failed"
            test.finish(.skipped)
        }
        emit(test)

        // report
        if options.kind == .weekly {
            var step = StepRecord(step: "report")
            if build.outcome == .failed || test.outcome == .failed {
                step.note = "skipped: the \(build.outcome == .failed ? "build" : "data tests") failed, so the marts may be stale or wrong"
                step.finish(.skipped)
            } else if let report {
                do {
                    let conn = try workConnection()
                    defer { conn.close() }
                    let out = try report.run(athleteID: options.athleteID, connection: conn)
                    step.counts = ["files": out.locations.count]
                    step.note = "\(out.week): " + out.locations.joined(separator: ", ")
                    step.finish(.ok)
                } catch let e as PipelineError {
                    step.isConfiguration = e.isConfiguration
                    step.finish(.failed, error: e.description)
                } catch {
                    step.finish(.failed, error: "\(error)")
                }
            } else {
                step.finish(.failed, error: "no report step was supplied to the weekly pipeline")
            }
            emit(step)
        }

        let failed = steps.filter { $0.outcome == .failed }
        let code: Int32 = failed.isEmpty ? 0 : (failed.contains(where: \.isConfiguration) ? 2 : 1)
        if let recorder { do { try recorder.finish(exitCode: code) } catch { log("warning: could not record the run's end: \(error)") } }
        return close(Result(runID: recorder?.runID, exitCode: code, steps: steps), started: started, emit: { onStep($0) })
    }

    /// Emits the closing `pipeline` record.
    private func close(_ result: Result, started: Date, emit: (StepRecord) -> Void) -> Result {
        var r = StepRecord(step: "pipeline", started: started)
        r.counts = ["exit_code": Int(result.exitCode), "failed_steps": result.steps.filter { $0.outcome == .failed }.count]
        if let id = result.runID { r.counts["run_id"] = Int(id) }
        r.note = "\(options.kind.rawValue) pipeline for athlete '\(options.athleteID)'"
        let failed = result.steps.filter { $0.outcome == .failed }.map(\.step)
        r.finish(result.exitCode == 0 ? .ok : .failed, error: failed.isEmpty ? nil : "failed step(s): \(failed.joined(separator: ", "))")
        emit(r)
        return result
    }

    /// A new connection for a step's own work (the control connection holds only the pipeline lock and the run's row).
    private func workConnection() throws -> Connection {
        try Connection(conninfo: options.conninfo)
    }

    /// The model project, checked (a broken project is a configuration error).
    private func loadProject() throws -> Project {
        var o = RunnerOptions(command: .build)
        o.projectDir = options.projectDir
        do { return try ModelRunner(options: o, log: { _ in }, logError: log).loadProject().0 }
        catch { throw PipelineError.configuration("--project-dir \(options.projectDir): \(error)") }
    }
}
