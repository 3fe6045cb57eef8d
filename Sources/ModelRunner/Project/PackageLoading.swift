import Foundation

/// A package whose nodes are being loaded: its name and its own dbt_project.yml config trees (a class: the trees
/// record which paths matched while its files load).
final class PackageScope {
    let project: PackageProject
    var trees: FolderConfigTrees
    var name: String { project.name }

    init(project: PackageProject, trees: FolderConfigTrees) {
        self.project = project
        self.trees = trees
    }
}

extension ProjectLoader {
    /// The package's config trees (`models:`, `seeds:`, `data_tests:`, `snapshots:` of its own dbt_project.yml),
    /// Jinja rendered like the root's.
    func packageScope(_ package: PackageProject, jinja: DbtJinja, hookKeys: Set<String>) throws -> PackageScope {
        let at = SourceLocation(file: package.projectFile, line: 1)
        func tree(_ key: String) throws -> ConfigValue {
            try jinja.renderYAMLValue(package.document[key] ?? .dict([]), at: at, skipKeys: hookKeys)
        }
        return PackageScope(project: package, trees: FolderConfigTrees(
            models: try tree("models"), seeds: try tree("seeds"), tests: try tree("data_tests").merged(with: try tree("tests")),
            snapshots: try tree("snapshots")))
    }

    /// The vars a package's nodes see, as dbt scopes them (later wins): the package's own vars (global keys, then those
    /// under its name), the root project's global vars, the root's `vars: {<package>: {...}}`, then `--vars`.
    static func packageVars(_ package: PackageProject, rootVars: ConfigValue?, cliVars: ConfigValue) -> ConfigValue {
        func scoped(_ vars: ConfigValue?) -> ConfigValue {
            var out = ConfigValue.dict([])
            for (k, v) in vars?.dictValue ?? [] { out = out.merged(with: .dict([(k, v)])) }
            if let own = vars?[package.name], case .dict = own { out = out.merged(with: own) }
            return out
        }
        var out = scoped(package.document["vars"])
        for (k, v) in rootVars?.dictValue ?? [] { out = out.merged(with: .dict([(k, v)])) }
        if let own = rootVars?[package.name], case .dict = own { out = out.merged(with: own) }
        return out.merged(with: cliVars)
    }
}
