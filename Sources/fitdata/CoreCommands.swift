import ArgumentParser

/// db, load, targets and sample subcommands.
let coreCommands: [ParsableCommand.Type] = [DB.self, Load.self, Targets.self, Sample.self]
