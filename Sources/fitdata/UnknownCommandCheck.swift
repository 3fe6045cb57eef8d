import ArgumentParser

/// Finds a word that names no subcommand where one is expected, before `--help` can hide it.
///
/// ArgumentParser answers `fitdata nosuch --help` with the root help and exit 0; a script that
/// mistyped a command would then look successful. This walks the leading words of `arguments`
/// down the command tree and returns the first one that is not a subcommand of its parent.
enum UnknownCommandCheck {
    /// The unknown word and the command path it followed, or nil when every leading word names a command.
    static func unknownCommand(in arguments: [String], root: ParsableCommand.Type) -> (word: String, path: String)? {
        var command = root
        var path = [root._commandName]
        var words = arguments[...]
        if words.first == "help" { words = words.dropFirst() }
        for word in words {
            if word.hasPrefix("-") { return nil }
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { return nil }   // from here on, words are the command's own arguments
            guard let next = subcommands.first(where: { $0._commandName == word || $0.configuration.aliases.contains(word) }) else {
                return (word, path.joined(separator: " "))
            }
            command = next
            path.append(word)
        }
        return nil
    }
}
