import Foundation
import PostgresClient

/// SQL for data tests: each query returns the failing rows.
enum DataTestSQL {
    /// The compiled query of `test` (rows returned = failures); `graph` resolves a relationships test's `to:`.
    static func compile(_ test: DataTest, graph: DependencyGraph, compiler: TemplateCompiler, lookup: (String) -> Relation?,
                        connection: Connection? = nil) throws -> String {
        try compileWithConfig(test, graph: graph, compiler: compiler, lookup: lookup, connection: connection).sql
    }

    /// The compiled query of `test` and the `config()` calls its test macro made (the test's defaults, under the
    /// `.yml` and project config: dbt_utils' `fewer_rows_than` sets `fail_calc` that way).
    static func compileWithConfig(_ test: DataTest, graph: DependencyGraph, compiler: TemplateCompiler,
                                  lookup: (String) -> Relation?, connection: Connection? = nil) throws
        -> (sql: String, config: [(String, ConfigValue)]) {
        // A package's test renders with the package's vars and its own macros first, as its models do.
        let package = packageName(of: test.uniqueId).flatMap { $0 == compiler.project.name ? nil : $0 }
        switch test.body {
        case .singular(let template):
            return (try compiler.compile(template: template, node: .init(name: test.name, resourceType: "test", config: test.config, package: package),
                                         isIncremental: false, overrides: .init(), connection: connection), [])
        case .macro(let namespace, let name, let column, let args, let target, _, _):
            guard let rel = lookup(target) else { throw ProjectError("test \(test.name): cannot resolve \(target)", at: test.location) }
            let dbt = compiler.project.jinja
            // The relation prints with its database, like dbt's; `where:` narrows it to a subquery, as dbt wraps it.
            let state = testState(test, package: package, connection: connection)
            let model = try whereSubquery(test, rel, args: .dict([]), state: state, compiler: compiler)
            let kwargs = try RenderState.with(state) {
                try GenericTestArguments.keywords(model: .object(RelationObject(rel, database: dbt.target.database, printed: model)),
                                                  column: column, arguments: args, dbt: dbt, state: state, file: test.location.file)
            }
            let own = namespace == nil ? package.flatMap { dbt.compileMacros.macro("test_" + name, in: $0) != nil ? $0 : nil } : nil
            guard let sql = try dbt.callMacro("test_" + name, namespace: own ?? namespace, keyword: kwargs, state: state) else {
                throw ProjectError("test \(test.name): macro test_\(name) is not defined", at: test.location)
            }
            return (trimStatement(sql.pythonString), state.configCalls)
        case .generic(let kind, let column, let args, let target, _):
            guard let rel = lookup(target) else { throw ProjectError("test \(test.name): cannot resolve \(target)", at: test.location) }
            let state = testState(test, package: package, connection: connection)
            let from = try whereSubquery(test, rel, args: args, state: state, compiler: compiler) ?? rel.quoted
            return (try genericSQL(test, kind: kind, column: column, args: args, from: from, graph: graph, lookup: lookup), [])
        }
    }

    /// The render state a test's macros run in: its name, config, package and connection.
    private static func testState(_ test: DataTest, package: String?, connection: Connection?) -> RenderState {
        let state = RenderState(mode: .compile, file: test.location.file)
        state.nodeName = test.name
        state.resourceType = "test"
        state.config = test.config
        state.connection = connection
        state.package = package
        return state
    }

