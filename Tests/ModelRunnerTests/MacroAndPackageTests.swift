import Foundation
import Testing
import TestSupport
@testable import ModelRunner

/// Project macros, built-in `dbt.*` macros, `adapter.dispatch`, and a real package (dbt_utils 1.3.3 from its own
/// source) building against PostgreSQL.
@Suite struct MacroAndPackageTests {
    @Test func projectMacrosContextAndSchemaOverrideBuild() throws {
        let fx = try Fixture("macros", files: [
            "dbt_project.yml": """
            name: fx
            vars:
              factor: 100
            models:
              fx:
                +materialized: table
                marts:
                  +schema: marts
            """,
            "macros/money.sql": """
            {% macro cents_to_dollars(col, scale=2) -%}
                round({{ col }}::numeric / {{ var('factor') }}, {{ scale }})
            {%- endmacro %}
            """,
            // Overrides the built-in rule: the custom schema is the schema name.
            "macros/generate_schema_name.sql": """
            {% macro generate_schema_name(custom_schema_name, node) -%}
                {{ custom_schema_name | trim if custom_schema_name is not none else target.schema }}
            {%- endmacro %}
            """,
            // A root-project `postgres__concat` wins over the built-in `default__concat` in dbt.concat's dispatch.
            "macros/concat.sql": "{% macro postgres__concat(fields) %}concat({{ fields | join(', ') }}){% endmacro %}",
            "models/base.sql": "select * from (values (1, 1999), (2, 250)) v(id, cents)",
            "models/marts/priced.sql": """
            {{ config({'materialized': 'view', 'tags': ['dict-form']}) }}
            {%- set cols = adapter.get_columns_in_relation(ref('base')) -%}
            select id, {{ cents_to_dollars('cents') }} as dollars,
                   {{ dbt.concat(["'n'", "id::text"]) }} as label,
                   '{{ config.get('materialized') }}' as mat, {{ cols | length }} as n_cols,
                   '{{ this.schema }}' as schema_name
            from {{ ref('base') }}
            """,
        ])
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'marts.priced'::regclass") == "v")
        #expect(try fx.scalar("SELECT string_agg(dollars::text || '/' || label || '/' || mat || '/' || n_cols || '/' || schema_name, ',' ORDER BY id) FROM marts.priced")
                == "19.99/n1/view/2/marts,2.50/n2/view/2/marts")
    }

    @Test func defaultSchemaRuleAppendsTheCustomSchema() throws {
        let fx = try Fixture("schemarule", files: [
            "dbt_project.yml": "name: fx\nmodels:\n  fx:\n    +materialized: table\n    +schema: extra\n",
            "models/a.sql": "select 1 as x",
        ])
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT count(*) FROM public_extra.a") == "1")
    }

    @Test func missingEnvVarAndSecretsAreErrorsWithLocations() throws {
        let fx = try Fixture("envvar", files: [
            "models/a.sql": "select '{{ env_var('FITDATA_SURELY_UNSET_VAR', 'dflt') }}' as v",
            "models/b.sql": "select 1\n-- {{ env_var('FITDATA_SURELY_UNSET_VAR') }}",
            "models/c.sql": "select '{{ env_var('DBT_ENV_SECRET_TOKEN') }}'",
        ])
        let out = fx.run(.compile)
        #expect(out.exitCode == 2)
        #expect(fx.errorOutput.contains("models/b.sql:2:7: Env var required but not provided: 'FITDATA_SURELY_UNSET_VAR'"))
        #expect(fx.errorOutput.contains("models/c.sql:1:12: Secret env vars are allowed only in profiles.yml or packages.yml"))
    }

    /// Copies the vendored dbt_utils into the fixture's dbt_packages/ (never into the repository).
    static func installDbtUtils(_ fx: Fixture) throws {
        guard let src = TestPaths.vendoredDbtUtils else { throw ProjectError(TestPaths.dbtUtilsSkipReason) }
        let dest = fx.dir.appendingPathComponent("dbt_packages/dbt_utils")
        try FileManager.default.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dest, withIntermediateDirectories: true)
        for item in ["dbt_project.yml", "macros"] {
            try FileManager.default.copyItem(at: src.appendingPathComponent(item), to: dest.appendingPathComponent(item))
        }
    }

    @Test(.enabled(if: TestPaths.dbtUtilsTestsEnabled, Comment(rawValue: TestPaths.dbtUtilsSkipReason)))
    func dbtUtilsMacrosRunFromTheirOwnSource() throws {
        let fx = try Fixture("dbtutils", files: [
            "dbt_project.yml": "name: fx\nmodels:\n  fx:\n    +materialized: table\n",
            "models/base.sql": "select * from (values (1, 'x', 10), (2, null, 20)) v(a, b, secret)",
            "models/keyed.sql": """
            select {{ dbt_utils.generate_surrogate_key(['a', 'b']) }} as sk,
                   {{ dbt_utils.star(ref('base'), except=['secret']) }}
            from {{ ref('base') }}
            """,
        ])
        try Self.installDbtUtils(fx)
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        // star() listed the columns of base except `secret`, from the catalog.
        #expect(try fx.scalar("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.keyed'::regclass AND attnum > 0") == "sk,a,b")
        // The key is dbt_utils' formula: md5 of the fields cast to text, nulls replaced, joined with '-'.
        #expect(try fx.scalar("""
            SELECT bool_and(sk = md5(coalesce(a::text, '_dbt_utils_surrogate_key_null_') || '-' || coalesce(b, '_dbt_utils_surrogate_key_null_')))
            FROM public.keyed
            """) == "t")
    }

    /// Names and ids dbt-core 1.11 gave these tests in its manifest of dbt_style_models (`make compat-dbt`).
    @Test func genericTestNamesAndIdsMatchDbt() {
        let long = GenericTestNaming(namespace: nil, test: "accepted_values", isSource: false, target: "int_body_weight__by_date",
                                     arguments: [("values", .list([.string("trend"), .string("nearest_weigh_in")])),
                                                 ("column_name", .string("body_weight_basis"))],
                                     modelArgument: "{{ get_where_subquery(ref('int_body_weight__by_date')) }}")
        #expect(long.fullName == "accepted_values_int_body_weight__by_date_body_weight_basis__trend__nearest_weigh_in")
        #expect(long.shortName == "accepted_values_int_body_weigh_202421a44d2f896255e827994026f014")
        #expect(long.uniqueId("fitness") == "test.fitness.accepted_values_int_body_weight__by_date_body_weight_basis__trend__nearest_weigh_in.583b1be77b")
        let short = GenericTestNaming(namespace: nil, test: "accepted_values", isSource: false, target: "exercise_muscle_map",
                                      arguments: [("values", .list([.string("en"), .string("pt")])), ("column_name", .string("language"))],
                                      modelArgument: "{{ get_where_subquery(ref('exercise_muscle_map')) }}")
        #expect(short.shortName == short.fullName)
        #expect(short.uniqueId("fitness") == "test.fitness.accepted_values_exercise_muscle_map_language__en__pt.9299489205")
    }

    @Test(.enabled(if: TestPaths.dbtUtilsTestsEnabled, Comment(rawValue: TestPaths.dbtUtilsSkipReason)))
    func customAndPackageGenericTestsRunTheirMacros() throws {
        let fx = try Fixture("generic", files: [
            "dbt_project.yml": "name: fx\nmodels:\n  fx:\n    +materialized: table\n",
            "macros/is_positive.sql": """
            {% test is_positive(model, column_name) %}
            select * from {{ model }} where {{ column_name }} <= 0
            {% endtest %}
            """,
            "models/nums.sql": "select * from (values (1, 5), (2, -1)) v(id, amount)",
            "models/props.yml": """
            version: 2
            models:
              - name: nums
                data_tests:
                  - dbt_utils.expression_is_true:
                      arguments:
                        expression: "id > 0"
                  - dbt_utils.expression_is_true:
                      arguments:
                        expression: "amount > 0"
                columns:
                  - name: id
                    data_tests: [is_positive]
                  - name: amount
                    data_tests: [is_positive]
            """,
        ])
        try Self.installDbtUtils(fx)
        let out = fx.run(.build)
        #expect(out.exitCode == 1)
        let status = Dictionary(out.results.map { ($0.uniqueId.split(separator: ".").dropLast().last.map(String.init) ?? "", $0.status) },
                                uniquingKeysWith: { a, _ in a })
        #expect(status["is_positive_nums_id"] == "pass")
        #expect(status["is_positive_nums_amount"] == "fail")
        #expect(status["dbt_utils_expression_is_true_nums_id_0"] == "pass")
        #expect(status["dbt_utils_expression_is_true_nums_amount_0"] == "fail")
    }

    @Test func unknownGenericTestIsAnErrorNotASkip() throws {
        let fx = try Fixture("unknowntest", files: [
            "models/a.sql": "select 1 as id",
            "models/props.yml": "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [is_even]\n",
        ])
        let out = fx.run(.compile)
        #expect(out.exitCode == 2)
        #expect(fx.errorOutput.contains("models/props.yml:6:"))
        #expect(fx.errorOutput.contains("generic test `is_even` is not defined"))
    }

    @Test func jinjaInYAMLIsRenderedWhereDbtRendersIt() throws {
        let fx = try Fixture("yamljinja", files: [
            "dbt_project.yml": """
            name: fx
            vars:
              load_extra: false
              raw_schema: "{{ 'raw' ~ '_data' }}"
            models:
              fx:
                +materialized: table
                extra:
                  +enabled: "{{ var('load_extra', true) }}"
            """,
            "models/docs.md": "{% docs orders_doc %}\nOne row per **order**.\n{% enddocs %}\n",
            "models/sources.yml": """
            version: 2
            sources:
              - name: raw
                schema: "{% if target.type == 'postgres' %}{{ var('raw_schema') }}{% else %}other{% endif %}"
                tables: [{name: orders}]
            models:
              - name: orders
                description: "{{ doc('orders_doc') }}"
            """,
            "models/orders.sql": "select * from {{ source('raw', 'orders') }}",
            "models/extra/unused.sql": "select 1 as x",
        ])
        try fx.execute("CREATE SCHEMA raw_data; CREATE TABLE raw_data.orders AS SELECT 1 AS id")
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT count(*) FROM public.orders") == "1")
        // `+enabled` rendered to false: the model is not built.
        #expect(try fx.scalar("SELECT to_regclass('public.unused') IS NULL") == "t")
        let manifest = try fx.read("target/manifest.json")
        #expect(manifest.contains("One row per **order**."))
    }

    @Test func refToADisabledModelSaysSo() throws {
        let fx = try Fixture("disabledref", files: [
            "models/a.sql": "{{ config(enabled=false) }}select 1 as x",
            "models/b.sql": "select * from {{ ref('a') }}",
        ])
        let out = fx.run(.compile)
        #expect(out.exitCode == 2)
        #expect(fx.errorOutput.contains("models/b.sql:1:18: ref('a') names a disabled node (enabled: false)"))
    }

    @Test(.enabled(if: TestPaths.dbtUtilsTestsEnabled, Comment(rawValue: TestPaths.dbtUtilsSkipReason)))
    func introspectionRunQueryAndStatementsQueryTheDatabaseWhileCompiling() throws {
        let fx = try Fixture("introspect", files: [
            "dbt_project.yml": "name: fx\nmodels:\n  fx:\n    +materialized: table\n",
            "models/kinds.sql": "select * from (values ('run', 1), ('lift', 2), ('lift', 3)) v(kind, n)",
            "models/pivoted.sql": """
            {%- set kinds = dbt_utils.get_column_values(ref('kinds'), 'kind', order_by='kind') -%}
            {%- set total = run_query('select sum(n) from ' ~ ref('kinds')) -%}
            {%- call statement('biggest', fetch_result=True) -%}select max(n) from {{ ref('kinds') }}{%- endcall -%}
            {%- set missing = adapter.get_relation(this.database, this.schema, 'no_such_table') -%}
            {%- do log('kinds: ' ~ kinds | join(','), info=True) -%}
            select
            {%- for k in kinds %}
              sum(case when kind = '{{ k }}' then n else 0 end) as {{ k }}_n,
            {%- endfor %}
              {{ total.columns[0].values()[0] if execute else 0 }} as total,
              {{ load_result('biggest')['data'][0][0] if execute else 0 }} as biggest,
              {{ 'true' if missing is none else 'false' }} as missing_is_none
            from {{ ref('kinds') }}
            """,
        ])
        try Self.installDbtUtils(fx)
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT lift_n || '/' || run_n || '/' || total || '/' || biggest || '/' || missing_is_none FROM public.pivoted") == "5/1/6/3/true")
        #expect(fx.errorOutput.contains("kinds: lift,run"))
    }

    @Test func analysesCompileButNeverRun() throws {
        let fx = try Fixture("analyses", files: [
            "models/a.sql": "select 1 as x",
            "analyses/report.sql": "{% set n = 3 %}select x * {{ n }} from {{ ref('a') }}",
        ])
        #expect(fx.run(.compile).exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.read("target/compiled/fx/analyses/report.sql") == "select x * 3 from \"\(fx.db.name)\".\"public\".\"a\"\n")
        #expect(fx.run(.build).exitCode == 0)
        #expect(try fx.scalar("SELECT to_regclass('public.report') IS NULL") == "t")
    }

    @Test func compileReportsEveryNodesErrorInOneRun() throws {
        let fx = try Fixture("allerrors", files: [
            "models/a.sql": "select 1 as x",
            // Both fail only in the compile pass (`execute` is false while parsing).
            "models/b.sql": "select {% if execute %}{{ var('nope') }}{% endif %}",
            "models/c.sql": "select 1\n{% if execute %}{{ exceptions.raise_compiler_error('bad c') }}{% endif %}",
            "models/props.yml": "version: 2\nmodels:\n  - name: a\n    data_tests: [{unknown_kind: {}}]\n",
        ])
        #expect(fx.run(.compile).exitCode == 2)
        #expect(fx.errorOutput.contains("generic test `unknown_kind` is not defined"))
        fx.clearOutput()
        try fx.write("models/props.yml", "version: 2\n")
        #expect(fx.run(.compile).exitCode == 2)
        #expect(fx.errorOutput.contains("models/b.sql:1:27: required var 'nope' is not set"))
        #expect(fx.errorOutput.contains("models/c.sql:2:30: Compilation Error: bad c"))
        #expect(fx.exists("target/compiled/fx/models/a.sql"))
    }
}
