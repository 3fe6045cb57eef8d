import Foundation
import Testing
@testable import ModelRunner

@Suite struct ConfigValueTests {
    @Test func yamlScalarsKeepTheirTypes() throws {
        let v = try ConfigValue.parse(yamlText: "{a: 1, b: 2.5, c: true, d: null, e: text, f: '1', g: [1, x]}")
        #expect(v["a"] == .int(1))
        #expect(v["b"] == .double(2.5))
        #expect(v["c"] == .bool(true))
        #expect(v["d"] == .null)
        #expect(v["e"] == .string("text"))
        #expect(v["f"] == .string("1"))
        #expect(v["g"] == .list([.int(1), .string("x")]))
    }

    @Test func jsonVarsParse() throws {
        let v = try ConfigValue.parse(yamlText: #"{"k": 10, "s": "x"}"#)
        #expect(v["k"] == .int(10))
        #expect(v["s"] == .string("x"))
    }
}

@Suite struct TemplateTests {
    func project(_ files: [String: String]) throws -> (Project, DependencyGraph, TemplateCompiler) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-tpl-\(UUID().uuidString.prefix(8))")
        var all = files
        all["dbt_project.yml"] = all["dbt_project.yml"] ?? """
        name: fx
        vars:
          min_reps: 3
        models:
          fx:
            +materialized: view
            marts:
              +schema: marts
              +materialized: table
        """
        for (p, t) in all {
            let url = dir.appendingPathComponent(p)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(t.utf8).write(to: url)
        }
        let p = try ProjectLoader(projectDir: dir).load()
        let g = try DependencyGraph(project: p)
        return (p, g, TemplateCompiler(project: p))
    }

