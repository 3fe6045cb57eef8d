import Foundation
import PostgresClient

/// Renders parsed templates to SQL with dbt's context in compile mode: refs and sources become quoted relations,
/// ephemeral models become CTEs.
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

    /// What `this`, `model` and `config` name while a template renders.
    struct Node {
        var name: String?
        var resourceType = "model"
        var this: Relation?
        var config = NodeConfig()
        /// The node's package (nil: the root project).
        var package: String?
    }

    /// Compiled SQL of a model (ephemeral parents inlined as CTEs), without a trailing semicolon. `connection` serves
    /// introspection and `run_query` (nil: one is opened when a template needs it).
    public func compile(model: Model, isIncremental: Bool, connection: Connection? = nil) throws -> String {
        try compile(template: model.template, node: Node(name: model.name, this: model.relation, config: model.config, package: model.package),
                    isIncremental: isIncremental, overrides: Overrides(), connection: connection)
    }

    /// Compiled SQL of any template (model body or singular test).
    func compile(template: ParsedTemplate, node: Node, isIncremental: Bool, overrides: Overrides,
                 connection: Connection? = nil) throws -> String {
        let (body, ephemerals) = try render(template, node: node, isIncremental: isIncremental, overrides: overrides, connection: connection)
        let sql = trimStatement(body)
        if ephemerals.isEmpty { return sql }
        // Inline every ephemeral in dependency order (parents first), each once.
        var ordered: [String] = []
        var seen = Set<String>()
        func visit(_ name: String) throws {
            guard seen.insert(name).inserted else { return }
            let e = try ephemeral(name, connection: connection)
            for d in e.deps { try visit(d) }
            ordered.append(name)
        }
        for e in ephemerals { try visit(e) }
        return try injectCTEs(sql, ctes: ordered.map { (Self.cteName($0), try ephemeral($0, connection: connection).sql) })
    }

    static let ctePrefix = "__dbt__cte__"
    static func cteName(_ model: String) -> String { ctePrefix + model }

    private func ephemeral(_ name: String, connection: Connection?) throws -> (sql: String, deps: [String]) {
        lock.lock()
        if let c = ephemeralCache[name] { lock.unlock(); return c }
        lock.unlock()
        guard let m = project.models[name] else { throw ProjectError("unknown ephemeral model \(name)") }
        let (body, deps) = try render(m.template, node: Node(name: m.name, this: m.relation, config: m.config, package: m.package),
                                      isIncremental: false, overrides: Overrides(), connection: connection)
        let value = (trimStatement(body), deps)
        lock.lock(); ephemeralCache[name] = value; lock.unlock()
        return value
    }

    private func render(_ template: ParsedTemplate, node: Node, isIncremental: Bool, overrides: Overrides,
                        connection: Connection?) throws -> (String, [String]) {
        let state = RenderState(mode: .compile, file: template.file)
        state.nodeName = node.name
        state.resourceType = node.resourceType
        state.package = node.package
        state.this = node.this
        state.config = node.config
        state.isIncremental = isIncremental
        state.overrides = overrides
        state.connection = connection
        let sql = try template.dbt.compileRender(template.template, state: state)
        return (sql, state.ephemerals)
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
