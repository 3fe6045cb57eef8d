import Foundation
import Jinja

/// A node's template, parsed once, and what dbt's parse pass learned from rendering it: refs, sources and
/// `config()` values (keyword and dict forms).
struct ParsedTemplate: @unchecked Sendable {
    /// The parsed Jinja template.
    let template: Template
    /// The project-relative file it came from.
    let file: String
    /// Values from `{{ config(...) }}` calls, in order (later calls win).
    var config: [(String, ConfigValue)] = []
    /// `ref()` calls: the name, and the package of the two-argument form.
    var refs: [(name: String, package: String?, location: SourceLocation)] = []
    var sources: [(source: String, table: String, location: SourceLocation)] = []
    /// The environment that parsed it (to locate a bad `ref` in the file on error).
    let dbt: DbtJinja

    /// Parses `text` and renders it in parse mode; `configure` sets the node's `this` and config first.
    static func parse(_ text: String, file: String, dbt: DbtJinja, configure: (RenderState) -> Void = { _ in }) throws -> ParsedTemplate {
        let template = try dbt.parse(text, file: file)
        let state = RenderState(mode: .parse, file: file)
        configure(state)
        try dbt.parseRender(template, state: state)
        let fileStart = SourceLocation(file: file, line: 1, column: 1)
        var out = ParsedTemplate(template: template, file: file, dbt: dbt)
        out.config = state.configCalls
        var seen = Set<String>()
        for r in state.refs where seen.insert((r.package ?? "") + "." + r.name).inserted { out.refs.append((r.name, r.package, fileStart)) }
        var seenSources = Set<String>()
        for s in state.sources where seenSources.insert("\(s.source).\(s.table)").inserted { out.sources.append((s.source, s.table, fileStart)) }
        return out
    }

    /// Where `ref(name)` is first called in the file (`file:line:column`), found by rendering again until that call.
    func location(ofRef name: String) -> SourceLocation {
        let state = RenderState(mode: .parse, file: file)
        state.failOnRef = name
        do { try dbt.parseRender(template, state: state) } catch let e as ProjectError {
            if let l = e.location, l.file == file { return l }
        } catch {}
        return SourceLocation(file: file, line: 1, column: 1)
    }
}
