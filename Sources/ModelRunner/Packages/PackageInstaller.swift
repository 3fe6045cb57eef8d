import Foundation

/// `fitdata deps`: installs the packages of `packages.yml` / `dependencies.yml` into the install path
/// (`packages-install-path`, default `dbt_packages/`), one folder per package named by its `dbt_project.yml`.
///
/// - `local:` packages are copied (dbt symlinks them; a copy keeps the project readable by every tool and
///   survives moving the source, so run `fitdata deps` again after editing a local package).
/// - `git:` packages are cloned with the `git` command (`revision` checked out, `subdirectory` taken); the lock
///   records the commit id. Without network access the clone fails with an error naming the package.
/// - `package:` (dbt Package Hub) entries are not downloaded: one already installed (e.g. by `dbt deps`) is kept
///   as it is (its version cannot be checked: packages do not record their Hub version); a missing one is an
///   error naming the package and the alternatives.
/// - Packages the installed packages declare are installed too. As in dbt, `local:` paths are resolved from the
///   root project's folder.
///
/// Everything is staged in a temporary folder and moved into place only when every package installed, so a
/// failed run leaves the previous install as it was. Running it twice gives the same tree.
public struct PackageInstaller {
    public let root: URL
    /// Re-resolve even when `package-lock.yml` matches (git revisions move to what they name today).
    public var upgrade: Bool
    /// Progress lines (`Installing dbt_utils (local: ../dbt_utils)`).
    public var log: (String) -> Void

    public init(projectDir: URL, upgrade: Bool = false, log: @escaping (String) -> Void = { _ in }) {
        self.root = projectDir.standardizedFileURL
        self.upgrade = upgrade
        self.log = log
    }

    /// One installed package.
    public struct Installed: Sendable, Equatable {
        public var name: String
        public var source: String
    }

    /// Installs everything; throws ``PackageErrors`` listing every package that could not be installed.
    @discardableResult
    public func install() throws -> [Installed] {
        let manifest = try PackageManifest.read(projectRoot: root)
        let installDir = try PackageInstaller.installPath(projectRoot: root)
        let hash = PackageLock.hash(of: manifest.packages)
        let lock = try PackageLock.read(projectRoot: root)
        let fm = FileManager.default

        let stage = root.appendingPathComponent(".fitdata-deps-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: stage)
        try fm.createDirectory(at: stage, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: stage) }

        var work: [PackageSpec]
        var followDependencies: Bool
        if let lock, lock.hash == hash, !upgrade {
            work = lock.entries.map { PackageSpec(source: $0.source, declaredName: $0.name,
                                                  location: SourceLocation(file: PackageLock.fileName, line: 1)) }
            followDependencies = false   // the lock lists the packages' own dependencies already
        } else {
            work = manifest.packages
            followDependencies = true
        }
        var installed: [PackageLock.Entry] = []
        var seen: [String: PackageSpec] = [:]   // name -> the entry that installed it
        var errors: [ProjectError] = []
        var index = 0
        while index < work.count {
            let spec = work[index]
            index += 1
            if installed.contains(where: { $0.source == spec.source }) { continue }
            do {
                let result = try installOne(spec, into: stage, installDir: installDir)
                if let first = seen[result.name] {
                    if first.source != spec.source {
                        throw ProjectError("package `\(result.name)` is declared twice, as \(first.label) (\(first.location)) and as \(spec.label)",
                                           at: spec.location)
                    }
                    continue
                }
                seen[result.name] = spec
                installed.append(PackageLock.Entry(source: result.pinned, name: result.name))
                log("Installed \(result.name) (\(spec.label))")
                if followDependencies {
                    let prefix = installDir.lastPathComponent + "/" + result.name + "/"
                    let deps = try PackageManifest.read(projectRoot: stage.appendingPathComponent(result.name), relativeTo: prefix)
                    work.append(contentsOf: deps.packages)
                }
            } catch let e as ProjectError {
                errors.append(e)
            } catch let e as PackageErrors {
                errors.append(contentsOf: e.errors)
            }
        }
        if !errors.isEmpty { throw PackageErrors(errors) }

        try? fm.removeItem(at: installDir)
        try fm.createDirectory(at: installDir.deletingLastPathComponent(), withIntermediateDirectories: true)
        try fm.moveItem(at: stage, to: installDir)
        if manifest.packages.isEmpty {
            try? fm.removeItem(at: root.appendingPathComponent(PackageLock.fileName))
            log("No packages declared (no packages.yml or dependencies.yml with `packages:`)")
        } else if lock?.hash != hash || lock?.entries != installed {
            try PackageLock(entries: installed, hash: hash).write(projectRoot: root)
        }
        return installed.map { e in Installed(name: e.name, source: PackageSpec(source: e.source, location: SourceLocation(file: "", line: 0)).label) }
    }

    /// The folder packages go to: `packages-install-path` of dbt_project.yml, default `dbt_packages`.
    public static func installPath(projectRoot root: URL) throws -> URL {
        let file = root.appendingPathComponent("dbt_project.yml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw ProjectError("no dbt_project.yml in \(root.path) (use --project-dir)")
        }
        let doc = try composeYAML(text, file: "dbt_project.yml")
        let rel = doc["packages-install-path"]?.stringValue ?? "dbt_packages"
        return URL(fileURLWithPath: rel, relativeTo: root).standardizedFileURL
    }