    /// What a test reads in place of its model (nil: the model itself): dbt's `get_where_subquery(relation)`.
    ///
    /// When the project (or the test's package) defines `get_where_subquery`, that macro decides, as in dbt, which
    /// documents overriding it for custom filters; otherwise the built-in rule: the `where` config (or argument)
    /// wraps the relation in `(select * from … where …) dbt_subquery`.
    private static func whereSubquery(_ test: DataTest, _ rel: Relation, args: ConfigValue, state: RenderState,
                                      compiler: TemplateCompiler) throws -> String? {
        let dbt = compiler.project.jinja
        let full = RelationObject(rel, database: dbt.target.database)
        let owner = state.package ?? compiler.project.name
        if dbt.compileMacros.macro("get_where_subquery", in: owner) != nil {
            guard let v = try dbt.callMacro("get_where_subquery", namespace: owner, positional: [.object(full)], state: state) else { return nil }
            let printed = v.pythonString.trimmingCharacters(in: .whitespacesAndNewlines)
            return printed == full.stringValue ? nil : printed
        }
        return (test.config["where"]?.stringValue ?? args["where"]?.stringValue).map { "(select * from \(full.stringValue) where \($0)) dbt_subquery" }
    }

    /// The query of a built-in generic test (`not_null`, `unique`, `accepted_values`, `relationships`).
    private static func genericSQL(_ test: DataTest, kind: GenericTestKind, column: String, args: ConfigValue, from: String,
                                   graph: DependencyGraph, lookup: (String) -> Relation?) throws -> String {
        switch kind {
        case .notNull:
            return "select \(column)\nfrom \(from)\nwhere \(column) is null"
        case .unique:
            return """
            select \(column) as unique_field, count(*) as n_records
            from \(from)
            where \(column) is not null
            group by \(column)
            having count(*) > 1
            """
        case .acceptedValues:
            let quote = args["quote"]?.boolValue ?? true
            let values = (args["values"]?.listValue ?? []).map { v -> String in
                quote ? Connection.quoteLiteral(v.rendered) : v.rendered
            }
            return """
            with all_values as (
                select \(column) as value_field, count(*) as n_records
                from \(from)
                group by \(column)
            )
            select * from all_values
            where value_field not in (\(values.joined(separator: ", ")))
            """
        case .relationships:
            let field = args["field"]?.stringValue ?? ""
            guard let parentId = graph.relationshipTargets[test.uniqueId], let parent = lookup(parentId) else {
                throw ProjectError("test \(test.name): cannot resolve relationships target", at: test.location)
            }
            return """
            with child as (
                select \(column) as from_field
                from \(from)
                where \(column) is not null
            ),
            parent as (
                select \(field) as to_field
                from \(parent.quoted)
            )
            select from_field
            from child
            left join parent on child.from_field = parent.to_field
            where parent.to_field is null
            """
        }
    }

    /// Wraps a test query to count its failures: dbt's `fail_calc` config (default `count(*)`, e.g. dbt_utils'
    /// `sum(coalesce(row_count_delta, 0))`) over the test's rows; no rows or a NULL count as 0.
    static func countQuery(_ sql: String, failCalc: String? = nil) -> String {
        "select coalesce(\(failCalc ?? "count(*)"), 0) as failures from (\n\(sql)\n) dbt_internal_test"
    }

    /// The failure count a ``countQuery`` returned (an integer, or a numeric such as `2.0` from `sum`).
    static func failures(_ text: String?) -> Int {
        guard let text else { return 0 }
        return Int(text) ?? Double(text).map { Int($0.rounded()) } ?? 0
    }

    /// Applies `warn_if` / `error_if` (`>N`, `>=N`, `=N`, `!=N`, `<N`) to a failure count; default `!= 0`.
    static func threshold(_ spec: String?, _ failures: Int) -> Bool {
        guard let raw = spec?.replacingOccurrences(of: " ", with: ""), !raw.isEmpty else { return failures != 0 }
        for op in [">=", "<=", "!=", "<>", "==", ">", "<", "="] where raw.hasPrefix(op) {
            guard let n = Int(raw.dropFirst(op.count)) else { return failures != 0 }
            switch op {
            case ">=": return failures >= n
            case "<=": return failures <= n
            case "!=", "<>": return failures != n
            case ">": return failures > n
            case "<": return failures < n
            default: return failures == n
            }
        }
        return failures != 0
    }
}
