import Foundation
import Jinja

/// The macros of one package: dbt's built-ins (`dbt`), the root project, or a package under `dbt_packages/`.
struct MacroPackage {
    enum Kind { case builtin, root, dependency }
    let name: String
    let kind: Kind
    /// Parsed macro files, in path order.
    let templates: [Template]
}

/// Every macro the project can call, read once: built-ins from the bundled `dbt_macros` folder, the project's
/// `macro-paths`, and each package's, with dbt's namespace rules (see docs/runner.md "Templates").
struct MacroLibrary {
    /// Internal first, then the root project, then dependencies in folder order.
    let packages: [MacroPackage]
    let rootName: String
    /// `dispatch:` of dbt_project.yml: macro namespace → package search order.
    let dispatchOrder: [String: [String]]

    /// Block tags parsed like `{% macro %}`: `{% test name(model, ...) %}` defines macro `test_name`.
    static let macroTags = ["test": "test_"]

    /// The bundled built-in macros folder.
    static var builtinFolder: URL? { Bundle.module.url(forResource: "dbt_macros", withExtension: nil) }

    /// Reads and parses every macro file; parse errors of all files are collected into `errors`.
    static func load(root: URL, rootName: String, macroPaths: [String], packages dependencies: [PackageProject],
                     dispatch: ConfigValue?, environment: Environment, errors: inout [ProjectError]) -> MacroLibrary {
        var packages: [MacroPackage] = []
        if let builtin = builtinFolder {
            let files = sqlFiles(under: builtin, prefix: "dbt_macros")
            packages.append(MacroPackage(name: "dbt", kind: .builtin,
                                         templates: parse(files, base: builtin.deletingLastPathComponent(), environment, &errors)))
        }
        var rootFiles: [String] = []
        for dir in macroPaths { rootFiles += sqlFiles(under: root.appendingPathComponent(dir), prefix: dir) }
        packages.append(MacroPackage(name: rootName, kind: .root, templates: parse(rootFiles, base: root, environment, &errors)))
        for dep in dependencies {
            var files: [String] = []
            for dir in dep.macroPaths { files += sqlFiles(under: root.appendingPathComponent(dep.path(dir)), prefix: dep.path(dir)) }
            packages.append(MacroPackage(name: dep.name, kind: .dependency, templates: parse(files, base: root, environment, &errors)))
        }
        var order: [String: [String]] = [:]
        for item in dispatch?.listValue ?? [] {
            if let ns = item["macro_namespace"]?.stringValue { order[ns] = item["search_order"]?.stringList ?? [] }
        }
        return MacroLibrary(packages: packages, rootName: rootName, dispatchOrder: order)
    }

    /// `.sql` files under `dir`, recursively and sorted, as paths starting with `prefix`.
    static func sqlFiles(under dir: URL, prefix: String) -> [String] {
        guard let subs = try? FileManager.default.subpathsOfDirectory(atPath: dir.path) else { return [] }
        return subs.filter { $0.hasSuffix(".sql") && !$0.split(separator: "/").contains(where: { $0.hasPrefix(".") }) }
            .sorted().map { prefix + "/" + $0 }
    }

    private static func parse(_ files: [String], base: URL, _ env: Environment, _ errors: inout [ProjectError]) -> [Template] {
        var out: [Template] = []
        for rel in files {
            guard let data = FileManager.default.contents(atPath: base.path + "/" + rel) else {
                errors.append(ProjectError("cannot read \(rel)", at: SourceLocation(file: rel, line: 1)))
                continue
            }
            do {
                out.append(try env.parse(String(decoding: data, as: UTF8.self), name: rel))
            } catch let e as JinjaError {
                errors.append(e.projectError(file: rel))
            } catch {
                errors.append(ProjectError("\(error)", at: SourceLocation(file: rel, line: 1)))
            }
        }
        return out
    }
}

/// A package's macros by name, as templates see `dbt_utils.star` or `dbt.date_trunc`.
final class MacroNamespace: JinjaObject {
    let package: String
    var macros: [String: Value] = [:]
    init(package: String) { self.package = package }
    var typeName: String { "MacroNamespace" }
    var stringValue: String { "<MacroNamespace \(package)>" }
    func attribute(_ name: String) -> Value? { macros[name] }
}

extension JinjaError {
    /// The error as a project error at its template location (`file:line:column`).
    func projectError(file fallback: String) -> ProjectError {
        let file = template ?? fallback
        return ProjectError(message, at: SourceLocation(file: file, line: max(line, 1), column: max(column, 1)))
    }
}
