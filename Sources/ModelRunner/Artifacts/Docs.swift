import Foundation
import PostgresClient

/// Lineage (Mermaid and a standalone HTML page) and `COMMENT ON` from model and column descriptions.
enum Docs {
    static func mermaidId(_ id: String) -> String {
        id.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// `target/lineage.mmd`: sources, seeds, snapshots and models with their edges (tests left out).
    static func mermaid(project: Project, graph: DependencyGraph) -> String {
        var out = "graph LR\n"
        let shown = graph.order.filter { [.model, .seed, .snapshot, .source].contains(graph.nodes[$0]?.kind) }
        for id in shown {
            let n = graph.nodes[id]!
            let label = n.kind == .model ? "\(n.name)<br/><i>\(n.materialized ?? "")</i>" : "\(n.name)<br/><i>\(n.kind.rawValue)</i>"
            switch n.kind {
            case .source: out += "  \(mermaidId(id))[(\"\(label)\")]\n"
            case .seed: out += "  \(mermaidId(id))[/\"\(label)\"/]\n"
            default: out += "  \(mermaidId(id))[\"\(label)\"]\n"
            }
        }
        for id in shown {
            for p in graph.nodes[id]!.parents.sorted() where shown.contains(p) {
                out += "  \(mermaidId(p)) --> \(mermaidId(id))\n"
            }
        }
        return out
    }

    static func html(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A self-contained HTML page: an SVG lineage laid out in columns by depth, and the model docs.
    static func indexHTML(project: Project, graph: DependencyGraph) -> String {
        let shown = graph.order.filter { [.model, .seed, .snapshot, .source].contains(graph.nodes[$0]?.kind) }
        let shownSet = Set(shown)
        var depth: [String: Int] = [:]
        for id in shown {
            depth[id] = (graph.nodes[id]!.parents.filter(shownSet.contains).compactMap { depth[$0] }.max() ?? -1) + 1
        }
        var columns: [Int: [String]] = [:]
        for id in shown { columns[depth[id]!, default: []].append(id) }
        let boxW = 200, boxH = 36, gapX = 80, gapY = 14
        var pos: [String: (Int, Int)] = [:]
        for (d, ids) in columns { for (i, id) in ids.enumerated() { pos[id] = (20 + d * (boxW + gapX), 20 + i * (boxH + gapY)) } }
        let width = 40 + ((columns.keys.max() ?? 0) + 1) * (boxW + gapX)
        let height = 40 + (columns.values.map(\.count).max() ?? 1) * (boxH + gapY)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\">"
        for id in shown {
            for p in graph.nodes[id]!.parents where shownSet.contains(p) {
                let (x1, y1) = pos[p]!, (x2, y2) = pos[id]!
                let sx = x1 + boxW, sy = y1 + boxH / 2, ex = x2, ey = y2 + boxH / 2
                svg += "<path d=\"M\(sx),\(sy) C\(sx + gapX / 2),\(sy) \(ex - gapX / 2),\(ey) \(ex),\(ey)\" stroke=\"#889\" fill=\"none\"/>"
            }
        }
        let colors: [NodeKind: String] = [.source: "#e8f1e0", .seed: "#fdf1d8", .snapshot: "#f3e5f5", .model: "#e3ecfa"]
        for id in shown {
            let n = graph.nodes[id]!
            let (x, y) = pos[id]!
            let sub = n.kind == .model ? (n.materialized ?? "") : n.kind.rawValue
            svg += "<a href=\"#\(html(mermaidId(id)))\"><g><title>\(html(id))</title>"
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(boxW)\" height=\"\(boxH)\" rx=\"6\" fill=\"\(colors[n.kind] ?? "#eee")\" stroke=\"#667\"/>"
            svg += "<text x=\"\(x + 8)\" y=\"\(y + 15)\" font-size=\"12\" font-family=\"sans-serif\">\(html(String(n.name.prefix(28))))</text>"
            svg += "<text x=\"\(x + 8)\" y=\"\(y + 29)\" font-size=\"10\" fill=\"#555\" font-family=\"sans-serif\">\(html(sub))</text></g></a>"
        }
        svg += "</svg>"
        var body = "<h2>Models</h2>"
        for id in shown {
            let n = graph.nodes[id]!
            var desc = "", cols: [ColumnDoc] = [], rel = ""
            switch n.kind {
            case .model:
                let m = project.models[n.name]!; desc = m.description; cols = m.columns; rel = m.relation.description
            case .seed:
                let s = project.seeds[n.name]!; desc = s.description; cols = s.columns; rel = s.relation.description
            case .snapshot:
                let s = project.snapshots[n.name]!; desc = s.description; cols = s.columns; rel = s.relation.description
            default:
                if let s = project.sources.values.first(where: { $0.uniqueId == id }) { desc = s.description; cols = s.columns; rel = s.relation.description }
            }
            body += "<section id=\"\(html(mermaidId(id)))\"><h3>\(html(n.name)) <small>\(html(n.kind.rawValue)) · \(html(rel)) · \(html(n.path))</small></h3>"
            if !desc.isEmpty { body += "<p>\(html(desc))</p>" }
            if !n.parents.isEmpty { body += "<p class=\"deps\">depends on: \(n.parents.map { html(graph.nodes[$0]?.name ?? $0) }.joined(separator: ", "))</p>" }
            if !cols.isEmpty {
                body += "<table><tr><th>column</th><th>description</th></tr>"
                for c in cols { body += "<tr><td><code>\(html(c.name))</code></td><td>\(html(c.description))</td></tr>" }
                body += "</table>"
            }
            body += "</section>"
        }
        return """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>\(html(project.name)) lineage</title>
        <style>body{font-family:sans-serif;margin:2em;color:#222}.graph{overflow:auto;border:1px solid #ddd;padding:8px}
        table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}small{color:#666;font-weight:normal}
        .deps{color:#555}section{margin-bottom:1.5em}</style></head>
        <body><h1>\(html(project.name)) — lineage</h1><div class="graph">\(svg)</div>\(body)</body></html>
        """
    }

    static func writeLineage(project: Project, graph: DependencyGraph, target: URL) throws {
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data(mermaid(project: project, graph: graph).utf8).write(to: target.appendingPathComponent("lineage.mmd"))
        try Data(indexHTML(project: project, graph: graph).utf8).write(to: target.appendingPathComponent("index.html"))
    }

    /// The committed-page header: what made the file, so nobody edits it by hand.
    static func generatedNote(_ what: String) -> String {
        "<!-- Generated by `fitdata docs --write-diagrams DIR` from \(what). Do not edit: `make docs-check` fails when it differs. -->\n"
    }

    /// `lineage.md`: the Mermaid lineage of sources, seeds and models in a Markdown page.
    static func lineagePage(project: Project, graph: DependencyGraph) -> String {
        generatedNote("the model graph of \(project.name)") + "# Model lineage of \(project.name)\n\n"
            + "Sources (cylinders), seeds (parallelograms) and models with their materialization; an arrow points from a node to the nodes that read it.\n\n"
            + "```mermaid\n" + mermaid(project: project, graph: graph) + "```\n"
    }

    /// `<schema>-erd.md`: the schema's entity-relationship diagram in a Markdown page.
    static func erdPage(_ d: SchemaDiagram) -> String {
        generatedNote("the live catalog of schema \(d.schema)") + "# Schema \(d.schema): entity-relationship diagram\n\n"
            + "Tables with their columns (PK primary key, FK foreign key, UK unique key; columns without NOT NULL are marked nullable) "
            + "and foreign keys, labelled with the referencing columns. Tables of other schemas appear as `schema_table`.\n\n"
            + "```mermaid\n" + d.mermaid + "```\n"
    }

    /// Writes `lineage.md` and `<schema>-erd.md` into `dir` (created when missing).
    /// - Returns: the files written.
    static func writeDiagrams(project: Project, graph: DependencyGraph, diagram: SchemaDiagram, dir: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let files = [(dir.appendingPathComponent("lineage.md"), lineagePage(project: project, graph: graph)),
                     (dir.appendingPathComponent("\(diagram.schema)-erd.md"), erdPage(diagram))]
        for (url, text) in files { try Data(text.utf8).write(to: url, options: .atomic) }
        return files.map(\.0)
    }

    /// Applies descriptions of selected, existing models and seeds as `COMMENT ON` (one transaction per relation).
    /// - Returns: how many relations were commented.
    static func applyComments(project: Project, selected: Set<String>, conn: Connection, warn: (String) -> Void) throws -> Int {
        var targets: [(Relation, String, [ColumnDoc], String)] = []
        for m in project.models.values.sorted(by: { $0.name < $1.name }) where selected.contains(m.uniqueId) && m.materialization != .ephemeral {
            targets.append((m.relation, m.description, m.columns, m.name))
        }
        for s in project.seeds.values.sorted(by: { $0.name < $1.name }) where selected.contains(s.uniqueId) {
            targets.append((s.relation, s.description, s.columns, s.name))
        }
        let catalog = try Catalog.load(conn, schemas: Array(Set(targets.map { $0.0.schema })))
        var n = 0
        for (rel, desc, cols, name) in targets {
            guard let kind = catalog.kind(rel) else {
                warn("docs: \(name) (\(rel)) does not exist yet; run `fitdata build` first")
                continue
            }
            let existing = Set(try relationColumns(conn, rel.quoted).map(\.name))
            for c in cols where !existing.contains(c.name) {
                warn("docs: column \(c.name) of \(name) is documented but does not exist in \(rel)")
            }
            let isView = kind == "v"
            var stmts: [String] = []
            if !desc.isEmpty {
                stmts.append("COMMENT ON \(kind == "m" ? "MATERIALIZED VIEW" : (isView ? "VIEW" : "TABLE")) \(rel.quoted) IS \(Connection.quoteLiteral(desc))")
            }
            for c in cols where existing.contains(c.name) && !c.description.isEmpty {
                stmts.append("COMMENT ON COLUMN \(rel.quoted).\(Connection.quoteIdentifier(c.name)) IS \(Connection.quoteLiteral(c.description))")
            }
            if stmts.isEmpty { continue }
            try conn.execute(stmts.joined(separator: ";\n"))
            n += 1
        }
        return n
    }
}
