import Foundation
import Jinja
import PostgresClient
import Yams

/// Reads snapshot definitions: `{% snapshot name %} … {% endsnapshot %}` blocks in `snapshots/*.sql` (the legacy form)
/// and `snapshots:` entries with `relation:` in properties `.yml` files (dbt ≥ 1.9).
enum SnapshotFiles {
    /// One `{% snapshot %}` block: its name, body text and where the body starts.
    struct Block {
        var name: String
        var body: String
        var tag: SourceLocation
        /// Line and column (1-based) of the body's first character, to keep error positions right.
        var bodyLine: Int
        var bodyColumn: Int
    }

    /// Splits a snapshot `.sql` file into its blocks; text outside blocks may only be whitespace or `{# comments #}`.
    static func blocks(in text: String, file: String) throws -> [Block] {
        let s = Array(text.unicodeScalars)
        var out: [Block] = []
        var i = 0
        var line = 1, column = 1
        func advance(to j: Int) {
            while i < j { if s[i] == "\n" { line += 1; column = 1 } else { column += 1 }; i += 1 }
        }
        func starts(_ lit: String, at j: Int) -> Bool {
            let l = Array(lit.unicodeScalars)
            return j + l.count <= s.count && Array(s[j..<j + l.count]) == l
        }
        func find(_ lit: String, from j: Int) -> Int? {
            var k = j
            while k < s.count { if starts(lit, at: k) { return k }; k += 1 }
            return nil
        }
        /// The words inside a `{% … %}` tag starting at `j`, and the index just past it.
        func tag(at j: Int) -> (words: [String], end: Int)? {
            guard starts("{%", at: j), let close = find("%}", from: j + 2) else { return nil }
            var inner = String(String.UnicodeScalarView(s[(j + 2)..<close]))
            if inner.hasPrefix("-") { inner.removeFirst() }
            if inner.hasSuffix("-") { inner.removeLast() }
            return (inner.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map(String.init), close + 2)
        }
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\n" || c == "\t" || c == "\r" { advance(to: i + 1); continue }
            let here = SourceLocation(file: file, line: line, column: column)
            if starts("{#", at: i) {
                guard let close = find("#}", from: i + 2) else { throw ProjectError("unclosed {#: missing #}", at: here) }
                advance(to: close + 2)
                continue
            }
            guard let open = tag(at: i), open.words.first == "snapshot" else {
                throw ProjectError("a snapshot file holds only {% snapshot name %} … {% endsnapshot %} blocks; found text outside a block", at: here)
            }
            guard open.words.count == 2, let name = open.words.last,
                  name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }) else {
                throw ProjectError("expected {% snapshot name %}", at: here)
            }
            advance(to: open.end)
            let bodyStart = i, bodyLine = line, bodyColumn = column
            var k = i
            var closeAt: (start: Int, end: Int)?
            while let at = find("{%", from: k) {
                if let t = tag(at: at), t.words == ["endsnapshot"] { closeAt = (at, t.end); break }
                k = at + 2
            }
            guard let closeAt else { throw ProjectError("{% snapshot \(name) %} is never closed with {% endsnapshot %}", at: here) }
            var body = String(String.UnicodeScalarView(s[bodyStart..<closeAt.start]))
            // `{%- endsnapshot %}` trims the body's trailing whitespace, like Jinja.
            if starts("{%-", at: closeAt.start) { while let l = body.last, l.isWhitespace { body.removeLast() } }
            out.append(Block(name: name, body: body, tag: here, bodyLine: bodyLine, bodyColumn: bodyColumn))
            advance(to: closeAt.end)
        }
        return out
    }

    /// Template text that keeps the body at its line and column in the file (errors then point into the file).
    static func positioned(_ body: String, line: Int, column: Int) -> String {
        String(repeating: "\n", count: max(0, line - 1)) + String(repeating: " ", count: max(0, column - 1)) + body
    }
}

extension PropertiesReader {
    static let snapshotKeys: Set<String> = ["name", "description", "relation", "config", "columns", "tests", "data_tests", "meta", "docs"]

