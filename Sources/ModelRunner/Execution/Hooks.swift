import Foundation
import Jinja
import PostgresClient

/// A dbt hook: SQL text (a template) and whether it runs inside the node's transaction.
struct Hook: Sendable, Equatable {
    var sql: String
    /// false for `{sql: …, transaction: false}`: runs on its own, before the node's transaction (pre) or after it (post).
    var transaction: Bool

    /// dbt's `before_begin("sql")` and `after_commit("sql")`: a hook that runs outside the node's transaction.
    static func installContext(into jinja: DbtJinja) {
        for env in [jinja.parseEnv, jinja.compileEnv] {
            for name in ["before_begin", "after_commit"] {
                env.globals[name] = .function(name) { args in
                    guard let sql = args.positional.first else { throw JinjaError.runtime("\(name)() takes the hook's SQL") }
                    return .dictionary([("sql", sql), ("transaction", .bool(false))])
                }
            }
        }
    }

    /// Reads the items of a `pre-hook` / `post-hook` config: SQL strings or `{sql: "…", transaction: false}` mappings.
    static func list(_ value: ConfigValue?, what: String, at location: SourceLocation) throws -> [Hook] {
        guard let value else { return [] }
        return try NodeConfig.hookItems(value).compactMap { item in
            switch item {
            case .string(let s):
                return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : Hook(sql: s, transaction: true)
            case .dict:
                guard let sql = item["sql"]?.stringValue else {
                    throw ProjectError("\(what): a hook mapping needs `sql:` (and optionally `transaction: false`)", at: location)
                }
                for (k, _) in item.dictValue ?? [] where !["sql", "transaction", "index"].contains(k) {
                    throw ProjectError("\(what): unknown key `\(k)` in a hook (sql, transaction)", at: location)
                }
                return Hook(sql: sql, transaction: item["transaction"]?.boolValue ?? true)
            default:
                throw ProjectError("\(what): a hook must be SQL text or {sql: …, transaction: …}, not \(item.rendered)", at: location)
            }
        }
    }
}

extension NodeConfig {
    static func isHookKey(_ rawKey: String) -> Bool {
        let k = canonicalKey(rawKey)
        return k == "pre-hook" || k == "post-hook"
    }

    /// The node's `pre-hook` or `post-hook` entries, project folders first, then `.yml`, then `{{ config() }}`.
    func hooks(_ key: String, what: String, at location: SourceLocation) throws -> [Hook] {
        try Hook.list(self[key], what: what, at: location)
    }

    /// Checks both hook lists at load time, so a malformed hook is a project error before anything runs.
    func checkHooks(what: String, at location: SourceLocation) throws {
        for key in ["pre-hook", "post-hook"] { _ = try hooks(key, what: what, at: location) }
    }
}

/// A node's hooks rendered to SQL, split by where they run relative to the node's transaction.
struct NodeHooks {
    var preOutside: [String] = []
    var preInside: [String] = []
    var postInside: [String] = []
    var postOutside: [String] = []

    /// Renders the hooks of `config` with `{{ this }}` bound to the node's relation and `is_incremental()` as for the node.
    init(config: NodeConfig, this relation: Relation, file: String, project: Project, isIncremental: Bool = false,
         connection: Connection) throws {
        let loc = SourceLocation(file: file, line: 1)
        for (key, isPre) in [("pre-hook", true), ("post-hook", false)] {
            for hook in try config.hooks(key, what: "\(key) of \(relation.description)", at: loc) {
                let sql = try EmbeddedTemplate.renderHook(hook.sql, file: file, this: relation, config: config, project: project,
                                                          isIncremental: isIncremental, connection: connection)
                if sql.isEmpty { continue }
                switch (isPre, hook.transaction) {
                case (true, true): preInside.append(sql)
                case (true, false): preOutside.append(sql)
                case (false, true): postInside.append(sql)
                case (false, false): postOutside.append(sql)
                }
            }
        }
    }

    /// `sql` (one or more statements of one message) with the inside-transaction pre-hooks in front.
    func wrapping(_ sql: String) -> String {
        preInside.isEmpty ? sql : preInside.map { $0 + ";\n" }.joined() + sql
    }

    /// Runs statements that belong outside the node's transaction, one message each.
    static func runOutside(_ statements: [String], on conn: Connection) throws {
        for s in statements { try conn.execute(s) }
    }
}

/// A project hook: `on-run-start` or `on-run-end` in dbt_project.yml.
public struct RunHook: Sendable {
    public enum Kind: String, Sendable { case start = "on-run-start", end = "on-run-end" }
    public var kind: Kind
    /// Position in its list (0-based), as in dbt's node names.
    public var index: Int
    public var sql: String
    public var location: SourceLocation

    /// dbt's name for it: `<project>-on-run-start-0`.
    func name(project: String) -> String { "\(project)-\(kind.rawValue)-\(index)" }
    /// dbt's unique id: `operation.<project>.<project>-on-run-start-0`.
    func uniqueId(project: String) -> String { "operation.\(project).\(name(project: project))" }

    /// Reads `on-run-start` / `on-run-end` (one SQL string or a list) from dbt_project.yml.
    static func read(_ value: ConfigValue?, kind: Kind, at location: SourceLocation) throws -> [RunHook] {
        guard let value, value != .null else { return [] }
        let items: [ConfigValue]
        if case .list(let l) = value { items = l } else { items = [value] }
        return try items.enumerated().compactMap { i, item in
            guard case .string(let s) = item else {
                throw ProjectError("`\(kind.rawValue)` entries must be SQL text, not \(item.rendered)", at: location)
            }
            return s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : RunHook(kind: kind, index: i, sql: s, location: location)
        }
    }
}
