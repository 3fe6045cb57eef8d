import Foundation

/// What kind of resource a graph node is.
public enum NodeKind: String, Sendable {
    case model, seed, test, unitTest = "unit_test", source, snapshot
}

/// One resource in the DAG.
public struct GraphNode: Sendable {
    public var uniqueId: String
    public var kind: NodeKind
    public var name: String
    /// Project-relative file path (for `path:` selectors and messages).
    public var path: String
    public var tags: [String]
    public var fqn: [String]
    /// Unique ids this node reads from.
    public var parents: [String]
    /// For tests: the node a column test is defined on.
    public var attachedTo: String?
    public var materialized: String?
}

/// The DAG of models, seeds, sources and tests, built from `ref()` and `source()`.
public final class DependencyGraph: @unchecked Sendable {
    public private(set) var nodes: [String: GraphNode] = [:]
    public private(set) var children: [String: [String]] = [:]
    /// All node ids in a deterministic topological order.
    public private(set) var order: [String] = []
    /// For each `relationships` test, the unique id of the relation its `to:` names.
    public private(set) var relationshipTargets: [String: String] = [:]

    /// Builds the graph and checks it: unknown refs/sources (with a suggestion) and cycles are ``ProjectError``s.
    public init(project: Project) throws {
        let refNames = project.refNames
        func resolveRef(_ name: String, at loc: SourceLocation) throws -> String {
            if let m = project.models[name] { return m.uniqueId }
            if let s = project.seeds[name] { return s.uniqueId }
            if let s = project.snapshots[name] { return s.uniqueId }
            if project.disabled.contains(name) { throw ProjectError("ref('\(name)') names a disabled node (enabled: false)", at: loc) }
            let hint = nearest(name, in: refNames).map { "; did you mean '\($0)'?" } ?? ""
            throw ProjectError("ref('\(name)') does not match any model or seed\(hint)", at: loc)
        }
        func resolveSource(_ s: String, _ t: String, at loc: SourceLocation) throws -> String {
            if let src = project.sources["\(s).\(t)"] { return src.uniqueId }
            let hint = nearest("\(s).\(t)", in: Array(project.sources.keys)).map { "; did you mean '\($0)'?" } ?? ""
            throw ProjectError("source('\(s)', '\(t)') is not declared in any .yml under sources:\(hint)", at: loc)
        }
        for src in project.sources.values {
            add(GraphNode(uniqueId: src.uniqueId, kind: .source, name: "\(src.sourceName).\(src.name)", path: src.path,
                          tags: [], fqn: [project.name, src.sourceName, src.name], parents: []))
        }
        for seed in project.seeds.values {
            add(GraphNode(uniqueId: seed.uniqueId, kind: .seed, name: seed.name, path: seed.path, tags: seed.config.tags,
                          fqn: seed.fqn, parents: [], materialized: "seed"))
        }
        for s in project.snapshots.values {
            var parents: [String] = []
            for r in s.template.refs { parents.append(try resolveRef(r.name, at: r.location)) }
            for src in s.template.sources { parents.append(try resolveSource(src.source, src.table, at: src.location)) }
            add(GraphNode(uniqueId: s.uniqueId, kind: .snapshot, name: s.name, path: s.path, tags: s.config.tags, fqn: s.fqn,
                          parents: unique(parents), materialized: "snapshot"))
        }
        for m in project.models.values {
            var parents: [String] = []
            for r in m.template.refs { parents.append(try resolveRef(r.name, at: project.models[r.name] == nil && project.seeds[r.name] == nil ? m.template.location(ofRef: r.name) : r.location)) }
            for s in m.template.sources { parents.append(try resolveSource(s.source, s.table, at: s.location)) }
            add(GraphNode(uniqueId: m.uniqueId, kind: .model, name: m.name, path: m.path, tags: m.config.tags, fqn: m.fqn,
                          parents: unique(parents), materialized: m.config.materialized))
        }
        for i in project.dataTests.indices {
            let t = project.dataTests[i]
            var parents: [String] = []
            switch t.body {
            case .generic(_, _, _, let target, let related):
                parents.append(target)
                if let related {
                    let id: String
                    switch related {
                    case .ref(let name): id = try resolveRef(name, at: t.location)
                    case .source(let s, let table): id = try resolveSource(s, table, at: t.location)
                    }
                    relationshipTargets[t.uniqueId] = id
                    parents.append(id)
                }
            case .macro(_, _, _, _, let target, let refs, let sources):
                parents.append(target)
                for r in refs { parents.append(try resolveRef(r, at: t.location)) }
                for case .source(let s, let table) in sources { parents.append(try resolveSource(s, table, at: t.location)) }
            case .singular(let template):
                for r in template.refs { parents.append(try resolveRef(r.name, at: project.models[r.name] == nil && project.seeds[r.name] == nil ? template.location(ofRef: r.name) : r.location)) }
                for s in template.sources { parents.append(try resolveSource(s.source, s.table, at: s.location)) }
            }
            let fqn = [project.name] + t.location.file.split(separator: "/").dropFirst().dropLast().map(String.init) + [t.name]
            add(GraphNode(uniqueId: t.uniqueId, kind: .test, name: t.name, path: t.location.file, tags: t.config.tags,
                          fqn: fqn, parents: unique(parents), attachedTo: t.attachedTo ?? parents.first, materialized: "test"))
        }
        for u in project.unitTests {
            guard let m = project.models[u.model] else {
                let hint = nearest(u.model, in: Array(project.models.keys)).map { "; did you mean '\($0)'?" } ?? ""
                throw ProjectError("unit test \(u.name): model '\(u.model)' does not exist\(hint)", at: u.location)
            }
            for g in u.given {
                switch g.target {
                case .ref(let r): _ = try resolveRef(r, at: u.location)
                case .source(let s, let t): _ = try resolveSource(s, t, at: u.location)
                case .this: break
                }
            }
            // A unit test reads the model's parents (for their column types), never the model itself.
            let parents = nodes[m.uniqueId]?.parents ?? []
            add(GraphNode(uniqueId: u.uniqueId, kind: .unitTest, name: u.name, path: u.location.file, tags: m.config.tags + u.config.tags,
                          fqn: m.fqn + [u.name], parents: parents, attachedTo: m.uniqueId, materialized: "unit_test"))
        }
        for n in nodes.values { for p in n.parents { children[p, default: []].append(n.uniqueId) } }
        for k in children.keys { children[k]!.sort() }
        try topologicalSort()
    }

