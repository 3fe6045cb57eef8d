import Foundation
import Testing
@testable import ModelRunner

@Suite struct ThreadTests {
    @Test func independentSlowModelsRunConcurrently() throws {
        let fx = try Fixture("threads", files: [
            "models/slow_a.sql": "{{ config(materialized='table') }}select 1 as x from pg_sleep(1)",
            "models/slow_b.sql": "{{ config(materialized='table') }}select 2 as x from pg_sleep(1)",
            "models/after.sql": "select * from {{ ref('slow_a') }} union all select * from {{ ref('slow_b') }}",
        ])
        let out = fx.run(.run) { $0.threads = 2 }
        #expect(out.exitCode == 0)
        let a = try #require(out.result("slow_a")), b = try #require(out.result("slow_b")), after = try #require(out.result("after"))
        // Both slow models overlap in time on different threads, and `after` starts when both are done.
        #expect(a.thread != b.thread)
        #expect(a.startedAt < b.completedAt && b.startedAt < a.completedAt)
        #expect(after.startedAt >= max(a.completedAt, b.completedAt))
        #expect(out.elapsed < 1.9)
        let serial = fx.run(.run) { $0.threads = 1 }
        #expect(serial.elapsed >= 2.0)
    }
}

@Suite struct ArtifactTests {
    func json(_ fx: Fixture, _ path: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(fx.read(path).utf8)) as? [String: Any])
    }

    @Test func timestampsMatchISO8601DateFormatter() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for t in [0, 951_782_400.5, 1_764_085_812.25, 1_764_085_812.345, 4_102_444_799.875] {
            let d = Date(timeIntervalSince1970: t)
            #expect(Artifacts.iso(d) == f.string(from: d), "\(t)")
        }
        #expect(Artifacts.iso(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
    }

    @Test func consoleSecondsHaveTwoDecimals() {
        #expect(Reporting.seconds(0) == "0.00s")
        #expect(Reporting.seconds(0.046) == "0.05s")
        #expect(Reporting.seconds(3.999) == "4.00s")
        #expect(Reporting.seconds(12.3) == "12.30s")
    }

    @Test func manifestAndRunResultsShapes() throws {
        let fx = try Fixture("artifacts", files: [
            "models/sources.yml": rawSourcesYML,
            "models/stg.sql": "select * from {{ source('raw', 'events') }}",
            "models/fct.sql": "{{ config(materialized='table', tags=['t1']) }}select * from {{ ref('stg') }}",
            "models/schema.yml": "version: 2\nmodels:\n  - name: fct\n    description: Facts.\n    columns:\n      - name: id\n        description: Id.\n        data_tests: [unique]\n",
        ])
        try fx.execute(rawEventsSQL)
        #expect(fx.run(.build).exitCode == 0)
        let manifest = try json(fx, "target/manifest.json")
        let nodes = try #require(manifest["nodes"] as? [String: Any])
        let fct = try #require(nodes["model.fx.fct"] as? [String: Any])
        #expect(fct["resource_type"] as? String == "model")
        #expect((fct["depends_on"] as? [String: Any])?["nodes"] as? [String] == ["model.fx.stg"])
        #expect((fct["config"] as? [String: Any])?["materialized"] as? String == "table")
        #expect((fct["checksum"] as? [String: Any])?["name"] as? String == "sha256")
        #expect(((fct["checksum"] as? [String: Any])?["checksum"] as? String)?.count == 64)
        #expect(fct["original_file_path"] as? String == "models/fct.sql")
        #expect(fct["compiled_path"] as? String == "target/compiled/fx/models/fct.sql")
        #expect(fct["description"] as? String == "Facts.")
        #expect(fct["tags"] as? [String] == ["t1"])
        let stg = try #require(nodes["model.fx.stg"] as? [String: Any])
        #expect(stg["sources"] as? [[String]] == [["raw", "events"]])
        #expect((manifest["sources"] as? [String: Any])?["source.fx.raw.events"] != nil)
        #expect((manifest["metadata"] as? [String: Any])?["dbt_schema_version"] as? String == "https://schemas.getdbt.com/dbt/manifest/v12.json")
        #expect((manifest["child_map"] as? [String: [String]])?["model.fx.stg"] == ["model.fx.fct"])

        let rr = try json(fx, "target/run_results.json")
        let results = try #require(rr["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let r = try #require(results.first { $0["unique_id"] as? String == "model.fx.fct" })
        #expect(r["status"] as? String == "success")
        #expect((r["adapter_response"] as? [String: Any])?["rows_affected"] as? Int == 30)
        #expect((r["timing"] as? [[String: Any]])?.map { $0["name"] as? String } == ["compile", "execute"])
        #expect(r["execution_time"] is Double)
        #expect(r["thread_id"] as? String == "Thread-1")
        #expect(rr["elapsed_time"] is Double)
        let t = try #require(results.first { ($0["unique_id"] as? String)?.hasPrefix("test.") == true })
        #expect(t["status"] as? String == "pass")
        #expect(t["failures"] as? Int == 0)
    }

    @Test func stateModifiedSelectsChangesAndDownstream() throws {
        let fx = try Fixture("state", files: [
            "models/a.sql": "select 1 as id",
            "models/b.sql": "select * from {{ ref('a') }}",
            "models/c.sql": "select * from {{ ref('b') }}",
            "models/d.sql": "select 2 as id",
        ])
        #expect(fx.run(.run).exitCode == 0)
        let state = fx.dir.appendingPathComponent("prev")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fx.dir.appendingPathComponent("target/manifest.json"), to: state.appendingPathComponent("manifest.json"))
        // Nothing changed: nothing selected.
        let none = fx.run(.run, select: ["state:modified+"]) { $0.stateDir = state.path }
        #expect(none.exitCode == 0)
        #expect(none.results.isEmpty)
        try fx.write("models/b.sql", "select id, 'changed' as note from {{ ref('a') }}")
        try fx.write("models/e.sql", "select 5 as id")
        try fx.write("models/d.sql", "{{ config(materialized='table') }}select 2 as id")
        let out = fx.run(.run, select: ["state:modified+"]) { $0.stateDir = state.path }
        #expect(out.exitCode == 0)
        #expect(Set(out.results.map(\.uniqueId)) == ["model.fx.b", "model.fx.c", "model.fx.d", "model.fx.e"])
    }

    @Test func docsWritesLineageAndComments() throws {
        let fx = try Fixture("docs", files: [
            "models/sources.yml": rawSourcesYML,
            "models/stg.sql": "select * from {{ source('raw', 'events') }}",
            "models/fct.sql": "{{ config(materialized='table') }}select * from {{ ref('stg') }}",
            "models/schema.yml": """
            version: 2
            models:
              - name: fct
                description: Facts, one per event.
                columns:
                  - name: id
                    description: The event's id.
                  - name: ghost
                    description: Not a real column.
              - name: stg
                description: Staged events.
                columns:
                  - name: kind
                    description: Lift kind.
            """,
        ])
        try fx.execute(rawEventsSQL)
        #expect(fx.run(.run).exitCode == 0)
        let out = fx.run(.docs)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT obj_description('public.fct'::regclass, 'pg_class')") == "Facts, one per event.")
        #expect(try fx.scalar("SELECT col_description('public.fct'::regclass, 1)") == "The event's id.")
        #expect(try fx.scalar("SELECT obj_description('public.stg'::regclass, 'pg_class')") == "Staged events.")
        #expect(try fx.scalar("SELECT col_description('public.stg'::regclass, 2)") == "Lift kind.")
        #expect(fx.errorOutput.contains("ghost"))
        let mmd = try fx.read("target/lineage.mmd")
        #expect(mmd.hasPrefix("graph LR"))
        #expect(mmd.contains("source_fx_raw_events --> model_fx_stg"))
        #expect(mmd.contains("model_fx_stg --> model_fx_fct"))
        let html = try fx.read("target/index.html")
        #expect(html.contains("<svg"))
        #expect(html.contains("Facts, one per event."))
    }

    @Test func persistDocsAppliesCommentsDuringBuild() throws {
        let fx = try Fixture("persist", files: [
            "dbt_project.yml": "name: fx\nmodels:\n  fx:\n    +persist_docs:\n      relation: true\n      columns: true\n",
            "models/v.sql": "select 1 as id",
            "models/schema.yml": "version: 2\nmodels:\n  - name: v\n    description: A view.\n    columns:\n      - name: id\n        description: It's the id.\n      - name: nope\n        description: absent\n",
        ])
        #expect(fx.run(.run).exitCode == 0, "\(fx.output)")
        #expect(try fx.scalar("SELECT obj_description('public.v'::regclass, 'pg_class')") == "A view.")
        #expect(try fx.scalar("SELECT col_description('public.v'::regclass, 1)") == "It's the id.")
    }

    @Test func failingModelReportsLocationAndExitCode() throws {
        let fx = try Fixture("fail", files: [
            "models/bad.sql": "select\n  1 as id,\n  missing_col\nfrom (select 1) x",
            "models/after.sql": "select * from {{ ref('bad') }}",
        ])
        let out = fx.run(.run)
        #expect(out.exitCode == 1)
        #expect(out.result("bad")?.location == "models/bad.sql:3")
        #expect(fx.output.contains("ERROR view model bad at models/bad.sql:3 (compiled: target/compiled/fx/models/bad.sql)"))
        #expect(out.result("after")?.status == "skipped")
    }
}
