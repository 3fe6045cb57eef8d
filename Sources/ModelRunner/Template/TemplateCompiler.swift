import Foundation
import PostgresClient

/// Renders parsed templates to SQL: refs and sources become quoted relations, ephemeral models become CTEs.
public final class TemplateCompiler: @unchecked Sendable {
    let project: Project
    private let lock = NSLock()
    private var ephemeralCache: [String: (sql: String, deps: [String])] = [:]

    public init(project: Project) {
        self.project = project
    }

    /// Replacements used by unit tests: inputs become CTE names instead of relations.
    struct Overrides {
        var refs: [String: String] = [:]
        var sources: [String: String] = [:]
        var this: String?
        var vars: ConfigValue = .dict([])
    }

    /// Compiled SQL of a model (ephemeral parents inlined as CTEs), without a trailing semicolon.
    public func compile(model: Model, isIncremental: Bool) throws -> String {
        try compile(template: model.template, this: model.relation, isIncremental: isIncremental, overrides: Overrides())
    }

    /// Compiled SQL of any template (model body or singular test).
    func compile(template: ParsedTemplate, this: Relation?, isIncremental: Bool, overrides: Overrides) throws -> String {
        var ephemerals: [String] = []
        let body = try render(template.segments, this: this, isIncremental: isIncremental, overrides: overrides, ephemerals: &ephemerals)
        let sql = trimStatement(body)
        if ephemerals.isEmpty { return sql }
        // Inline every ephemeral in dependency order (parents first), each once.
        var ordered: [String] = []
        var seen = Set<String>()
        func visit(_ name: String) throws {
            guard seen.insert(name).inserted else { return }
            let e = try ephemeral(name)
            for d in e.deps { try visit(d) }
            ordered.append(name)
        }
        for e in ephemerals { try visit(e) }
        return try injectCTEs(sql, ctes: ordered.map { (Self.cteName($0), try ephemeral($0).sql) })
    }

    static func cteName(_ model: String) -> String { "__dbt__cte__" + model }

    private func ephemeral(_ name: String) throws -> (sql: String, deps: [String]) {
        lock.lock()
        if let c = ephemeralCache[name] { lock.unlock(); return c }
        lock.unlock()
        guard let m = project.models[name] else { throw ProjectError("unknown ephemeral model \(name)") }
        var deps: [String] = []
        let body = try render(m.template.segments, this: m.relation, isIncremental: false, overrides: Overrides(), ephemerals: &deps)
        let value = (trimStatement(body), deps)
        lock.lock(); ephemeralCache[name] = value; lock.unlock()
        return value
    }

    private func render(_ segments: [TemplateSegment], this: Relation?, isIncremental: Bool, overrides: Overrides,
                        ephemerals: inout [String]) throws -> String {
        var out = ""
        for seg in segments {
            switch seg {
            case .text(let t): out += t
            case .ref(let name, let loc):
                if let o = overrides.refs[name] { out += o; continue }
                if let m = project.models[name] {
                    if m.materialization == .ephemeral {
                        if !ephemerals.contains(name) { ephemerals.append(name) }
                        out += Self.cteName(name)
                    } else {
                        out += m.relation.quoted
                    }
                } else if let s = project.seeds[name] {
                    out += s.relation.quoted
                } else if let s = project.snapshots[name] {
                    out += s.relation.quoted
                } else {
                    let hint = nearest(name, in: project.refNames).map { "; did you mean '\($0)'?" } ?? ""
                    throw ProjectError("ref('\(name)') does not match any model or seed\(hint)", at: loc)
                }
            case .source(let s, let t, let loc):
                if let o = overrides.sources["\(s).\(t)"] { out += o; continue }
                guard let src = project.sources["\(s).\(t)"] else {
                    throw ProjectError("source('\(s)', '\(t)') is not declared", at: loc)
                }
                out += src.relation.quoted
            case .variable(let name, let fallback, let loc):
                if let v = overrides.vars[name] ?? project.vars[name] ?? fallback {
                    out += v.rendered
                } else {
                    throw ProjectError("required var '\(name)' is not set (dbt_project.yml vars or --vars)", at: loc)
                }
            case .this(let attr, let loc):
                if attr == nil, let o = overrides.this { out += o; continue }
                guard let this else { throw ProjectError("{{ this }} is only available in models", at: loc) }
                switch attr {
                case nil: out += this.quoted
                case "schema": out += this.schema
                default: out += this.name
                }
            case .ifIncremental(let negated, let then, let otherwise):
                let branch = (isIncremental != negated) ? then : otherwise
                out += try render(branch, this: this, isIncremental: isIncremental, overrides: overrides, ephemerals: &ephemerals)
            }
        }
        return out
    }
}

/// Drops trailing whitespace and semicolons so the SQL can be wrapped (`CREATE TABLE … AS (…)`).
func trimStatement(_ sql: String) -> String {
    var s = Substring(sql)
    while let last = s.last, last.isWhitespace || last == ";" { s = s.dropLast() }
    return String(s)
}

/// Puts `ctes` in front of `sql`: merged into its own `WITH` when it has one, else as a new `WITH`.
func injectCTEs(_ sql: String, ctes: [(String, String)]) throws -> String {
    guard !ctes.isEmpty else { return sql }
    let defs = ctes.map { "\($0.0) as (\n\($0.1)\n)" }.joined(separator: ",\n")
    let u = Array(sql.utf8)
    var i = 0
    // Skip whitespace and comments to the first keyword.
    while i < u.count {
        if u[i] == 0x20 || u[i] == 0x0A || u[i] == 0x09 || u[i] == 0x0D { i += 1; continue }
        if u[i] == UInt8(ascii: "-"), i + 1 < u.count, u[i + 1] == UInt8(ascii: "-") {
            while i < u.count, u[i] != 0x0A { i += 1 }
            continue
        }
        if u[i] == UInt8(ascii: "/"), i + 1 < u.count, u[i + 1] == UInt8(ascii: "*") {
            i += 2
            while i + 1 < u.count, !(u[i] == UInt8(ascii: "*") && u[i + 1] == UInt8(ascii: "/")) { i += 1 }
            i += 2
            continue
        }
        break
    }
    func word(at j: Int) -> (String, Int) {
        var k = j
        while k < u.count, (u[k] >= 0x41 && u[k] <= 0x5A) || (u[k] >= 0x61 && u[k] <= 0x7A) || u[k] == UInt8(ascii: "_") { k += 1 }
        return (String(decoding: u[j..<k], as: UTF8.self).lowercased(), k)
    }
    let head = String(decoding: u[0..<min(i, u.count)], as: UTF8.self)
    let (w, afterWith) = word(at: i)
    if w == "with" {
        var j = afterWith
        while j < u.count, u[j] == 0x20 || u[j] == 0x0A || u[j] == 0x09 || u[j] == 0x0D { j += 1 }
        let (w2, afterRecursive) = word(at: j)
        let cut = w2 == "recursive" ? afterRecursive : afterWith
        let before = String(decoding: u[0..<cut], as: UTF8.self)
        let after = String(decoding: u[cut...], as: UTF8.self)
        return before + "\n" + defs + ",\n" + after
    }
    let rest = String(decoding: u[min(i, u.count)...], as: UTF8.self)
    return head + "with " + defs + "\n" + rest
}
