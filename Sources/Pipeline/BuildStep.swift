import FitSchema
import Foundation
import ModelRunner
import PostgresClient

/// The build and test steps: the models downstream of what changed since the last pipeline build, then their tests.
///
/// What changed is decided from fingerprints (``BuildInputs``) against those stored by the last run whose build and
/// tests passed (`meta.pipeline_built_inputs`): no stored run, or different project files → everything
/// (seeds, models, tests); else the runner's `source:<source>.<table>+` for each source whose fingerprint differs;
/// nothing differs → nothing is built or tested. Because the comparison is with the last *successful* build, a run
/// after a failed one rebuilds what the failed one did not finish, whatever this run loaded.
///
/// The core tables the triggers of migration 0013 log (``ChangeLog``) are not fingerprinted: a logged table changed
/// when `core.change_log` has a row for it after `meta.mart_watermark`, and the incremental models rebuild only the
/// changed athletes from the changed dates on. A change of the exercises or their aliases rebuilds the models
/// downstream of them in full (`--full-refresh`), as does a build of everything.
///
/// The fingerprints and the change log's head recorded are read on the build's own connection after it took the
/// data lock (so they are those of the data every node read), and recorded only once the tests passed.
struct BuildStep {
    let options: PipelineOptions
    let project: Project
    let log: @Sendable (String) -> Void

    /// What to build, decided before the build.
    struct Plan {
        /// The runner's `--select`; empty: everything.
        var selection: [String] = []
        /// Source keys whose fingerprint differs (all on a full build).
        var changed: Set<String> = []
        var full = false
        /// Rebuild the selected incremental models from scratch (a build of everything, or changed exercises).
        var fullRefresh = false
        /// The logged tables whose change-capture triggers exist: not fingerprinted.
        var captured: Set<String> = []
        var nothing = false
        var reason = ""
        var projectFingerprint = ""
    }

    var inputs: BuildInputs { BuildInputs(project: project) }

    var projectURL: URL { URL(fileURLWithPath: options.projectDir).standardizedFileURL }

    func plan(_ connection: Connection) throws -> Plan {
        var p = Plan()
        let targetURL = options.targetDir.map { URL(fileURLWithPath: $0) } ?? projectURL.appendingPathComponent("target")
        p.projectFingerprint = try BuildInputs.projectFingerprint(projectURL, excluding: [targetURL])
        let stored = try BuildInputs.stored(connection)
        let inputs = self.inputs
        if stored[BuildInputs.projectKey] == nil {
            p.full = true
            p.reason = "no successful pipeline build recorded yet: everything is built"
        } else if stored[BuildInputs.projectKey] != p.projectFingerprint {
            p.full = true
            p.reason = "the model project's files changed since the last pipeline build: everything is built"
        }
        if p.full {
            p.changed = Set(inputs.sources.map(\.key))
            p.fullRefresh = true
            p.captured = try ChangeLog.capturedKeys(connection)
            return p
        }
        let captured = try ChangeLog.capturedKeys(connection)
        p.captured = captured
        let current = try inputs.fingerprints(connection, captured: captured)
        let pending = try ChangeLog.pendingKeys(connection)
        let changed = inputs.sources.filter { s in
            captured.contains(s.key) ? pending.contains(s.key) : current[s.key] != stored[s.key]
        }
        // Exercises (every set's metrics) and athlete tables without change capture (Citus) need a full rebuild.
        p.fullRefresh = changed.contains {
            ChangeLog.fullRefreshKeys.contains($0.key) || (ChangeLog.loggedKeys.contains($0.key) && !captured.contains($0.key))
        }
        p.changed = Set(changed.map(\.key))
        p.selection = changed.map(\.selector)
        if changed.isEmpty {
            p.nothing = true
            p.reason = "no source changed since the last pipeline build: nothing to build"
        } else {
            p.reason = "changed since the last pipeline build: " + changed.map { String($0.key.dropFirst("source:".count)) }.joined(separator: ", ")
                + (p.fullRefresh ? " (rebuilt in full: exercises, or a table without change capture, changed)" : "")
        }
        return p
    }

    private func runnerOptions(_ command: RunnerCommand, _ plan: Plan) -> RunnerOptions {
        var o = RunnerOptions(command: command)
        o.projectDir = options.projectDir
        o.targetDir = options.targetDir
        o.threads = options.threads
        o.databaseURL = options.conninfo
        o.select = plan.selection
        o.fullRefresh = plan.fullRefresh && command == .build
        return o
    }

