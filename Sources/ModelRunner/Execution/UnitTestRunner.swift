import Foundation
import PostgresClient

/// Runs dbt-style unit tests: the model's inputs become CTEs of fixed rows, the output is compared with
/// the expected rows as multisets (EXCEPT ALL both ways), inside a transaction that is always rolled back.
enum UnitTestRunner {
    struct Outcome {
        var passed: Bool
        var message: String
        var sql: String
    }

    /// A literal for a YAML value.
    static func literal(_ v: ConfigValue) -> String {
        switch v {
        case .null: return "NULL"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return Connection.quoteLiteral(s)
        case .list, .dict: return Connection.quoteLiteral(JSON.encode(v))
        }
    }

    /// `select … union all select …` of `rows`, cast to `columns` types when known; empty rows give a typed empty set.
    static func rowsQuery(_ rows: [[(String, ConfigValue)]], columns: [(name: String, type: String)]) throws -> String {
        var cols = columns
        for r in rows {
            for (k, _) in r where !cols.contains(where: { $0.name == k }) { cols.append((k, "")) }
        }
        guard !cols.isEmpty else { throw ProjectError("unit test input has no rows and its relation does not exist yet, so its columns are unknown") }
        func cell(_ v: ConfigValue?, _ type: String) -> String {
            let lit = v.map(literal) ?? "NULL"
            return type.isEmpty ? (lit == "NULL" ? "NULL::text" : lit) : "CAST(\(lit) AS \(type))"
        }
        if rows.isEmpty {
            return "select " + cols.map { "\(cell(nil, $0.type)) as \(Connection.quoteIdentifier($0.name))" }.joined(separator: ", ") + " where false"
        }
        return rows.map { r in
            let dict = Dictionary(r, uniquingKeysWith: { _, b in b })
            return "select " + cols.map { "\(cell(dict[$0.name], $0.type)) as \(Connection.quoteIdentifier($0.name))" }.joined(separator: ", ")
        }.joined(separator: "\nunion all\n")
    }

    static func run(_ test: UnitTest, project: Project, compiler: TemplateCompiler, conn: Connection) throws -> Outcome {
        guard let model = project.models[test.model] else {
            throw ProjectError("unit test \(test.name): model '\(test.model)' does not exist", at: test.location)
        }
        var overrides = TemplateCompiler.Overrides()
        overrides.vars = test.overrideVars
        var ctes: [(String, String)] = []
        for (i, g) in test.given.enumerated() {
            let cte = "__fitdata_input_\(i)"
            let relation: Relation?
            switch g.target {
            case .ref(let name):
                overrides.refs[name] = cte
                if let m = project.models[name] {
                    relation = m.materialization == .ephemeral ? nil : m.relation
                } else {
                    relation = project.seeds[name]?.relation
                }
            case .source(let s, let t):
                overrides.sources["\(s).\(t)"] = cte
                relation = project.sources["\(s).\(t)"]?.relation
            case .this:
                overrides.this = cte
                relation = model.relation
            }
            let columns = try relation.map { try relationColumns(conn, $0.quoted) } ?? []
            do {
                ctes.append((cte, try rowsQuery(g.rows, columns: columns)))
            } catch let e as ProjectError {
                throw ProjectError("unit test \(test.name), input \(i + 1): \(e.message)", at: test.location)
            }
        }
        for r in model.template.refs where overrides.refs[r.name] == nil {
            throw ProjectError("unit test \(test.name): model \(model.name) reads ref('\(r.name)') but `given:` has no input for it", at: test.location)
        }
        for s in model.template.sources where overrides.sources["\(s.source).\(s.table)"] == nil {
            throw ProjectError("unit test \(test.name): model \(model.name) reads source('\(s.source)', '\(s.table)') but `given:` has no input for it", at: test.location)
        }
        let incremental = test.overrideIncremental ?? false
        let body = try compiler.compile(template: model.template, node: .init(name: model.name, this: model.relation, config: model.config),
                                        isIncremental: incremental, overrides: overrides, connection: conn)
        let actualSQL = try injectCTEs(body, ctes: ctes)

        try conn.execute("BEGIN")
        defer { _ = try? conn.execute("ROLLBACK") }
        try conn.execute("CREATE TEMP TABLE __fitdata_unit_actual AS (\n\(actualSQL)\n)")
        let actualCols = try relationColumns(conn, "pg_temp.__fitdata_unit_actual")
        var expectCols: [String] = []
        for r in test.expect { for (k, _) in r where !expectCols.contains(k) { expectCols.append(k) } }
        if test.expect.isEmpty {
            let n = Int(try conn.query("SELECT count(*) FROM pg_temp.__fitdata_unit_actual").scalar ?? "0") ?? 0
            return Outcome(passed: n == 0, message: n == 0 ? "" : "expected no rows, got \(n)", sql: actualSQL)
        }
        let typeOf = Dictionary(actualCols.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let missingCols = expectCols.filter { typeOf[$0] == nil }
        if !missingCols.isEmpty {
            return Outcome(passed: false, message: "expected column(s) \(missingCols.joined(separator: ", ")) not in the model's output (\(actualCols.map(\.name).joined(separator: ", ")))", sql: actualSQL)
        }
        let typed = expectCols.map { (name: $0, type: typeOf[$0]!) }
        let expectedSQL = try rowsQuery(test.expect, columns: typed)
        // json has no equality operator: compare as jsonb.
        let sel = typed.map { c -> String in
            let qn = Connection.quoteIdentifier(c.name)
            return c.type == "json" ? "\(qn)::jsonb as \(qn)" : qn
        }.joined(separator: ", ")
        let diff = """
        with actual as (select \(sel) from pg_temp.__fitdata_unit_actual),
        expected as (select \(sel) from (\(expectedSQL)) e),
        missing as (select * from expected except all select * from actual),
        extra as (select * from actual except all select * from expected)
        select '-' as "±", * from missing
        union all
        select '+' as "±", * from extra
        """
        let res = try conn.query(diff)
        if res.rows.isEmpty { return Outcome(passed: true, message: "", sql: actualSQL) }
        var msg = "actual differs from expected (- expected row not produced, + unexpected row):\n"
        msg += "  " + res.columns.joined(separator: " | ") + "\n"
        for r in res.rows.prefix(20) { msg += "  " + r.map { $0 ?? "null" }.joined(separator: " | ") + "\n" }
        if res.rows.count > 20 { msg += "  … \(res.rows.count - 20) more\n" }
        return Outcome(passed: false, message: msg, sql: actualSQL)
    }
}
