import ArgumentParser

/// The `fitdata` command line: argument parsing only; the work lives in the library modules.
struct Fitdata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fitdata",
        abstract: "Load Hevy and nutrition data into PostgreSQL, build the marts, write reports.",
        subcommands: coreCommands + ModelCommands.all + SyncCommands.all
    )
}

Fitdata.main()