    private func add(_ n: GraphNode) { nodes[n.uniqueId] = n }

    private func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    private func topologicalSort() throws {
        var indegree: [String: Int] = [:]
        for n in nodes.values { indegree[n.uniqueId] = n.parents.count }
        var ready = nodes.keys.filter { indegree[$0] == 0 }.sorted(by: >)
        var out: [String] = []
        out.reserveCapacity(nodes.count)
        while let id = ready.popLast() {
            out.append(id)
            var newly: [String] = []
            for c in children[id] ?? [] {
                indegree[c]! -= 1
                if indegree[c] == 0 { newly.append(c) }
            }
            for c in newly { insertSorted(&ready, c, by: >) }
        }
        if out.count < nodes.count {
            let remaining = Set(nodes.keys).subtracting(out)
            throw ProjectError("dependency cycle: " + findCycle(in: remaining).joined(separator: " -> "),
                               at: SourceLocation(file: nodes[findCycle(in: remaining)[0]]?.path ?? "", line: 1))
        }
        order = out
    }

    /// Inserts `value` into `array` (sorted by `areInOrder`) keeping it sorted: O(log n) search + one move.
    func insertSorted(_ array: inout [String], _ value: String, by areInOrder: (String, String) -> Bool) {
        var lo = 0, hi = array.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if areInOrder(array[mid], value) { lo = mid + 1 } else { hi = mid }
        }
        array.insert(value, at: lo)
    }

    /// One cycle among `remaining` as node names, first name repeated at the end.
    private func findCycle(in remaining: Set<String>) -> [String] {
        var state: [String: Int] = [:] // 1 visiting, 2 done
        var stack: [String] = []
        func dfs(_ id: String) -> [String]? {
            state[id] = 1
            stack.append(id)
            for c in (children[id] ?? []) where remaining.contains(c) {
                if state[c] == 1 {
                    let start = stack.firstIndex(of: c)!
                    return Array(stack[start...]) + [c]
                }
                if state[c] == nil, let found = dfs(c) { return found }
            }
            stack.removeLast()
            state[id] = 2
            return nil
        }
        for id in remaining.sorted() where state[id] == nil {
            if let cycle = dfs(id) { return cycle.map { nodes[$0]?.name ?? $0 } }
        }
        return Array(remaining).sorted()
    }

    /// All ancestors of `id` (not including it), up to `depth` generations when given.
    public func ancestors(of id: String, depth: Int? = nil) -> Set<String> {
        walk(from: id, depth: depth) { self.nodes[$0]?.parents ?? [] }
    }

    /// All descendants of `id` (not including it), up to `depth` generations when given.
    public func descendants(of id: String, depth: Int? = nil) -> Set<String> {
        walk(from: id, depth: depth) { self.children[$0] ?? [] }
    }

    private func walk(from id: String, depth: Int?, next: (String) -> [String]) -> Set<String> {
        var seen = Set<String>()
        var frontier = [id]
        var level = 0
        while !frontier.isEmpty, depth.map({ level < $0 }) ?? true {
            var nextFrontier: [String] = []
            for n in frontier {
                for p in next(n) where seen.insert(p).inserted { nextFrontier.append(p) }
            }
            frontier = nextFrontier
            level += 1
        }
        return seen
    }
}
