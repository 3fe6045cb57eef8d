import Foundation

/// One installed package read from its own `dbt_project.yml`: its name, where its files are, its config trees and
/// vars, as dbt reads a dependency (see docs/runner.md "Packages").
struct PackageProject {
    /// The package's `name` (what `ref('package', 'm')`, `package.macro` and unique ids use).
    let name: String
    /// Project-relative folder, e.g. `dbt_packages/dbt_utils`.
    let folder: String
    let modelPaths: [String]
    let seedPaths: [String]
    let macroPaths: [String]
    let snapshotPaths: [String]
    let testPaths: [String]
    let analysisPaths: [String]
    /// The package's dbt_project.yml as read (its `models:` / `seeds:` trees and `vars:` are rendered by the loader).
    let document: ConfigValue
    /// `folder/dbt_project.yml`, for messages.
    var projectFile: String { folder + "/dbt_project.yml" }

    /// A folder of the package as a project-relative path (`dbt_packages/pkg/models`).
    func path(_ dir: String) -> String { folder + "/" + dir }

    /// The packages of `installed` (the folders ``InstalledPackages/check(projectRoot:)`` found), sorted by folder;
    /// a folder whose dbt_project.yml is unreadable or has no `name` is an error in `errors`.
    static func read(_ installed: InstalledPackages, root: URL, errors: inout [ProjectError]) -> [PackageProject] {
        let rootPath = root.standardizedFileURL.path + "/"
        var out: [PackageProject] = []
        for url in installed.folders.values.sorted(by: { $0.path < $1.path }) {
            let abs = url.standardizedFileURL.path
            let folder = abs.hasPrefix(rootPath) ? String(abs.dropFirst(rootPath.count)) : abs
            let file = folder + "/dbt_project.yml"
            do {
                guard let text = try? String(contentsOf: url.appendingPathComponent("dbt_project.yml"), encoding: .utf8) else {
                    throw ProjectError("cannot read \(file)", at: SourceLocation(file: file, line: 1))
                }
                let doc = try composeYAML(text, file: file)
                guard let name = doc["name"]?.stringValue, !name.isEmpty else {
                    throw ProjectError("package has no `name`", at: SourceLocation(file: file, line: 1))
                }
                func paths(_ key: String, _ fallback: String) -> [String] {
                    let l = doc[key]?.stringList ?? []
                    return l.isEmpty ? [fallback] : l
                }
                out.append(PackageProject(name: name, folder: folder, modelPaths: paths("model-paths", "models"),
                                          seedPaths: paths("seed-paths", "seeds"), macroPaths: paths("macro-paths", "macros"),
                                          snapshotPaths: paths("snapshot-paths", "snapshots"), testPaths: paths("test-paths", "tests"),
                                          analysisPaths: paths("analysis-paths", "analyses"), document: doc))
            } catch {
                errors.append(asProjectError(error, file))
            }
        }
        return out
    }
}
