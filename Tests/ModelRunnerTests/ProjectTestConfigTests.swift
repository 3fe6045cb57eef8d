import Foundation
import Testing
@testable import ModelRunner

/// dbt_project.yml's `data_tests:` config reaches generic tests by the folder of the .yml that defines them, as in
/// dbt-core (fqn [project, folders under the model path, test name]); the test's own config wins.
@Suite("runner: data_tests config in dbt_project.yml")
struct ProjectTestConfigTests {
    @Test("a folder's +tags and +severity reach the generic tests its .yml files define, not other folders'; the .yml's own config wins")
    func folderConfigReachesGenericTests() throws {
        let fx = try Fixture("project-test-config", files: [
            "dbt_project.yml": """
                name: fx
                version: '1.0'
                models:
                  fx:
                    +materialized: view
                data_tests:
                  fx:
                    staging:
                      +tags: ["whole_history"]
                      +severity: warn
                """,
            "models/staging/s.sql": "select * from (values (null::int), (1), (1)) as v(id)",
            "models/staging/s.yml": """
                version: 2
                models:
                  - name: s
                    columns:
                      - name: id
                        data_tests:
                          - not_null
                          - unique:
                              config: {severity: error}
                """,
            "models/marts/m.sql": "select null::int as id",
            "models/marts/m.yml": "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
        ])
        fx.run(.ls, select: ["tag:whole_history"])
        #expect(fx.output.split(separator: "\n").sorted() == ["test:fx.staging.not_null_s_id", "test:fx.staging.unique_s_id"],
                "\(fx.output)\(fx.errorOutput)")
        #expect(!fx.errorOutput.contains("matches no resource"), "\(fx.errorOutput)")
        let out = fx.run(.build)
        // the NULL fails both not_null tests: a warning under staging/ (the folder's severity), an error under marts/;
        // the duplicate fails unique, an error by its own config
        #expect(out.results.first { $0.uniqueId.hasPrefix("test.fx.not_null_s_id.") }?.status == "warn", "\(fx.output)")
        #expect(out.results.first { $0.uniqueId.hasPrefix("test.fx.not_null_m_id.") }?.status == "fail")
        #expect(out.results.first { $0.uniqueId.hasPrefix("test.fx.unique_s_id.") }?.status == "fail")
    }
}

/// A project's `{% test relationships %}` (or any built-in's name) replaces the built-in, as in dbt.
@Suite("runner: a project's own version of a built-in test")
struct BuiltInTestOverrideTests {
    @Test("the project's relationships macro runs for `relationships`; `dbt.relationships` stays the built-in")
    func projectMacroReplacesBuiltIn() throws {
        let fx = try Fixture("builtin-override", files: [
            "models/parent.sql": "select 1 as id",
            "models/child.sql": "select * from (values (1), (2)) as v(parent_id)",
            "models/child.yml": """
                version: 2
                models:
                  - name: child
                    columns:
                      - name: parent_id
                        data_tests:
                          - relationships: {to: ref('parent'), field: id}
                          - dbt.relationships: {to: ref('parent'), field: id}
                """,
            // a version that finds no orphan when the child's value is 2 (so the two can be told apart)
            "macros/test_relationships.sql": """
                {% test relationships(model, column_name, to, field) %}
                select {{ column_name }} from {{ model }} as c
                where {{ column_name }} <> 2 and not exists (select 1 from {{ to }} as p where p.{{ field }} = c.{{ column_name }})
                {% endtest %}
                """,
        ])
        let out = fx.run(.build)
        let relationships = out.results.filter { $0.uniqueId.hasPrefix("test.fx.relationships_child_parent_id") }
        let builtIn = out.results.filter { $0.uniqueId.hasPrefix("test.fx.dbt_relationships_child_parent_id") }
        #expect(relationships.map(\.status) == ["pass"], "\(fx.output)\(fx.errorOutput)")
        #expect(builtIn.map(\.status) == ["fail"], "\(out.results.map(\.uniqueId))")
        // the graph still orders the test after both models it reads
        #expect(out.exitCode == 1)
    }
}
