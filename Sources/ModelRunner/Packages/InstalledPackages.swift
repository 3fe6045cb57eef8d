import Foundation

/// The packages a project declares and where they are installed, for loading a project: a declared package
/// missing from the install path is an error that names it and says to run `fitdata deps`.
public struct InstalledPackages: Sendable {
    /// Installed package folders by name (`dbt_utils` -> `<project>/dbt_packages/dbt_utils`).
    public var folders: [String: URL]

    /// Finds the installed packages of the project in `root`, after checking that every declared package is there.
    /// Throws ``PackageErrors`` with one error per missing package (at its line in packages.yml).
    public static func check(projectRoot root: URL) throws -> InstalledPackages {
        let root = root.standardizedFileURL
        let manifest = try PackageManifest.read(projectRoot: root)
        let installDir = try PackageInstaller.installPath(projectRoot: root)
        let fm = FileManager.default
        var folders: [String: URL] = [:]
        for name in (try? fm.contentsOfDirectory(atPath: installDir.path)) ?? [] where !name.hasPrefix(".") {
            let dir = installDir.appendingPathComponent(name)
            if fm.fileExists(atPath: dir.appendingPathComponent("dbt_project.yml").path) { folders[name] = dir }
        }
        let lock = try? PackageLock.read(projectRoot: root)
        var errors: [ProjectError] = []
        for spec in manifest.packages {
            let names = expectedNames(of: spec, projectRoot: root, lock: lock)
            if names.contains(where: { folders[$0] != nil }) { continue }
            let shown = installDir.path.hasPrefix(root.path + "/") ? String(installDir.path.dropFirst(root.path.count + 1)) : installDir.path
            errors.append(ProjectError("package \(spec.label) is not installed in \(shown)/ (run `fitdata deps`)", at: spec.location))
        }
        if !errors.isEmpty { throw PackageErrors(errors) }
        return InstalledPackages(folders: folders)
    }

    /// The folder names a declared package may be installed under: its `name:`, the lock's name for the same
    /// source, the local package's project name, the hub package's name, or the git repository's name
    /// (`dbt-utils.git` also as `dbt_utils`).
    static func expectedNames(of spec: PackageSpec, projectRoot root: URL, lock: PackageLock?) -> [String] {
        var names: [String] = []
        if let n = spec.declaredName { names.append(n) }
        if let lock {
            for e in lock.entries where e.source.sameOrigin(as: spec.source) { names.append(e.name) }
        }
        switch spec.source {
        case .local(let path):
            let src = URL(fileURLWithPath: path, relativeTo: root).standardizedFileURL
            if let n = try? PackageInstaller.projectName(at: src, for: spec) { names.append(n) }
        case .hub(let package, _):
            names.append(String(package.split(separator: "/").last ?? Substring(package)))
        case .git(let url, _, let sub):
            var base = (sub ?? url).split(separator: "/").last.map(String.init) ?? url
            if base.hasSuffix(".git") { base.removeLast(4) }
            names.append(base)
            names.append(base.replacingOccurrences(of: "-", with: "_"))
        }
        return names
    }
}

extension PackageSpec.Source {
    /// The same package location, ignoring the pinned revision or version.
    func sameOrigin(as other: PackageSpec.Source) -> Bool {
        switch (self, other) {
        case let (.local(a), .local(b)): return a == b
        case let (.git(a, _, sa), .git(b, _, sb)): return a == b && sa == sb
        case let (.hub(a, _), .hub(b, _)): return a == b
        default: return false
        }
    }
}
