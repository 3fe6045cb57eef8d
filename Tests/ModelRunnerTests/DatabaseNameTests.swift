import Foundation
import Testing
@testable import ModelRunner

/// Relations carry their database as dbt-postgres' do: the target's `dbname`, printed in compiled SQL
/// (`"db"."schema"."name"`); a source's `database:` is rendered, and naming another database is an error.
@Suite("runner: relation databases")
struct DatabaseNameTests {
    @Test("source database: is rendered; this/ref/source/target/model agree on the database; compiled SQL prints it like dbt-postgres")
    func databaseEverywhere() throws {
        let fx = try Fixture("db-names", files: [
            "models/sources.yml": """
            version: 2
            sources:
              - name: raw
                database: "{% if target.type == 'postgres' %}{{ target.database }}{% else %}elsewhere{% endif %}"
                tables:
                  - name: events
            """,
            "models/stg.sql": "select * from {{ source('raw', 'events') }}",
            "models/m.sql": """
            -- {{ this.database }}|{{ ref('stg').database }}|{{ source('raw', 'events').database }}|{{ target.database }}|{{ model.database }}|{{ api.Relation.create(schema='s', identifier='t') }}|{{ this.include(database=false) }}
            select * from {{ ref('stg') }}
            """,
        ])
        try fx.execute("CREATE SCHEMA raw; CREATE TABLE raw.events (id int); INSERT INTO raw.events VALUES (1)")
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        let db = fx.db.name
        #expect(try fx.read("target/compiled/fx/models/stg.sql") == "select * from \"\(db)\".\"raw\".\"events\"\n")
        #expect(try fx.read("target/compiled/fx/models/m.sql")
                == "-- \(db)|\(db)|\(db)|\(db)|\(db)|\"s\".\"t\"|\"public\".\"m\"\nselect * from \"\(db)\".\"public\".\"stg\"\n")
        #expect(try fx.scalar("select count(*) from public.m") == "1")
        // manifest.json and run_results.json name them as dbt does: database set, relation_name in three parts.
        let manifest = try #require(JSONSerialization.jsonObject(with: Data(fx.read("target/manifest.json").utf8)) as? [String: Any])
        let node = try #require((manifest["nodes"] as? [String: Any])?["model.fx.m"] as? [String: Any])
        #expect(node["database"] as? String == db)
        #expect(node["relation_name"] as? String == "\"\(db)\".\"public\".\"m\"")
        let source = try #require((manifest["sources"] as? [String: Any])?["source.fx.raw.events"] as? [String: Any])
        #expect(source["database"] as? String == db)
        #expect(source["relation_name"] as? String == "\"\(db)\".\"raw\".\"events\"")
        #expect(out.result("m")?.relationName == "\"\(db)\".\"public\".\"m\"")
    }

    @Test("a source in another database is an error at the .yml's database: value (dbt-postgres' cross-db rule), nothing runs")
    func sourceInAnotherDatabase() throws {
        let fx = try Fixture("db-cross-source", files: [
            "models/sources.yml": "version: 2\nsources:\n  - name: raw\n    database: \"{{ 'ware' ~ 'house' }}\"\n    tables:\n      - name: events\n",
            "models/stg.sql": "select * from {{ source('raw', 'events') }}",
        ])
        #expect(fx.run(.build).exitCode == 2)
        #expect(fx.errorOutput.contains("models/sources.yml:4:15: source raw: Cross-db references not allowed in postgres (warehouse vs \(fx.db.name))"),
                "\(fx.errorOutput)")
    }

    @Test("a model's database config (or generate_database_name's answer) other than the target's is an error naming the file")
    func modelInAnotherDatabase() throws {
        let fx = try Fixture("db-cross-model", files: [
            "models/m.sql": "{{ config(database='elsewhere') }}\nselect 1 as id",
        ])
        #expect(fx.run(.compile).exitCode == 2)
        #expect(fx.errorOutput.contains("models/m.sql:1:1: model m: Cross-db references not allowed in postgres (elsewhere vs \(fx.db.name))"),
                "\(fx.errorOutput)")
        // Same database in another case is accepted, as dbt-postgres compares without case.
        try fx.write("models/m.sql", "{{ config(database=target.database | upper) }}\nselect 1 as id")
        fx.clearOutput()
        #expect(fx.run(.build).exitCode == 0, "\(fx.errorOutput)")
        try fx.write("macros/db.sql", "{% macro generate_database_name(custom, node) %}analytics{% endmacro %}")
        try fx.write("models/m.sql", "select 1 as id")
        fx.clearOutput()
        #expect(fx.run(.compile).exitCode == 2)
        #expect(fx.errorOutput.contains("models/m.sql:1:1: model m: Cross-db references not allowed in postgres (analytics vs \(fx.db.name))"))
    }

    @Test("a snapshot's target_database other than the target's is the same error, at its {% snapshot %} tag")
    func snapshotInAnotherDatabase() throws {
        let fx = try Fixture("db-cross-snapshot", files: [
            "snapshots/s.sql": "\n  {% snapshot s %}\n{{ config(target_database='archive', target_schema='snaps', unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id\n{% endsnapshot %}\n",
        ])
        #expect(fx.run(.snapshot).exitCode == 2)
        #expect(fx.errorOutput.contains("snapshots/s.sql:2:3: snapshot s: Cross-db references not allowed in postgres (archive vs \(fx.db.name))"),
                "\(fx.errorOutput)")
    }
}
