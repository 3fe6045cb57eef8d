import Crypto
import Foundation
import PostgresClient
import Yams

/// `package-lock.yml`: the packages `fitdata deps` installed, pinned (git revisions as commit ids), with a hash
/// of the declared packages. Same layout as dbt 1.11's file (`packages:` entries with `name:`, then `sha1_hash:`).
/// When the hash still matches the declared packages, `fitdata deps` installs exactly what the lock says.
struct PackageLock: Equatable {
    static let fileName = "package-lock.yml"

    /// One installed package: its pinned source and the folder name under the install path.
    struct Entry: Equatable {
        var source: PackageSpec.Source
        var name: String
    }

    var entries: [Entry]
    var hash: String

    /// The lock in `root`, nil when there is none.
    static func read(projectRoot root: URL) throws -> PackageLock? {
        let path = root.appendingPathComponent(fileName).path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch let e as YamlError { throw yamlProjectError(e, file: fileName) }
        guard let node, let list = node["packages"]?.sequence else {
            throw ProjectError("\(fileName) has no `packages:` list (delete it and run fitdata deps again)",
                               at: SourceLocation(file: fileName, line: 1))
        }
        var entries: [Entry] = []
        for item in list {
            let spec = try PackageManifest.spec(item, file: fileName)
            guard let name = spec.declaredName else {
                throw ProjectError("a \(fileName) entry has no `name:`", at: spec.location)
            }
            entries.append(Entry(source: spec.source, name: name))
        }
        return PackageLock(entries: entries, hash: node["sha1_hash"]?.string ?? "")
    }

    /// Writes the lock into `root`, laid out as dbt writes it (list items indented under `packages:`).
    func write(projectRoot root: URL) throws {
        var text = "packages:\n"
        for e in entries {
            var prefix = "  - "
            for (k, v) in PackageLock.fields(of: e.source) + [("name", .scalar(e.name))] {
                switch v {
                case .scalar(let s): text += "\(prefix)\(k): \(PackageLock.yamlScalar(s))\n"
                case .list(let l): text += "\(prefix)\(k): [\(l.map(PackageLock.yamlScalar).joined(separator: ", "))]\n"
                }
                prefix = "    "
            }
        }
        text += "sha1_hash: \(hash)\n"
        try text.write(to: root.appendingPathComponent(PackageLock.fileName), atomically: true, encoding: .utf8)
    }

    /// A string as a YAML scalar: plain when it cannot be read as anything else (names, paths, URLs, versions
    /// like `1.3.3`, commit ids), else double-quoted.
    static func yamlScalar(_ s: String) -> String {
        let word = s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._/:@-".contains($0)) }
        let startsSafely = s.first.map { $0.isLetter || $0 == "." || $0 == "/" || $0 == "_" } ?? false
        let version = s.first?.isNumber == true && s.filter({ $0 == "." }).count >= 2 && !s.contains(":")
        let commit = s.count == 40 && s.allSatisfy(\.isHexDigit) && s.contains(where: \.isLetter)
        let plain = word && (startsSafely || version || commit)
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(s.lowercased())
        if plain { return s }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A lock field's value: one string or a list of them.
    enum FieldValue: Equatable {
        case scalar(String)
        case list([String])
    }

    /// The keys an entry is written with, in dbt's order.
    static func fields(of source: PackageSpec.Source) -> [(String, FieldValue)] {
        switch source {
        case .local(let path): return [("local", .scalar(path))]
        case .git(let url, let revision, let sub):
            var f: [(String, FieldValue)] = [("git", .scalar(url))]
            if let revision { f.append(("revision", .scalar(revision))) }
            if let sub { f.append(("subdirectory", .scalar(sub))) }
            return f
        case .hub(let package, let versions):
            return [("package", .scalar(package)), ("version", versions.count == 1 ? .scalar(versions[0]) : .list(versions))]
        }
    }

    /// SHA-1 of the declared packages: each entry as JSON with sorted keys, the lines sorted. It changes exactly
    /// when packages.yml's entries change. (dbt hashes its own internal form, so the two hashes differ: dbt
    /// re-resolves a lock written by fitdata and the other way round.)
    static func hash(of specs: [PackageSpec]) -> String {
        let lines = specs.map { spec -> String in
            var obj: [String: Any] = [:]
            for (k, v) in fields(of: spec.source) {
                switch v {
                case .scalar(let s): obj[k] = s
                case .list(let l): obj[k] = l
                }
            }
            if let name = spec.declaredName { obj["name"] = name }
            let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }.sorted()
        return Hex.lowercase(Insecure.SHA1.hash(data: Data(lines.joined(separator: "\n").utf8)))
    }
}
