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

    /// Builds the graph and checks it: unknown refs/sources (with a suggestion), refs to disabled nodes and cycles are
    /// ``ProjectError``s, every one of the project reported together.
    public convenience init(project: Project) throws {
        var errors: [ProjectError] = []
        self.init(project: project, errors: &errors)
        if !errors.isEmpty { throw ProjectError.combined(errors) }
    }

    /// Builds the graph, appending every error it finds to `errors` (in file order) instead of stopping at the first;
    /// with errors the graph is incomplete and only good for reporting them.
    init(project: Project, errors: inout [ProjectError]) {
        var found: [ProjectError] = []
        let resolver = GraphReferences(project: project)
        /// The unique id `ref(name)` names, or nil after recording the error at `loc()`.
        func ref(_ name: String, package: String? = nil, at loc: @autoclosure () -> SourceLocation) -> String? {
            do { return try resolver.ref(name, package: package, at: loc()) } catch let e as ProjectError { found.append(e) } catch {}
            return nil
        }
        func source(_ s: String, _ t: String, at loc: SourceLocation) -> String? {
            do { return try resolver.source(s, t, at: loc) } catch let e as ProjectError { found.append(e) } catch {}
            return nil
        }
        for src in project.sources.values {
            add(GraphNode(uniqueId: src.uniqueId, kind: .source, name: "\(src.sourceName).\(src.name)", path: src.path,
                          tags: [], fqn: [src.package ?? project.name, src.sourceName, src.name], parents: []))
        }
        for seed in project.seeds.values {
            add(GraphNode(uniqueId: seed.uniqueId, kind: .seed, name: seed.name, path: seed.path, tags: seed.config.tags,
                          fqn: seed.fqn, parents: [], materialized: "seed"))
        }
        for s in project.snapshots.values.sorted(by: { $0.uniqueId < $1.uniqueId }) {
            var parents: [String] = []
            for r in s.template.refs { parents += ref(r.name, package: r.package, at: r.location).map { [$0] } ?? [] }
            for src in s.template.sources { parents += source(src.source, src.table, at: src.location).map { [$0] } ?? [] }
            add(GraphNode(uniqueId: s.uniqueId, kind: .snapshot, name: s.name, path: s.path, tags: s.config.tags, fqn: s.fqn,
                          parents: unique(parents), materialized: "snapshot"))
        }
        for m in project.models.values.sorted(by: { $0.path < $1.path }) {
            var parents: [String] = []
            for r in m.template.refs {
                parents += ref(r.name, package: r.package, at: m.template.location(ofRef: r.name)).map { [$0] } ?? []
            }
            for s in m.template.sources { parents += source(s.source, s.table, at: s.location).map { [$0] } ?? [] }
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
                    let id: String?
                    switch related {
                    case .ref(let name): id = ref(name, at: t.location)
                    case .source(let s, let table): id = source(s, table, at: t.location)
                    }
                    if let id {
                        relationshipTargets[t.uniqueId] = id
                        parents.append(id)
                    }
                }
            case .macro(_, _, _, _, let target, let refs, let sources):
                parents.append(target)
                for r in refs { parents += ref(r, at: t.location).map { [$0] } ?? [] }
                for case .source(let s, let table) in sources { parents += source(s, table, at: t.location).map { [$0] } ?? [] }
            case .singular(let template):
                for r in template.refs { parents += ref(r.name, package: r.package, at: template.location(ofRef: r.name)).map { [$0] } ?? [] }
                for s in template.sources { parents += source(s.source, s.table, at: s.location).map { [$0] } ?? [] }
            }
            let fqn = [packageName(of: t.uniqueId) ?? project.name]
                + project.localPath(t.location.file).split(separator: "/").dropFirst().dropLast().map(String.init) + [t.name]
            add(GraphNode(uniqueId: t.uniqueId, kind: .test, name: t.name, path: t.location.file, tags: t.config.tags,
                          fqn: fqn, parents: unique(parents), attachedTo: t.attachedTo ?? parents.first, materialized: "test"))
        }
        for u in project.unitTests {
            guard let m = project.models[u.model] else {
                if !resolver.lost(u.model) {
                    let hint = nearest(u.model, in: Array(project.models.keys)).map { "; did you mean '\($0)'?" } ?? ""
                    found.append(ProjectError("unit test \(u.name): model '\(u.model)' does not exist\(hint)", at: u.location))
                }
                continue
            }
            for g in u.given {
                switch g.target {
                case .ref(let r): _ = ref(r, at: u.location)
                case .source(let s, let t): _ = source(s, t, at: u.location)
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
        found += topologicalSort(project: project)
        // One report per distinct error, in file order.
        var seen = Set<String>()
        errors += found.filter { seen.insert($0.description).inserted }.sorted { a, b in
            let (la, lb) = (a.location ?? SourceLocation(file: "", line: 0), b.location ?? SourceLocation(file: "", line: 0))
            return (la.file, la.line, la.column ?? 0) < (lb.file, lb.line, lb.column ?? 0)
        }
    }

    private func add(_ n: GraphNode) { nodes[n.uniqueId] = n }

    private func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    /// Orders the nodes; returns one error per dependency cycle (each strongly connected group of nodes).
    private func topologicalSort(project: Project) -> [ProjectError] {
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
        order = out
        guard out.count < nodes.count else { return [] }
        let remaining = Set(nodes.keys).subtracting(out)
        return cycleGroups(in: remaining).map { group in
            let cycle = findCycle(in: group)
            return ProjectError("dependency cycle: " + cycle.map { nodes[$0]?.name ?? $0 }.joined(separator: " -> "),
                                at: cycleLocation(cycle, project: project))
        }
    }

    /// Where the second node of `cycle` refers to the first (the `ref` in its file), else the first node's file.
    private func cycleLocation(_ cycle: [String], project: Project) -> SourceLocation {
        if cycle.count > 1, let first = nodes[cycle[0]], let m = project.models.values.first(where: { $0.uniqueId == cycle[1] }) {
            return m.template.location(ofRef: first.name)
        }
        return SourceLocation(file: nodes[cycle[0]]?.path ?? "", line: 1)
    }

    /// The strongly connected groups among `remaining` that hold a cycle (Tarjan's algorithm), sorted by first id.
    private func cycleGroups(in remaining: Set<String>) -> [Set<String>] {
        var index: [String: Int] = [:], low: [String: Int] = [:], onStack = Set<String>()
        var stack: [String] = [], groups: [Set<String>] = [], next = 0
        func connect(_ v: String) {
            index[v] = next; low[v] = next; next += 1
            stack.append(v); onStack.insert(v)
            for w in children[v] ?? [] where remaining.contains(w) {
                if index[w] == nil { connect(w); low[v] = min(low[v]!, low[w]!) } else if onStack.contains(w) { low[v] = min(low[v]!, index[w]!) }
            }
            guard low[v] == index[v] else { return }
            var group = Set<String>()
            while let w = stack.popLast() { onStack.remove(w); group.insert(w); if w == v { break } }
            if group.count > 1 || (children[v] ?? []).contains(v) { groups.append(group) }
        }
        for v in remaining.sorted() where index[v] == nil { connect(v) }
        return groups.sorted { $0.min()! < $1.min()! }
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

    /// One cycle among `remaining` as node ids, first id repeated at the end.
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
            if let cycle = dfs(id) { return cycle }
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
