import Foundation

/// Node selection: `name`, `+name`, `name+`, `+name+`, `2+name+1`, `@name`, `tag:x`, `path:models/marts`,
/// `source:s`, `resource_type:model`, `config.materialized:table`, `state:modified+`, `a,b` (intersection);
/// several specs are a union and `--exclude` removes nodes.
public struct NodeSelector {
    let graph: DependencyGraph
    let projectName: String
    /// Unique ids that are new or changed against `--state`; nil when no state was given.
    let modified: Set<String>?
    let newNodes: Set<String>?

    public init(graph: DependencyGraph, projectName: String, modified: Set<String>? = nil, newNodes: Set<String>? = nil) {
        self.graph = graph
        self.projectName = projectName
        self.modified = modified
        self.newNodes = newNodes
    }

    /// The selected node ids: `select` (everything when empty), plus tests of selected nodes, minus `exclude`.
    public func select(_ select: [String], exclude: [String]) throws -> Set<String> {
        var chosen: Set<String>
        let specs = select.flatMap { $0.split(whereSeparator: { $0 == " " }).map(String.init) }
        if specs.isEmpty {
            chosen = Set(graph.nodes.keys)
        } else {
            chosen = []
            for s in specs { chosen.formUnion(try evaluate(s)) }
        }
        chosen = withTests(chosen)
        let ex = exclude.flatMap { $0.split(whereSeparator: { $0 == " " }).map(String.init) }
        if !ex.isEmpty {
            var removed: Set<String> = []
            for s in ex { removed.formUnion(try evaluate(s)) }
            removed = removed.union(graph.nodes.values.filter { n in
                (n.kind == .test || n.kind == .unitTest) && n.attachedTo.map { removed.contains($0) } == true
            }.map(\.uniqueId))
            chosen.subtract(removed)
        }
        return chosen
    }

    /// Adds tests whose parents include a chosen node ("eager" indirect selection) and unit tests of chosen models.
    func withTests(_ chosen: Set<String>) -> Set<String> {
        var out = chosen
        for n in graph.nodes.values where n.kind == .test || n.kind == .unitTest {
            if n.kind == .unitTest {
                if let a = n.attachedTo, chosen.contains(a) { out.insert(n.uniqueId) }
            } else if n.parents.contains(where: chosen.contains) {
                out.insert(n.uniqueId)
            }
        }
        return out
    }

    /// One spec, possibly an intersection `a,b`.
    func evaluate(_ spec: String) throws -> Set<String> {
        let parts = spec.split(separator: ",").map(String.init)
        guard var result = try parts.first.map(evaluateAtom) else { throw ProjectError("empty selector") }
        for p in parts.dropFirst() { result.formIntersection(try evaluateAtom(p)) }
        return result
    }

    private func evaluateAtom(_ atom: String) throws -> Set<String> {
        var s = Substring(atom)
        var at = false
        var up: Int?? = nil   // nil: no ancestors; .some(nil): all; .some(n): n generations
        var down: Int?? = nil
        if s.hasPrefix("@") { at = true; s = s.dropFirst() }
        if let plus = s.firstIndex(of: "+"), s[s.startIndex..<plus].allSatisfy(\.isNumber) {
            let digits = s[s.startIndex..<plus]
            up = .some(digits.isEmpty ? nil : Int(digits))
            s = s[s.index(after: plus)...]
        }
        if let plus = s.lastIndex(of: "+"), s[s.index(after: plus)...].allSatisfy(\.isNumber) {
            let digits = s[s.index(after: plus)...]
            down = .some(digits.isEmpty ? nil : Int(digits))
            s = s[..<plus]
        }
        guard !s.isEmpty else { throw ProjectError("bad selector '\(atom)'") }
        let base = try match(String(s))
        var result = base
        for id in base {
            if let up { result.formUnion(graph.ancestors(of: id, depth: up)) }
            if let down { result.formUnion(graph.descendants(of: id, depth: down)) }
            if at {
                let desc = graph.descendants(of: id)
                result.formUnion(desc)
                for d in desc { result.formUnion(graph.ancestors(of: d)) }
            }
        }
        return result
    }

