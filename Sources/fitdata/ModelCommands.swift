import ArgumentParser

/// Model-runner subcommands (build, run, test, compile, seed, ls, docs).
enum ModelCommands {
    static let all: [ParsableCommand.Type] = []
}
