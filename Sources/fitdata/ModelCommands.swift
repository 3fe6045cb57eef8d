import ArgumentParser
import Foundation
import FitSchema
import ModelRunner

/// Model-runner subcommands (build, run, test, compile, seed, ls, docs).
enum ModelCommands {
    static let all: [ParsableCommand.Type] = [
        BuildCommand.self, RunCommand.self, TestCommand.self, CompileCommand.self, SeedCommand.self, LsCommand.self, DocsCommand.self,
        DepsCommand.self,
        SnapshotCommand.self, SourceCommand.self,
    ]
}

/// Options shared by every model command.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "The dbt-style project folder (holding dbt_project.yml).")
    var projectDir = "dbt_style_models"

    @Option(name: .long, help: "Where artifacts go (default: <project-dir>/target).")
    var targetDir: String?

    @Option(name: [.short, .long], parsing: .upToNextOption,
            help: "Nodes to include: name, +name, name+, tag:x, path:models/marts, state:modified+ … (union).")
    var select: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Nodes to leave out (same syntax as --select).")
    var exclude: [String] = []

    @Flag(name: .long, help: "Rebuild incremental models from scratch.")
    var fullRefresh = false

    @Option(name: .long, help: "Independent nodes to run at the same time, one connection each (default: the number of CPU cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "A folder with a previous manifest.json, for state:modified selection.")
    var state: String?

    @OptionGroup var db: DatabaseOptions

    @Option(name: .long, help: "Variables as YAML or JSON, e.g. '{\"e1rm_formula\": \"brzycki\"}'.")
    var vars: String?

    @Option(name: .long, help: "Schema for models and seeds without +schema.")
    var targetSchema = "public"

    @Option(name: .long, help: "`target.name` in templates (e.g. for a generate_schema_name override).")
    var targetName = "dev"

    @Option(name: .long, help: "Role granted USAGE on built schemas and SELECT on built relations.")
    var readerRole: String?

    @Option(name: .long, help: "Seconds to wait for running loads, syncs or another build before giving up (default: no limit).")
    var lockTimeout: Double?

    func validate() throws {
        if let t = lockTimeout, !(t >= 0) { throw ValidationError("--lock-timeout must be a number of seconds, 0 or more") }
    }

    func runner(_ command: RunnerCommand) -> RunnerOptions {
        var o = RunnerOptions(command: command)
        o.projectDir = projectDir
        o.targetDir = targetDir
        o.select = select
        o.exclude = exclude
        o.fullRefresh = fullRefresh
        o.threads = threads
        o.stateDir = state
        o.databaseURL = db.databaseURL
        o.vars = vars
        o.targetSchema = targetSchema
        o.targetName = targetName
        o.readerRole = readerRole
        o.lockTimeout = lockTimeout
        // materializations replace tables (and their grants): readers from `db grant-reader` get the new ones
        o.afterNodes = { conn in _ = try ReaderAccess.reapply(on: conn) }
        return o
    }
}

/// Runs the model runner and exits with its status (0 ok, 1 a node failed, 2 bad usage or project).
func runModelCommand(_ options: RunnerOptions) throws {
    let outcome = ModelRunner(options: options).execute()
    if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
}

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Seeds, models, and their tests, in dependency order.")
    @OptionGroup var options: ModelOptions
    func run() throws { try runModelCommand(options.runner(.build)) }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Build models (no seeds, no tests).")
    @OptionGroup var options: ModelOptions
    func run() throws { try runModelCommand(options.runner(.run)) }
}

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test", abstract: "Run data tests and unit tests.")
    @OptionGroup var options: ModelOptions
    func run() throws { try runModelCommand(options.runner(.test)) }
}

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compile", abstract: "Render models and tests to target/compiled (no database).")
    @OptionGroup var options: ModelOptions
    func run() throws { try runModelCommand(options.runner(.compile)) }
}

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Load CSV seeds into tables.")
    @OptionGroup var options: ModelOptions
    func run() throws { try runModelCommand(options.runner(.seed)) }
}

struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the selected nodes.")
    @OptionGroup var options: ModelOptions
    @Option(name: .long, help: "fqn, name, path, unique_id or json.")
    var output = "fqn"
    func run() throws {
        var o = options.runner(.ls)
        o.lsOutput = output
        try runModelCommand(o)
    }
}

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "docs",
        abstract: "Write target/lineage.mmd and target/index.html; apply descriptions as COMMENT ON; optionally the committed Mermaid diagrams.")
    @OptionGroup var options: ModelOptions
    @Flag(name: .long, help: "Do not apply COMMENT ON (without --write-diagrams: do not connect to the database).")
    var noComments = false
    @Option(name: .long, help: "Also write lineage.md and <erd-schema>-erd.md (Mermaid, the ERD read from the live catalog) into DIR, e.g. docs/generated.")
    var writeDiagrams: String?
    @Option(name: .long, help: "The schema drawn by --write-diagrams.")
    var erdSchema = "core"
    func run() throws {
        var o = options.runner(.docs)
        o.docsApplyComments = !noComments
        o.docsDiagramsDir = writeDiagrams
        o.docsERDSchema = erdSchema
        try runModelCommand(o)
    }
}
