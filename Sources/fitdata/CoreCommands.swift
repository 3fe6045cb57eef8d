import ArgumentParser

/// db, load and sample subcommands.
let coreCommands: [ParsableCommand.Type] = [DB.self, Load.self, Sample.self]
