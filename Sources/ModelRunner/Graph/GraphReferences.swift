import Foundation

/// What a `ref` or `source` of a node names in the graph: the unique id, or a ``ProjectError`` with a suggestion.
///
/// Names are unique across the root project and its packages (the loader makes a duplicate an error), so a one-argument
/// `ref('m')` names the one node called `m` wherever it lives and `ref('package', 'm')` must name one of that package.
/// A name whose file failed to load resolves to nil without an error of its own: the file's error already says why.
struct GraphReferences {
    let project: Project

    /// The unique id of the model, seed or snapshot `ref(package?, name)` names; nil when its file failed to load.
    func ref(_ name: String, package: String?, at loc: SourceLocation) throws -> String? {
        let shown = package.map { "ref('\($0)', '\(name)')" } ?? "ref('\(name)')"
        let found: (id: String, package: String?)? =
            project.models[name].map { ($0.uniqueId, $0.package) } ?? project.seeds[name].map { ($0.uniqueId, $0.package) }
            ?? project.snapshots[name].map { ($0.uniqueId, $0.package) }
        if let found {
            if let package, package != (found.package ?? project.name) {
                throw ProjectError("\(shown) does not match any model or seed of package '\(package)'; '\(name)' is in '\(found.package ?? project.name)'", at: loc)
            }
            return found.id
        }
        if project.lostNames.contains(name) { return nil }
        if project.disabled.contains(name) { throw ProjectError("\(shown) names a disabled node (enabled: false)", at: loc) }
        let hint = nearest(name, in: project.refNames).map { "; did you mean '\($0)'?" } ?? ""
        throw ProjectError("\(shown) does not match any model or seed\(hint)", at: loc)
    }

    /// The unique id of `source(s, t)`; nil when the source is declared nowhere and a properties file failed to load
    /// (that file may have declared it).
    func source(_ s: String, _ t: String, at loc: SourceLocation) throws -> String? {
        if let src = project.sources["\(s).\(t)"] { return src.uniqueId }
        if project.lostProperties, !project.sources.values.contains(where: { $0.sourceName == s }) { return nil }
        let hint = nearest("\(s).\(t)", in: Array(project.sources.keys)).map { "; did you mean '\($0)'?" } ?? ""
        throw ProjectError("source('\(s)', '\(t)') is not declared in any .yml under sources:\(hint)", at: loc)
    }

    /// True when `name` was a model, seed or snapshot whose file failed to load.
    func lost(_ name: String) -> Bool { project.lostNames.contains(name) }
}
