import Foundation
import Testing
@testable import ModelRunner

/// Tests read their model through `get_where_subquery(relation)`, which a project may override, as dbt documents;
/// dbt_style_models' override scopes the daily pipeline's tests to the rows the incremental build rewrote.
@Suite("runner: get_where_subquery")
struct WhereSubqueryTests {
    static let model = """
        select * from (values ('a', date '2026-11-09', null::int), ('a', date '2026-11-16', 1), ('b', date '2026-11-09', 2))
            as v(athlete_id, week_start, value)
        """
    static let properties = """
        version: 2
        models:
          - name: m
            columns:
              - name: value
                data_tests: [not_null]
              - name: athlete_id
                data_tests:
                  - not_constant
        """

    @Test("a project's get_where_subquery decides what built-in and macro generic tests read")
    func projectOverrideIsHonoured() throws {
        let fx = try Fixture("where-override", files: [
            "models/m.sql": Self.model,
            "models/m.yml": Self.properties,
            "macros/get_where_subquery.sql": """
                {% macro get_where_subquery(relation) -%}
                    {{ return("(select * from " ~ relation ~ " where week_start > date '2026-11-09') dbt_subquery") }}
                {%- endmacro %}
                """,
            "macros/not_constant.sql": """
                {% test not_constant(model, column_name) %}
                select count(distinct {{ column_name }}) as n from {{ model }} having count(distinct {{ column_name }}) = 1
                {% endtest %}
                """,
        ])
        let out = fx.run(.build)
        // the NULL is in the week the override leaves out: not_null passes; one athlete is left: not_constant fails
        #expect(out.test("not_null_m_value")?.status == "pass", "\(fx.output)\(fx.errorOutput)")
        #expect(out.test("not_constant_m_athlete_id")?.status == "fail", "\(fx.output)")
        try fx.remove("macros/get_where_subquery.sql")
        let plain = fx.run(.build)
        #expect(plain.test("not_null_m_value")?.status == "fail")
        #expect(plain.test("not_constant_m_athlete_id")?.status == "pass")
    }

    @Test("dbt_style_models' override: with test_changed_rows_only a test reads each changed athlete's weeks from its rebuild week")
    func changedRowsOnly() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let macro = try String(contentsOf: root.appendingPathComponent("dbt_style_models/macros/get_where_subquery.sql"), encoding: .utf8)
        let fx = try Fixture("where-changed", files: [
            "models/m.sql": "{{ config(materialized='table') }}\n" + Self.model,
            "models/m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: value\n        data_tests: [not_null]\n",
            "macros/get_where_subquery.sql": macro,
        ])
        try fx.execute("""
            CREATE SCHEMA intermediate;
            CREATE TABLE intermediate.int_changes__rebuild_from (athlete_id text, rebuild_week date);
            INSERT INTO intermediate.int_changes__rebuild_from VALUES ('a', date '2026-11-16');
            """)
        let vars: (inout RunnerOptions) -> Void = { $0.vars = #"{"test_changed_rows_only": true}"# }
        // athlete a's NULL is in a week before its rebuild week: not read
        #expect(fx.run(.build, vars).test("not_null_m_value")?.status == "pass", "\(fx.output)\(fx.errorOutput)")
        // from the NULL's week on, it is read; without the var, every row is
        try fx.execute("UPDATE intermediate.int_changes__rebuild_from SET rebuild_week = date '2026-11-09'")
        #expect(fx.run(.test, vars).test("not_null_m_value")?.status == "fail")
        try fx.execute("UPDATE intermediate.int_changes__rebuild_from SET rebuild_week = date '2026-11-16'")
        #expect(fx.run(.test).test("not_null_m_value")?.status == "fail")
        // a table without athlete_id and week_start is read whole, and so is a view (evaluated once per athlete, a
        // view would cost more than read once)
        try fx.write("models/m.sql", "{{ config(materialized='table') }}\n" + Self.model.replacingOccurrences(of: "week_start", with: "day"))
        #expect(fx.run(.build, vars).test("not_null_m_value")?.status == "fail")
        try fx.write("models/m.sql", "{{ config(materialized='view') }}\n" + Self.model)
        #expect(fx.run(.build, vars).test("not_null_m_value")?.status == "fail")
    }

    @Test("dbt_style_models' relationships: with test_changed_rows_only, each rewritten child row is looked up in the parent; without it, dbt's join")
    func changedRowsRelationships() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func macro(_ name: String) throws -> String {
            try String(contentsOf: root.appendingPathComponent("dbt_style_models/macros/\(name).sql"), encoding: .utf8)
        }
        let fx = try Fixture("where-relationships", files: [
            "models/parent.sql": "{{ config(materialized='table') }}\nselect 1 as id",
            // athlete a's orphan (parent 9) is in the week before its rebuild week, athlete b's (parent 8) in it
            "models/child.sql": """
                {{ config(materialized='table') }}
                select * from (values ('a', date '2026-11-09', 9), ('a', date '2026-11-16', 1), ('b', date '2026-11-16', 8))
                    as v(athlete_id, week_start, parent_id)
                """,
            "models/child.yml": "version: 2\nmodels:\n  - name: child\n    columns:\n      - name: parent_id\n        data_tests:\n          - relationships: {to: ref('parent'), field: id}\n",
            "macros/get_where_subquery.sql": try macro("get_where_subquery"),
            "macros/test_relationships.sql": try macro("test_relationships"),
        ])
        try fx.execute("""
            CREATE SCHEMA intermediate;
            CREATE TABLE intermediate.int_changes__rebuild_from (athlete_id text, rebuild_week date);
            INSERT INTO intermediate.int_changes__rebuild_from VALUES ('a', date '2026-11-16');
            """)
        let vars: (inout RunnerOptions) -> Void = { $0.vars = #"{"test_changed_rows_only": true}"# }
        fx.run(.build, vars)
        // only athlete a changed: its orphan is before the rebuild week, b is not read
        #expect(fx.run(.test, vars).results.first?.status == "pass", "\(fx.output)\(fx.errorOutput)")
        try fx.execute("INSERT INTO intermediate.int_changes__rebuild_from VALUES ('b', date '2026-11-16')")
        let scoped = fx.run(.test, vars).results.first
        #expect(scoped?.status == "fail" && scoped?.failures == 1)
        let whole = fx.run(.test).results.first
        #expect(whole?.status == "fail" && whole?.failures == 2)
    }
}

private extension RunOutcome {
    /// The result of the data test named `name` (its unique_id is `test.<project>.<name>.<hash>`).
    func test(_ name: String) -> NodeResult? { results.first { $0.uniqueId.contains(".\(name).") } }
}
