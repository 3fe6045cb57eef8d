import ArgumentParser

/// Hevy API sync subcommands.
enum SyncCommands {
    static let all: [ParsableCommand.Type] = []
}
