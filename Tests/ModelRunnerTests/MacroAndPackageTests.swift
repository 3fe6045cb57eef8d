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
}
