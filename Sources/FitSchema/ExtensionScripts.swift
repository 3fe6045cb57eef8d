import Foundation

/// The `fitness` extension's control file and scripts, read from `sql/`.
public struct ExtensionScripts: Sendable {
    /// The extension name.
    public static let name = "fitness"
    /// The schema the extension's objects live in.
    public static let schema = "fitness"
    /// `default_version` from the control file.
    public let defaultVersion: String
    let directory: URL

    /// Reads `fitness.control` in `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        let control = try String(contentsOf: directory.appendingPathComponent("\(Self.name).control"), encoding: .utf8)
        var version: String?
        for line in control.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "default_version" {
                version = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            }
        }
        defaultVersion = version ?? "1.0"
    }

    /// The full install script for `version`, rewritten to run as plain SQL (no `\echo`, schema substituted).
    public func plainInstallScript(version: String) throws -> String {
        try plain("\(Self.name)--\(version).sql")
    }

    /// The chain of plain-SQL upgrade scripts from `from` to `to`, or nil when no path exists.
    public func plainUpgradePath(from: String, to: String) throws -> [String]? {
        if from == to { return [] }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var edges: [String: [String]] = [:]
        for f in files where f.hasPrefix("\(Self.name)--") && f.hasSuffix(".sql") {
            let parts = f.dropFirst(Self.name.count + 2).dropLast(4).components(separatedBy: "--")
            if parts.count == 2 { edges[parts[0], default: []].append(parts[1]) }
        }
        // breadth-first search for the shortest chain
        var queue: [(String, [String])] = [(from, [])]
        var seen: Set<String> = [from]
        while !queue.isEmpty {
            let (v, path) = queue.removeFirst()
            for next in edges[v] ?? [] where !seen.contains(next) {
                let p = path + ["\(Self.name)--\(v)--\(next).sql"]
                if next == to { return try p.map(plain) }
                seen.insert(next)
                queue.append((next, p))
            }
        }
        return nil
    }

    private func plain(_ file: String) throws -> String {
        let url = directory.appendingPathComponent(file)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw SchemaError.missingExtensionScript(file) }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\\echo") }
            .joined(separator: "\n")
            .replacingOccurrences(of: "@extschema@", with: Self.schema)
    }
}
