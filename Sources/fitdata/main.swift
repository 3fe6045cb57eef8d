import ArgumentParser
import Foundation

/// The `fitdata` command line: argument parsing only; the work lives in the library modules.
struct Fitdata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fitdata",
        abstract: "Load Hevy and nutrition data into PostgreSQL, build the marts, write reports.",
        version: "0.1.0",
        subcommands: coreCommands + ModelCommands.all + SyncCommands.all + [ReportCommand.self, DashboardCommand.self, PipelineCommand.self]
    )
}

// Bad usage (unknown option, missing argument) exits 2 as documented, not ArgumentParser's 64.
let arguments = Array(CommandLine.arguments.dropFirst())
if let unknown = UnknownCommandCheck.unknownCommand(in: arguments, root: Fitdata.self) {
    FileHandle.standardError.write(Data("fitdata: '\(unknown.word)' is not a command of '\(unknown.path)' (see `\(unknown.path) --help`)\n".utf8))
    exit(2)
}
do {
    var command = try Fitdata.parseAsRoot()
    try command.run()
} catch {
    let code = Fitdata.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Data((Fitdata.fullMessage(for: error) + "\n").utf8))
        exit(2)
    }
    Fitdata.exit(withError: error)
}
