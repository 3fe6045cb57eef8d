import Foundation
import Yams

/// One entry of a project's `packages.yml` (or the `packages:` of `dependencies.yml`), as dbt 1.11 reads it.
public struct PackageSpec: Sendable, Equatable {
    /// Where the package comes from.
    public enum Source: Sendable, Equatable {
        /// `local: <path>`, relative to the declaring project's root.
        case local(path: String)
        /// `git: <url>` with an optional `revision` (branch, tag or commit) and `subdirectory`.
        case git(url: String, revision: String?, subdirectory: String?)
        /// `package: <org>/<name>` from the dbt Package Hub, with its `version` (one requirement or a list).
        case hub(package: String, versions: [String])
    }

    public var source: Source
    /// The `name:` the entry gives, if any (dbt allows it in lock files; it is the installed folder name).
    public var declaredName: String?
    /// Where the entry starts, for error messages.
    public var location: SourceLocation

    public init(source: Source, declaredName: String? = nil, location: SourceLocation) {
        self.source = source
        self.declaredName = declaredName
        self.location = location
    }

    /// How the entry is written in messages: `local: ../x`, `git: https://…@v1`, `package: dbt-labs/dbt_utils`.
    public var label: String {
        switch source {
        case .local(let path): return "local: \(path)"
        case .git(let url, let revision, let sub):
            return "git: \(url)" + (revision.map { "@\($0)" } ?? "") + (sub.map { " (subdirectory \($0))" } ?? "")
        case .hub(let package, _): return "package: \(package)"
        }
    }
}

/// The packages a project declares, read from `packages.yml` or `dependencies.yml` in its root.
public struct PackageManifest: Sendable {
    /// The file the packages came from (`packages.yml` or `dependencies.yml`), nil when there is none.
    public var file: String?
    public var packages: [PackageSpec]

    /// Reads the manifest of the project in `root`. As in dbt, `packages:` may be in either file, not both.
    /// Values that use Jinja (`{{ env_var(...) }}`) are errors: `fitdata deps` does not render this file.
    public static func read(projectRoot root: URL, relativeTo display: String = "") throws -> PackageManifest {
        let candidates = ["packages.yml", "dependencies.yml"]
        var found: [(file: String, node: Node)] = []
        for file in candidates {
            let path = root.appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let shown = display + file
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ProjectError("cannot read \(shown)", at: SourceLocation(file: shown, line: 1))
            }
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch let e as YamlError { throw yamlProjectError(e, file: shown) }
            guard let node else { continue }
            guard node.mapping != nil else {
                throw ProjectError("\(file) must be a mapping with a `packages:` list", at: SourceLocation(file: shown, line: node.mark?.line ?? 1))
            }
            if file == "packages.yml", let projects = node.mapping?["projects"] {
                throw ProjectError("the 'projects' key cannot be specified in packages.yml", at: location(of: projects, in: shown))
            }
            if node.mapping?["packages"] != nil { found.append((shown, node)) }
        }
        if found.count > 1 {
            throw ProjectError("the 'packages' key cannot be specified in both packages.yml and dependencies.yml",
                               at: location(of: found[1].node, in: found[1].file))
        }
        guard let (file, node) = found.first, let list = node.mapping?["packages"] else {
            return PackageManifest(file: nil, packages: [])
        }
        if case .scalar(let s) = list, s.string.isEmpty || s.string == "null" || s.string == "~" {
            return PackageManifest(file: file, packages: [])
        }
        guard let entries = list.sequence else {
            throw ProjectError("`packages:` must be a list", at: location(of: list, in: file))
        }
        var specs: [PackageSpec] = []
        var errors: [ProjectError] = []
        for entry in entries {
            do { specs.append(try spec(entry, file: file)) } catch let e as ProjectError { errors.append(e) }
        }
        if !errors.isEmpty { throw PackageErrors(errors) }
        return PackageManifest(file: file, packages: specs)
    }

    /// One list entry as a ``PackageSpec``.
    static func spec(_ entry: Node, file: String) throws -> PackageSpec {
        let at = location(of: entry, in: file)
        guard let map = entry.mapping else { throw ProjectError("a package entry must be a mapping (local:, git: or package:)", at: at) }
        var fields: [String: (value: Node, at: SourceLocation)] = [:]
        for (k, v) in map {
            guard let key = k.string else { continue }
            if case .scalar(let s) = v, s.string.contains("{{") || s.string.contains("{%") {
                throw ProjectError("`\(key)` uses Jinja; fitdata deps does not render packages.yml (write the value out)",
                                   at: location(of: v, in: file))
            }
            fields[key] = (v, location(of: v, in: file))
        }
        let known: Set<String> = ["local", "git", "revision", "subdirectory", "warn-unpinned", "package", "version",
                                  "install-prerelease", "name"]
        for (key, f) in fields where !known.contains(key) {
            if key == "tarball" || key == "private" {
                throw ProjectError("`\(key):` packages are not supported by fitdata deps (use git: or local:)", at: f.at)
            }
            throw ProjectError("unknown key `\(key)` in a package entry", at: f.at)
        }
        func text(_ key: String) throws -> String? {
            guard let f = fields[key] else { return nil }
            guard let s = f.value.string, !s.isEmpty else { throw ProjectError("`\(key)` must be a non-empty string", at: f.at) }
            return s
        }
        let name = try text("name")
        let kinds = ["local", "git", "package"].filter { fields[$0] != nil }
        guard kinds.count == 1 else {
            throw ProjectError(kinds.isEmpty ? "a package entry needs one of local:, git: or package:"
                                             : "a package entry has both \(kinds.joined(separator: " and ")):", at: at)
        }
        switch kinds[0] {
        case "local":
            return PackageSpec(source: .local(path: try text("local")!), declaredName: name, location: at)
        case "git":
            return PackageSpec(source: .git(url: try text("git")!, revision: try text("revision"), subdirectory: try text("subdirectory")),
                               declaredName: name, location: at)
        default:
            guard let v = fields["version"] else { throw ProjectError("a hub package needs `version:`", at: at) }
            let versions = v.value.sequence.map { $0.compactMap(\.string) } ?? [v.value.string].compactMap { $0 }
            return PackageSpec(source: .hub(package: try text("package")!, versions: versions), declaredName: name, location: at)
        }
    }

    static func location(of node: Node, in file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column)
    }
}

/// Several package errors, reported together (one per line).
public struct PackageErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ProjectError]
    public init(_ errors: [ProjectError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