    /// What one entry became: its folder name and its pinned source for the lock.
    private struct Result {
        var name: String
        var pinned: PackageSpec.Source
    }

    /// Installs one entry into `stage/<name>`.
    private func installOne(_ spec: PackageSpec, into stage: URL, installDir: URL) throws -> Result {
        switch spec.source {
        case .local(let path):
            let src = URL(fileURLWithPath: path, relativeTo: root).standardizedFileURL
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: src.path, isDirectory: &isDir), isDir.boolValue else {
                throw ProjectError("local package \(path) not found (resolved from the project folder)", at: spec.location)
            }
            let name = try PackageInstaller.projectName(at: src, for: spec)
            try PackageInstaller.copyTree(from: src, to: stage.appendingPathComponent(name), skipping: [stage.path, installDir.path])
            return Result(name: name, pinned: spec.source)

        case .git(let url, let revision, let sub):
            let clone = stage.appendingPathComponent(".clone-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: clone) }
            try Git.run(["clone", "--quiet", url, clone.path], for: spec)
            if let revision { try Git.run(["-C", clone.path, "checkout", "--quiet", revision], for: spec) }
            let commit = try Git.run(["-C", clone.path, "rev-parse", "HEAD"], for: spec)
            let pkgRoot = sub.map { clone.appendingPathComponent($0) } ?? clone
            let name = try PackageInstaller.projectName(at: pkgRoot, for: spec)
            try PackageInstaller.copyTree(from: pkgRoot, to: stage.appendingPathComponent(name), skipping: [])
            return Result(name: name, pinned: .git(url: url, revision: commit, subdirectory: sub))

        case .hub(let package, let versions):
            // Kept as installed: a package's files do not record its Hub version (dbt_utils 1.3.3 says
            // `version: 0.1.0` in its dbt_project.yml), so the version cannot be checked here.
            let name = spec.declaredName ?? String(package.split(separator: "/").last ?? Substring(package))
            let existing = installDir.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: existing.appendingPathComponent("dbt_project.yml").path) else {
                throw ProjectError("package \(package) is not installed in \(installDir.lastPathComponent)/\(name); fitdata deps does not "
                                   + "download from the dbt Package Hub: run `dbt deps`, or declare it as `git:` (its repository, "
                                   + "`revision:` a tag) or `local:`", at: spec.location)
            }
            try PackageInstaller.copyTree(from: existing, to: stage.appendingPathComponent(name), skipping: [])
            log("Kept \(name) as installed (\(package) \(versions.joined(separator: ", ")) from the Hub: its version is not checked)")
            return Result(name: name, pinned: .hub(package: package, versions: versions))
        }
    }

    /// The `name:` of the dbt_project.yml in `dir` (the folder name a package is installed under).
    static func projectName(at dir: URL, for spec: PackageSpec) throws -> String {
        let file = dir.appendingPathComponent("dbt_project.yml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw ProjectError("\(spec.label): no dbt_project.yml in the package", at: spec.location)
        }
        guard let name = try composeYAML(text, file: "dbt_project.yml")["name"]?.stringValue, !name.isEmpty else {
            throw ProjectError("\(spec.label): the package's dbt_project.yml has no `name`", at: spec.location)
        }
        return name
    }

    /// Copies a package folder, leaving out `.git`, the package's own build output (`target`, `logs`,
    /// `dbt_packages`) and any of `skipping` (the install folder itself, when a package contains the project).
    static func copyTree(from src: URL, to dst: URL, skipping: [String]) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dst, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: src.path).sorted() {
            if name == ".git" || ["target", "logs", "dbt_packages"].contains(name) { continue }
            let item = src.appendingPathComponent(name).standardizedFileURL
            if skipping.contains(item.path) { continue }
            if skipping.contains(where: { $0.hasPrefix(item.path + "/") }) {
                try copyTree(from: item, to: dst.appendingPathComponent(name), skipping: skipping)
            } else {
                try fm.copyItem(at: item, to: dst.appendingPathComponent(name))
            }
        }
    }
}

/// Runs the `git` command for a package.
enum Git {
    /// Runs git with `arguments`; returns its trimmed output or throws an error naming the package and git's message.
    @discardableResult
    static func run(_ arguments: [String], for spec: PackageSpec) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"   // never wait for a password on a terminal
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch {
            throw ProjectError("\(spec.label): cannot run git (\(error.localizedDescription))", at: spec.location)
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let what = arguments.contains("clone") ? "git clone failed (no network access, or a wrong URL?)"
                                                   : "git \(arguments.first(where: { !$0.hasPrefix("-") && !$0.hasPrefix("/") }) ?? "") failed"
            throw ProjectError("\(spec.label): \(what): \(text.split(separator: "\n").last.map(String.init) ?? "exit \(p.terminationStatus)")",
                               at: spec.location)
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