    /// Builds the seeds and models of `plan` (no tests); returns the fingerprints read under the data lock.
    func build(_ plan: Plan, _ record: inout StepRecord) -> [String: String]? {
        record.selection = plan.selection
        record.note = plan.reason
        let box = FingerprintBox()
        let inputs = self.inputs
        let keys: Set<String>? = plan.full ? nil : plan.changed
        let captured = plan.captured
        var o = runnerOptions(.build, plan)
        o.exclude = ["resource_type:test", "resource_type:unit_test"]
        o.beforeNodes = { conn in
            var read = try inputs.fingerprints(conn, keys: keys, captured: captured)
            read[ChangeLog.watermarkKey] = String(try ChangeLog.head(conn))
            box.set(read)
        }
        o.afterNodes = { conn in _ = try ReaderAccess.reapply(on: conn) }
        let errors = LineBox()
        let log = self.log
        let outcome = ModelRunner(options: o, log: log, logError: { line in errors.append(line); log(line) }).execute()
        let results = outcome.results
        func count(_ prefix: String, _ status: String) -> Int {
            results.filter { $0.uniqueId.hasPrefix(prefix) && $0.status == status }.count
        }
        record.counts = ["models": count("model.", "success"), "seeds": count("seed.", "success"),
                         "errors": results.filter(\.isFailure).count, "skipped": results.filter { $0.status == "skipped" }.count]
        if outcome.exitCode == 0 {
            record.finish(.ok)
            return box.value
        }
        record.isConfiguration = outcome.exitCode == 2
        record.finish(.failed, error: Self.failureText(results, errors.lines))
        return nil
    }

    /// Runs the data (and unit) tests of what `plan` selected.
    func test(_ plan: Plan, _ record: inout StepRecord) {
        record.selection = plan.selection
        let errors = LineBox()
        let log = self.log
        var o = runnerOptions(.test, plan)
        let scope = Self.testScope(plan, kind: options.kind)
        o.vars = scope.vars
        o.sessionSettings = scope.sessionSettings
        o.exclude = scope.exclude
        record.note = scope.note
        let outcome = ModelRunner(options: o, log: log,
                                  logError: { line in errors.append(line); log(line) }).execute()
        let results = outcome.results
        for status in ["pass", "fail", "warn", "error", "skipped"] {
            record.counts[status] = results.filter { $0.status == status }.count
        }
        if outcome.exitCode == 0 {
            record.finish(.ok)
        } else {
            record.isConfiguration = outcome.exitCode == 2
            record.finish(.failed, error: Self.failureText(results, errors.lines))
        }
    }

    /// What the test step of `plan` reads and how its sessions run (docs/scaling.md "The daily pipeline tests the rows
    /// it rebuilt"). After an incremental build, the daily pipeline tests the rows it rebuilt (the project's
    /// get_where_subquery reads the var) and leaves the whole-history audits (`tag:whole_history`) to the weekly
    /// pipeline, in sessions without JIT: those tests' estimates grow with the history (the planner cannot know how many
    /// weeks `week_start >= rebuild_week` leaves and assumes a third of the athlete's rows), and past jit_above_cost each
    /// test of a few milliseconds was compiled with LLVM for half a second (dbt has no hooks for tests; the models turn
    /// JIT off in their own pre-hook). A full build, and every weekly pipeline, test every row with the server's settings.
    static func testScope(_ plan: Plan, kind: PipelineOptions.Kind)
        -> (vars: String?, sessionSettings: [String: String], exclude: [String], note: String) {
        if plan.full || plan.fullRefresh || kind == .weekly { return (nil, [:], [], "every row") }
        return (#"{"test_changed_rows_only": true}"#, ["jit": "off"], ["tag:whole_history"],
                "the rows the incremental build rewrote (test_changed_rows_only), without JIT; the whole-history audits "
                    + "(tag:whole_history) are left to the weekly pipeline")
    }

    /// The failed nodes, one line each, or the runner's error lines when no node ran.
    static func failureText(_ results: [NodeResult], _ errorLines: [String]) -> String {
        let failed = results.filter(\.isFailure)
        if failed.isEmpty {
            return errorLines.filter { $0.hasPrefix("error") }.joined(separator: "; ").nonEmpty ?? "the runner failed (see its output)"
        }
        let shown = failed.prefix(5).map { r in
            "\(r.uniqueId) \(r.status)" + (r.message.split(separator: "\n").first.map { ": \($0)" } ?? "")
        }
        return shown.joined(separator: "; ") + (failed.count > 5 ? "; and \(failed.count - 5) more" : "")
    }
}

/// Fingerprints handed from the runner's hook (another thread) to the step.
final class FingerprintBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String: String]?
    func set(_ v: [String: String]) { lock.lock(); stored = v; lock.unlock() }
    var value: [String: String]? { lock.lock(); defer { lock.unlock() }; return stored }
}

/// Lines collected from concurrent writers.
final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
}

extension String {
    /// nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
