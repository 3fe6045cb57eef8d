import Foundation
import PostgresClient

/// Console lines: one per finished node and a dbt-like summary.
enum Reporting {
    static func label(_ id: String, graph: DependencyGraph) -> String {
        guard let n = graph.nodes[id] else {
            // on-run-start / on-run-end hooks: `operation.<project>.<project>-on-run-start-0`.
            return id.hasPrefix("operation.") ? "hook " + (id.split(separator: ".").last.map(String.init) ?? id) : id
        }
        switch n.kind {
        case .model: return "\(n.materialized ?? "") model \(n.name)"
        case .seed: return "seed \(n.name)"
        case .test: return "test \(n.name)"
        case .unitTest: return "unit test \(n.fqn.dropLast().last ?? "")::\(n.name)"
        case .source: return "source \(n.name)"
        case .snapshot: return "snapshot \(n.name)"
        }
    }

    static func line(_ r: NodeResult, index: Int, total: Int, graph: DependencyGraph) -> String {
        let what = label(r.uniqueId, graph: graph)
        let secs = seconds(r.executionTime)
        let (word, tail): (String, String)
        switch r.status {
        case "success": (word, tail) = ("OK", "[\(r.response) in \(secs)]")
        case "pass": (word, tail) = ("PASS", "[PASS in \(secs)]")
        case "warn": (word, tail) = ("WARN", "[WARN \(r.failures ?? 0) in \(secs)]")
        case "fail": (word, tail) = ("FAIL", "[FAIL \(r.failures ?? 0) in \(secs)]")
        case "skipped": (word, tail) = ("SKIP", "[SKIP]")
        default: (word, tail) = ("ERROR", "[ERROR in \(secs)]")
        }
        let head = "\(String(repeating: " ", count: max(0, String(total).count - String(index).count)))\(index) of \(total) \(word + String(repeating: " ", count: max(0, 5 - word.count))) \(what) "
        return dotted(head, tail)
    }

    /// `head ........ tail`: one console line, dots up to column 72 (at least three), as dbt pads its lines.
    static func dotted(_ head: String, _ tail: String) -> String {
        head + String(repeating: ".", count: max(3, 72 - head.count)) + " " + tail
    }

    /// `1.23s`: seconds with two decimals (rounded), without `String(format:)` (one line per node).
    static func seconds(_ t: Double) -> String {
        let hundredths = Int((max(0, t) * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)s"
    }

    static func summary(_ results: [NodeResult], elapsed: Double, graph: DependencyGraph, say: (String) -> Void) {
        var counts: [String: Int] = [:]
        for r in results { counts[r.status, default: 0] += 1 }
        let pass = (counts["success"] ?? 0) + (counts["pass"] ?? 0)
        let err = (counts["error"] ?? 0) + (counts["fail"] ?? 0)
        say("")
        say("Finished \(results.count) nodes in \(String(format: "%.2f", elapsed))s.")
        let problems = results.filter { $0.isFailure || $0.status == "warn" }
        if !problems.isEmpty {
            say("")
            for r in problems {
                let kind = r.status == "warn" ? "WARN" : (r.status == "fail" ? "FAIL" : "ERROR")
                var where_ = r.location ?? graph.nodes[r.uniqueId]?.path ?? ""
                if let c = r.compiledPath { where_ += " (compiled: \(c))" }
                say("\(kind) \(label(r.uniqueId, graph: graph)) at \(where_)")
                for l in r.message.split(separator: "\n", omittingEmptySubsequences: false) { say("  \(l)") }
            }
        }
        say("")
        say("Done. PASS=\(pass) WARN=\(counts["warn"] ?? 0) ERROR=\(err) SKIP=\(counts["skipped"] ?? 0) TOTAL=\(results.count)")
    }

    /// Best-effort `file:line` for a server error: the first line of the model's source naming a quoted identifier
    /// from the error message (`column "foo" does not exist` → the line using foo).
    static func locate(error: PostgresServerError, node: GraphNode, project: Project) -> String? {
        guard node.kind == .model, let m = project.models[node.name] else { return nil }
        let msg = error.message
        var names: [String] = []
        var rest = Substring(msg)
        while let a = rest.firstIndex(of: "\""), let b = rest[rest.index(after: a)...].firstIndex(of: "\"") {
            names.append(String(rest[rest.index(after: a)..<b]))
            rest = rest[rest.index(after: b)...]
        }
        let lines = m.rawSQL.split(separator: "\n", omittingEmptySubsequences: false)
        for name in names {
            let last = name.split(separator: ".").last.map(String.init) ?? name
            for (i, l) in lines.enumerated() where l.contains(last) {
                return "\(m.path):\(i + 1)"
            }
        }
        return m.path
    }
}
