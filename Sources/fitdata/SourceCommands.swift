import ArgumentParser
import ModelRunner

/// `fitdata source …`: commands about declared sources (today: `freshness`).
struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "source", abstract: "Commands about the project's sources.",
                                                    subcommands: [SourceFreshnessCommand.self])
}

/// `fitdata source freshness`: how old the newest row of each source table is, against its warn_after / error_after.
struct SourceFreshnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshness",
        abstract: "Check loaded_at_field of sources against freshness warn_after / error_after; write target/sources.json (exit 1 on ERROR).")
    @OptionGroup var options: ModelOptions
    @Option(name: [.short, .long], help: "Where to write the results (default: <target-dir>/sources.json).")
    var output: String?
    func run() throws {
        var o = options.runner(.sourceFreshness)
        o.freshnessOutput = output
        o.afterNodes = nil
        try runModelCommand(o)
    }
}

/// `fitdata snapshot`: records changes of the selected snapshots' queries as history rows (dbt's type-2 SCD).
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "Run snapshots (snapshots/*.sql and .yml snapshots:).")
    @OptionGroup var options: ModelOptions
    func run() throws { try runModelCommand(options.runner(.snapshot)) }
}
