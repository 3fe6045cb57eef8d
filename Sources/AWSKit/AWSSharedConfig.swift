import Foundation

/// The shared AWS files (`~/.aws/credentials` and `~/.aws/config`) and the profile in use, as the AWS SDKs find them.
struct AWSSharedConfig {
    /// The profile: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`.
    let profile: String
    /// True when the profile was named in the environment (a missing one is then an error).
    let profileExplicit: Bool
    let credentialsPath: String
    let configPath: String
    /// The profile's settings in the credentials file (nil: file or section absent).
    let credentialsSection: [String: String]?
    /// The profile's settings in the config file (`[default]` or `[profile NAME]`; nil: absent).
    let configSection: [String: String]?
    let credentialsFileExists: Bool
    let configFileExists: Bool

    /// Reads the files named by `environment` (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, else under
    /// `$HOME/.aws`); the credentials file only when `credentials` is true (region lookups leave it alone).
    init(environment: [String: String], credentials readCredentials: Bool = true) throws {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func expand(_ path: String) -> String {
            path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst(1) : path
        }
        credentialsPath = expand(environment.nonEmpty("AWS_SHARED_CREDENTIALS_FILE") ?? "\(home)/.aws/credentials")
        configPath = expand(environment.nonEmpty("AWS_CONFIG_FILE") ?? "\(home)/.aws/config")
        let named = environment.nonEmpty("AWS_PROFILE") ?? environment.nonEmpty("AWS_DEFAULT_PROFILE")
        profile = named ?? "default"
        profileExplicit = named != nil
        let credentials = readCredentials ? try Self.read(credentialsPath) : nil
        let config = try Self.read(configPath)
        credentialsFileExists = credentials != nil
        configFileExists = config != nil
        credentialsSection = credentials?[profile]
        configSection = config?[profile == "default" ? "default" : "profile \(profile)"]
            ?? (profile == "default" ? config?["profile default"] : nil)
    }

    /// Whether the profile exists in either file.
    var profileFound: Bool { credentialsSection != nil || configSection != nil }

    /// The sections of the INI file at `path`, or nil when there is no such file.
    static func read(_ path: String) throws -> [String: [String: String]]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSCredentialsError.malformedFile(path: path, line: 0, reason: "cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the AWS INI dialect: `[section]` headers, `key = value` lines, `#`/`;` comment lines.
    /// Indented lines (nested settings such as `s3 =` blocks) are skipped; keys are lower-cased.
    static func parse(_ text: String, path: String) throws -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if rawLine.first == " " || rawLine.first == "\t" {
                guard current != nil else {
                    throw AWSCredentialsError.malformedFile(path: path, line: lineNumber, reason: "an indented line before any [section]")
                }
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw AWSCredentialsError.malformedFile(path: path, line: lineNumber, reason: "a section header without its closing ]")
                }
                let name = line.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let section = current else {
                throw AWSCredentialsError.malformedFile(path: path, line: lineNumber, reason: "a setting before any [section]")
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw AWSCredentialsError.malformedFile(path: path, line: lineNumber, reason: "expected key = value")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw AWSCredentialsError.malformedFile(path: path, line: lineNumber, reason: "a setting without a name")
            }
            sections[section]![key] = value
        }
        return sections
    }
}

extension Dictionary where Key == String, Value == String {
    /// The value of `key` unless it is missing or empty (the SDKs treat an empty variable as unset).
    func nonEmpty(_ key: String) -> String? {
        guard let value = self[key], !value.isEmpty else { return nil }
        return value
    }
}