    /// A `snapshots:` entry: with `relation:` it defines a snapshot (dbt ≥ 1.9); without, it documents a `.sql` one.
    mutating func readSnapshot(_ item: Node, file: String, fileSum: String) throws {
        let loc = SourceLocation(file: file, line: Self.line(item))
        guard let name = item[key: "name"]?.string else { throw ProjectError("snapshot entry without `name`", at: loc) }
        warnUnknown(item, known: Self.snapshotKeys, what: "snapshot \(name)", file: file)
        if let prev = documented["snapshot:" + name] {
            throw ProjectError("snapshot '\(name)' is documented twice (also in \(prev))", at: loc)
        }
        documented["snapshot:" + name] = file
        var snap: Snapshot
        if let relation = item[key: "relation"]?.string {
            if let existing = project.snapshots[name] {
                throw ProjectError("two snapshots named '\(name)': \(existing.path) and \(file)", at: loc)
            }
            let rloc = SourceLocation(file: file, line: Self.line(item[key: "relation"]))
            let trimmed = relation.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("ref(") || trimmed.hasPrefix("source(") else {
                throw ProjectError("snapshot \(name): `relation` must be ref('model') or source('source', 'table'), not `\(relation)`", at: rloc)
            }
            let raw = "select * from {{ \(trimmed) }}"
            let template = try EmbeddedTemplate.parse(raw, file: file, line: rloc.line, name: name, project: project, package: package)
            let folders = project.localPath(file).split(separator: "/").dropFirst().dropLast().map(String.init)
            snap = Snapshot(name: name, package: package, uniqueId: "snapshot.\(owner).\(name)", path: file,
                            fqn: [owner] + folders + [name], rawSQL: raw, checksum: sha256Hex(raw + "|" + fileSum),
                            template: template, location: loc)
        } else {
            guard let existing = project.snapshots[name] else {
                let hint = nearest(name, in: Array(project.snapshots.keys)).map { " (did you mean '\($0)'?)" } ?? ""
                throw ProjectError("snapshot '\(name)' has no `relation:` and no {% snapshot \(name) %} block in a snapshot file\(hint)", at: loc)
            }
            snap = existing
            snap.patchPath = file
        }
        snap.description = try text(item[key: "description"])
        snap.columns = columns(item[key: "columns"])
        if let cfg = item[key: "config"] {
            let pairs = try config(cfg)
            for (k, _) in pairs where !SnapshotConfig.knownKeys.contains(NodeConfig.canonicalKey(k)) && !ProjectLoader.knownConfigKeys.contains(k) {
                warnings.warn("snapshot \(name): unknown config key `\(k)` ignored", at: SourceLocation(file: file, line: Self.line(cfg)))
            }
            snap.propertiesConfig = pairs
        }
        project.snapshots[name] = snap
        try readTests(owner: item, ownerName: name, target: snap.uniqueId, file: file, fileSum: fileSum)
    }
}

/// The one place where the SQL text of snapshots and hooks meets the template engine (dbt's Jinja with its context):
/// snapshot bodies are parsed at load (their `ref`, `source` and `config()` feed the graph) and rendered at run;
/// hooks are rendered when they run.
enum EmbeddedTemplate {
    /// Parses a snapshot body found at `line`:`column` of `file` (so errors carry the file's own positions).
    static func parse(_ text: String, file: String, line: Int = 1, column: Int = 1, name: String, project: Project,
                      package: String? = nil) throws -> ParsedTemplate {
        try ParsedTemplate.parse(SnapshotFiles.positioned(text, line: line, column: column), file: file, dbt: project.jinja) { state in
            state.nodeName = name
            state.package = package
            state.resourceType = "snapshot"
            state.this = Relation(schema: project.targetSchema, name: name)
        }
    }

    /// Renders a snapshot's body to SQL in compile mode (`this` is the snapshot table).
    static func render(_ snapshot: Snapshot, compiler: TemplateCompiler, connection: Connection?) throws -> String {
        let node = TemplateCompiler.Node(name: snapshot.name, resourceType: "snapshot", this: snapshot.relation, config: snapshot.config,
                                         package: snapshot.package)
        let sql = try compiler.compile(template: snapshot.template, node: node, isIncremental: false, overrides: TemplateCompiler.Overrides(),
                                       connection: connection)
        return String(sql.drop(while: { $0.isWhitespace }))
    }

    /// Renders one hook's SQL with the node's `this` and `config` (nil `this` for on-run-start / on-run-end); a hook of a
    /// package's node (its `file` under the package's folder) sees the package's vars and macros, as the node does.
    static func renderHook(_ sql: String, file: String, this: Relation?, config: NodeConfig, project: Project,
                           isIncremental: Bool = false, connection: Connection?) throws -> String {
        trimStatement(try project.jinja.renderString(sql, file: file, this: this, config: config, isIncremental: isIncremental,
                                                     connection: connection, package: project.packagePath(file).package))
    }

    /// Renders an `on-run-start` / `on-run-end` hook, with extra top-level names (on-run-end: `results`, `schemas`,
    /// `database_schemas`).
    static func renderRunHook(_ sql: String, file: String, context: [String: Value], project: Project,
                              connection: Connection?) throws -> String {
        let jinja = project.jinja
        let state = RenderState(mode: .compile, file: file)
        state.connection = connection
        let template = try jinja.parse(sql, file: file)
        do {
            return trimStatement(try RenderState.with(state) { try jinja.compileEnv.render(template, context: context) })
        } catch let e as JinjaError {
            throw jinja.located(e, file)
        }
    }
}