    private func match(_ spec: String) throws -> Set<String> {
        let nodes = graph.nodes.values
        if let colon = spec.firstIndex(of: ":") {
            let method = String(spec[..<colon])
            let value = String(spec[spec.index(after: colon)...])
            switch method {
            case "tag":
                return Set(nodes.filter { $0.tags.contains(where: { glob(value, $0) }) }.map(\.uniqueId))
            case "path", "file":
                let v = value.hasSuffix("/") ? String(value.dropLast()) : value
                return Set(nodes.filter { n in
                    n.kind != .source && (n.path == v || n.path.hasPrefix(v + "/") || glob(v, n.path)
                                          || (method == "file" && (n.path as NSString).lastPathComponent == v))
                }.map(\.uniqueId))
            case "source":
                return Set(nodes.filter { n in
                    n.kind == .source && (glob(value, n.name) || glob(value, String(n.name.split(separator: ".").first ?? "")))
                }.map(\.uniqueId))
            case "resource_type":
                return Set(nodes.filter { $0.kind.rawValue == value }.map(\.uniqueId))
            case "config.materialized":
                return Set(nodes.filter { $0.materialized == value }.map(\.uniqueId))
            case "fqn":
                return Set(nodes.filter { fqnMatches(value, $0) }.map(\.uniqueId))
            case "test_type":
                return Set(nodes.filter { n in
                    (value == "unit" && n.kind == .unitTest) || (value == "data" && n.kind == .test)
                    || (value == "generic" && n.kind == .test && n.attachedTo != nil && !n.path.hasSuffix(".sql"))
                    || (value == "singular" && n.kind == .test && n.path.hasSuffix(".sql"))
                }.map(\.uniqueId))
            case "state":
                guard let modified, let newNodes else {
                    throw ProjectError("selector '\(spec)' needs --state DIR (a folder with a previous manifest.json)")
                }
                switch value {
                case "modified": return modified.union(newNodes)
                case "new": return newNodes
                default: throw ProjectError("unsupported state selector '\(spec)'; use state:modified or state:new")
                }
            default:
                throw ProjectError("unsupported selector method '\(method):'; supported: name, tag:, path:, source:, resource_type:, config.materialized:, fqn:, test_type:, state:")
            }
        }
        if spec.contains("/") || spec.hasSuffix(".sql") {
            return try match("path:" + spec)
        }
        let found = Set(nodes.filter { n in n.kind != .source && (glob(spec, n.name) || fqnMatches(spec, n)) }.map(\.uniqueId))
        if found.isEmpty {
            let names = nodes.filter { $0.kind == .model || $0.kind == .seed || $0.kind == .snapshot }.map(\.name)
            let hint = nearest(spec, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw ProjectError("selector '\(spec)' matches no node\(hint)")
        }
        return found
    }

    /// `staging` matches every node in folder staging; `project.staging.stg_x` matches by fqn prefix.
    private func fqnMatches(_ spec: String, _ n: GraphNode) -> Bool {
        guard n.kind == .model || n.kind == .seed || n.kind == .snapshot else { return false }
        let parts = spec.split(separator: ".").map(String.init)
        let fqn = n.fqn
        func prefix(_ f: ArraySlice<String>) -> Bool {
            parts.count <= f.count && zip(parts, f).allSatisfy { glob($0, $1) }
        }
        return prefix(fqn[...]) || (fqn.first == projectName && prefix(fqn.dropFirst()))
    }
}

/// Shell-style wildcard match (`*` and `?`).
func glob(_ pattern: String, _ text: String) -> Bool {
    if !pattern.contains("*") && !pattern.contains("?") { return pattern == text }
    let p = Array(pattern), t = Array(text)
    var pi = 0, ti = 0, star = -1, mark = 0
    while ti < t.count {
        if pi < p.count, p[pi] == "?" || p[pi] == t[ti] { pi += 1; ti += 1 }
        else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 }
        else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
        else { return false }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
}