    @Test func rendersRefsSourcesVarsThisAndIncremental() throws {
        let (p, _, c) = try project([
            "models/sources.yml": rawSourcesYML,
            "models/stg.sql": "{# a comment #}select * from {{ source('raw', 'events') }} where reps >= {{ var('min_reps') }} and x = {{ var('other', 'd') }}",
            "models/marts/inc.sql": """
            {{ config(materialized='incremental', unique_key='id') }}
            select * from {{ ref('stg') }}
            {%- if is_incremental() %}
            where id > (select max(id) from {{ this }})
            {%- else %}
            where true
            {%- endif %}
            """,
        ])
        #expect(try c.compile(model: p.models["stg"]!, isIncremental: false)
                == #"select * from "postgres"."raw"."events" where reps >= 3 and x = d"#)   // dbt-postgres prints the database
        let inc = p.models["inc"]!
        #expect(inc.relation == Relation(schema: "public_marts", name: "inc"))
        #expect(inc.materialization == .incremental)
        #expect(inc.config.uniqueKey == ["id"])
        #expect(try c.compile(model: inc, isIncremental: true)
                == "\nselect * from \"postgres\".\"public\".\"stg\"\nwhere id > (select max(id) from \"postgres\".\"public_marts\".\"inc\")")
        #expect(try c.compile(model: inc, isIncremental: false) == "\nselect * from \"postgres\".\"public\".\"stg\"\nwhere true")
    }

    @Test func templateErrorsNameFileLineAndColumnAndAllAreReported() throws {
        // An undefined package namespace, an unsupported tag, an unclosed block and a syntax error: one load reports
        // all four, each at file:line:column.
        let e = #expect(throws: ProjectError.self) {
            _ = try project([
                "models/a.sql": "select 1\nfrom x\n  where {{ dbt_utils.star('x') }}",
                "models/b.sql": "select 1 {% include 'x.sql' %}",
                "models/c.sql": "select 1\n{% if is_incremental() %} where true",
                "models/d.sql": "select {{ ref('x' }}",
            ])
        }
        #expect(e?.location == SourceLocation(file: "models/a.sql", line: 3, column: 21))
        #expect(e?.message.contains("'dbt_utils' is undefined") == true)
        let text = e?.description ?? ""
        #expect(text.contains("4 errors"))
        #expect(text.contains("models/b.sql:1:13: ") && text.contains("include"))
        #expect(text.contains("models/c.sql:2:") && text.contains("endif"))
        #expect(text.contains("models/d.sql:1:"))
    }

    @Test func jinjaStatementsThatWereUnsupportedNowRender() throws {
        let (p, _, c) = try project([
            "models/base.sql": "select 1 as id",
            "models/m.sql": """
            {%- set cols = ['a', 'b'] -%}
            {%- set ns = namespace(n=0) -%}
            select {% for col in cols %}{{ col }}{{ ',' if not loop.last }}{% set ns.n = ns.n + 1 %}{% endfor %}
            from {{ ref('base') }} -- {{ ns.n }} {{ target.type }} {{ 'yes' if execute else 'no' }}
            """,
        ])
        #expect(try c.compile(model: p.models["m"]!, isIncremental: false) == "select a,b\nfrom \"postgres\".\"public\".\"base\" -- 2 postgres yes")
    }

    @Test func ephemeralModelsBecomeCTEs() throws {
        let (p, _, c) = try project([
            "models/base.sql": "select 1 as id",
            "models/e1.sql": "{{ config(materialized='ephemeral') }}select id from {{ ref('base') }}",
            "models/e2.sql": "{{ config(materialized='ephemeral') }}select id from {{ ref('e1') }}",
            "models/plain.sql": "-- leading comment\nselect * from {{ ref('e2') }}",
            "models/withcte.sql": "with x as (select * from {{ ref('e2') }}) select * from x",
        ])
        let plain = try c.compile(model: p.models["plain"]!, isIncremental: false)
        #expect(plain.hasPrefix("-- leading comment\nwith __dbt__cte__e1 as (\nselect id from \"postgres\".\"public\".\"base\"\n),\n__dbt__cte__e2 as (\nselect id from __dbt__cte__e1\n)\nselect * from __dbt__cte__e2"))
        let w = try c.compile(model: p.models["withcte"]!, isIncremental: false)
        #expect(w.hasPrefix("with\n__dbt__cte__e1 as ("))
        #expect(w.contains("),\n x as (select * from __dbt__cte__e2) select * from x"))
    }

    @Test func configPrecedenceProjectThenYmlThenFile() throws {
        let (p, _, _) = try project([
            "models/marts/a.sql": "{{ config(tags=['file']) }}select 1",
            "models/marts/b.sql": "{{ config(materialized='view', schema='custom') }}select 1",
            "models/marts/props.yml": """
            version: 2
            models:
              - name: a
                description: A model.
                config:
                  materialized: incremental
                  tags: [yml]
                  unknown_thing: 1
                columns:
                  - name: id
                    description: the id
              - name: b
                config:
                  materialized: table
            """,
        ])
        let a = p.models["a"]!
        #expect(a.materialization == .incremental)
        #expect(Set(a.config.tags) == ["yml", "file"])
        #expect(a.description == "A model.")
        #expect(a.columns.first?.description == "the id")
        #expect(p.warnings.all.contains { $0.contains("unknown_thing") && $0.contains("models/marts/props.yml") })
        let b = p.models["b"]!
        #expect(b.materialization == .view)
        #expect(b.relation == Relation(schema: "public_custom", name: "b"))  // dbt's default generate_schema_name
    }

    @Test func unknownKeysWarnInsteadOfFailing() throws {
        let (p, _, _) = try project([
            "dbt_project.yml": "name: fx\nfancy_key: 1\nmodels:\n  fx:\n    nothere:\n      +schema: x\n",
            "models/a.sql": "select 1",
            "models/a.yml": "version: 2\nmodels:\n  - name: a\n    weird: 1\nmystery: []\n",
        ])
        let w = p.warnings.all.joined(separator: "\n")
        #expect(w.contains("fancy_key"))
        #expect(w.contains("weird"))
        #expect(w.contains("mystery"))
        #expect(w.contains("models.fx.nothere"))
    }
}
