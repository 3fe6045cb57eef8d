import Foundation

/// A previous run's `manifest.json`, for `state:modified` / `state:new` selection.
struct PreviousState {
    /// unique id → (file checksum, config checksum when the manifest was written by fitdata).
    var nodes: [String: (checksum: String, config: String?)] = [:]

    static func load(_ url: URL) throws -> PreviousState {
        guard let data = try? Data(contentsOf: url) else {
            throw ProjectError("--state: no manifest.json at \(url.path)")
        }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ProjectError("--state: \(url.path) is not a JSON manifest")
        }
        var s = PreviousState()
        for key in ["nodes", "unit_tests", "sources"] {
            for (id, v) in obj[key] as? [String: Any] ?? [:] {
                let n = v as? [String: Any] ?? [:]
                let sum = (n["checksum"] as? [String: Any])?["checksum"] as? String ?? ""
                let cfg = (n["fitdata"] as? [String: Any])?["config_checksum"] as? String
                s.nodes[id] = (sum, cfg)
            }
        }
        return s
    }

    /// Nodes whose file or configuration changed, and nodes that did not exist before.
    func compare(project: Project, graph: DependencyGraph) -> (modified: Set<String>, new: Set<String>) {
        var modified = Set<String>(), new = Set<String>()
        let tests = Dictionary(project.dataTests.map { ($0.uniqueId, $0) }, uniquingKeysWith: { a, _ in a })
        let units = Dictionary(project.unitTests.map { ($0.uniqueId, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, n) in graph.nodes where n.kind != .source {
            guard let old = nodes[id] else { new.insert(id); continue }
            var sum = "", cfg: String?
            switch n.kind {
            case .model:
                let m = project.models[n.name]!
                sum = m.checksum
                cfg = Artifacts.configChecksum(m.config, relation: m.relation)
            case .seed:
                let s = project.seeds[n.name]!
                sum = s.checksum
                cfg = Artifacts.configChecksum(s.config, relation: s.relation)
            case .test:
                guard let t = tests[id] else { continue }
                var c = t.config
                if c["severity"] == nil { c.apply([("severity", .string("ERROR"))]) }
                if c["materialized"] == nil { c.apply([("materialized", .string("test"))]) }
                switch t.body {
                case .generic, .macro: sum = sha256Hex(id)
                case .singular: sum = t.fileChecksum
                }
                cfg = Artifacts.configChecksum(c, relation: nil)
            case .unitTest:
                sum = units[id]?.checksum ?? ""
            case .snapshot:
                let s = project.snapshots[n.name]!
                sum = s.checksum
                cfg = Artifacts.configChecksum(s.config, relation: s.relation)
            case .source:
                continue
            }
            if old.checksum != sum || (old.config != nil && cfg != nil && old.config != cfg) { modified.insert(id) }
        }
        return (modified, new)
    }
}
