import Foundation
import PostgresClient

/// Which `fitdata` model command runs.
public enum RunnerCommand: String, Sendable, CaseIterable {
    case build, run, test, compile, seed, ls, docs, snapshot
    /// `fitdata source freshness`.
    case sourceFreshness = "source-freshness"
}

/// Options shared by the model commands (parsed by the CLI, or set by tests).
public struct RunnerOptions: Sendable {
    public var command: RunnerCommand
    /// The dbt-style project folder (holding dbt_project.yml).
    public var projectDir: String = "dbt_style_models"
    /// Where artifacts go; default `<project-dir>/target`, like dbt's `target/` relative to the project.
    public var targetDir: String?
    public var select: [String] = []
    public var exclude: [String] = []
    public var fullRefresh = false
    public var threads = 1
    /// A folder with a previous `manifest.json` for `state:modified`.
    public var stateDir: String?
    /// libpq conninfo or URL; nil/empty uses `DATABASE_URL`, then libpq's `PG*` defaults.
    public var databaseURL: String?
    /// `--vars` as YAML or JSON.
    public var vars: String?
    /// Schema for models and seeds without `+schema` (default `public`).
    public var targetSchema = "public"
    /// `target.name` in templates (default `dev`).
    public var targetName = "dev"
    /// A role granted `USAGE` on every built schema and `SELECT` on every built relation.
    public var readerRole: String?
    /// `source freshness`: where the results go (default `<target>/sources.json`).
    public var freshnessOutput: String?
    /// `ls` output: `fqn` (default), `name`, `path`, `unique_id` or `json`.
    public var lsOutput = "fqn"
    /// `docs`: also apply descriptions as `COMMENT ON` (needs the database).
    public var docsApplyComments = true
    /// `docs`: also write `lineage.md` and `<docsERDSchema>-erd.md` (Mermaid, from the live catalog) into this folder.
    public var docsDiagramsDir: String?
    /// `docs`: the schema whose entity-relationship diagram `docsDiagramsDir` receives (default `core`).
    public var docsERDSchema = "core"
    /// Seconds `build`/`run`/`test`/`seed` wait for the data lock (running loads, syncs, another build); nil: no limit.
    public var lockTimeout: Double?
    /// `build`/`run`/`test`/`seed`: called on the connection holding the data lock once it is taken, before any node
    /// runs (so it sees the data every node reads); a throw stops the run before it builds anything (exit 1).
    public var beforeNodes: (@Sendable (Connection) throws -> Void)?
    /// `build`/`run`/`test`/`seed`: called on the connection holding the data lock after the last node, whatever the
    /// nodes' outcome (e.g. re-granting read access to replaced tables); a throw fails the run (exit 1).
    public var afterNodes: (@Sendable (Connection) throws -> Void)?
    /// `build`/`run`/`test`/`seed`: settings applied to each of the run's sessions as it opens (`set_config(name,
    /// value, false)`), before the data lock and any node; e.g. `jit = off` for the pipeline's incremental tests.
    public var sessionSettings: [String: String] = [:]

    public init(command: RunnerCommand) {
        self.command = command
    }

    /// The database URL to use: the option, else `DATABASE_URL`, else "" (libpq defaults).
    var resolvedConninfo: String {
        if let u = databaseURL, !u.isEmpty { return u }
        return ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
    }
}

/// The result of one executed (or skipped) node, shaped after dbt's run_results entries.
public struct NodeResult: Sendable {
    public var uniqueId: String
    /// dbt's statuses: `success`, `error`, `skipped` for models and seeds; `pass`, `fail`, `warn`, `error`, `skipped` for tests.
    public var status: String
    public var message: String = ""
    public var startedAt = Date()
    public var compiledAt = Date()
    public var completedAt = Date()
    public var rowsAffected: Int?
    /// The command tag-like response, e.g. `CREATE VIEW`, `SELECT 20000`.
    public var response = ""
    public var failures: Int?
    public var thread = "Thread-1"
    public var compiledPath: String?
    public var compiledSQL: String?
    public var relationName: String?
    /// Where the failing SQL lives (`models/x.sql:12` or the .yml test definition).
    public var location: String?

    public var executionTime: Double { completedAt.timeIntervalSince(startedAt) }

    /// True for results that fail the run (exit status 1).
    public var isFailure: Bool { status == "error" || status == "fail" }
}

/// Everything a run produced: exit status, per-node results and printed lines.
public struct RunOutcome: Sendable {
    public var exitCode: Int32
    public var results: [NodeResult]
    public var elapsed: Double

    public func result(_ uniqueIdSuffix: String) -> NodeResult? {
        results.first { $0.uniqueId == uniqueIdSuffix || $0.uniqueId.hasSuffix("." + uniqueIdSuffix) }
    }
}
