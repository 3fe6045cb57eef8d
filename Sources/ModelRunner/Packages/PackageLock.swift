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

    /// Writes the lock into `root`.
    func write(projectRoot root: URL) throws {
        var items: [Node] = []
        for e in entries {
            var pairs: [(Node, Node)] = []
            for (k, v) in PackageLock.fields(of: e.source) { pairs.append((Node(k), v)) }
            pairs.append((Node("name"), Node(e.name)))
            items.append(Node(pairs))
        }
        let doc = Node([(Node("packages"), Node(items)), (Node("sha1_hash"), Node(hash))])
        let text = try Yams.serialize(node: doc)
        try text.write(to: root.appendingPathComponent(PackageLock.fileName), atomically: true, encoding: .utf8)
    }

    /// The keys an entry is written with, in dbt's order.
    static func fields(of source: PackageSpec.Source) -> [(String, Node)] {
        switch source {
        case .local(let path): return [("local", Node(path))]
        case .git(let url, let revision, let sub):
            var f: [(String, Node)] = [("git", Node(url))]
            if let revision { f.append(("revision", Node(revision))) }
            if let sub { f.append(("subdirectory", Node(sub))) }
            return f
        case .hub(let package, let versions):
            return [("package", Node(package)),
                    ("version", versions.count == 1 ? Node(versions[0]) : Node(versions.map { Node($0) }))]
        }
    }

    /// SHA-1 of the declared packages: each entry as JSON with sorted keys, the lines sorted. It changes exactly
    /// when packages.yml's entries change. (dbt hashes its own internal form, so the two hashes differ: dbt
    /// re-resolves a lock written by fitdata and the other way round.)
    static func hash(of specs: [PackageSpec]) -> String {
        let lines = specs.map { spec -> String in
            var obj: [String: Any] = [:]
            for (k, v) in fields(of: spec.source) {
                if let s = v.string { obj[k] = s } else { obj[k] = v.sequence?.compactMap(\.string) ?? [] }
            }
            if let name = spec.declaredName { obj["name"] = name }
            let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }.sorted()
        return Hex.lowercase(Insecure.SHA1.hash(data: Data(lines.joined(separator: "\n").utf8)))
    }
}
