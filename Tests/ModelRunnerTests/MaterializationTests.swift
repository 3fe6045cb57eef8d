import Foundation
import Testing
@testable import ModelRunner

@Suite struct MaterializationTests {
    @Test func viewsTablesAndSchemasOnDemand() throws {
        let fx = try Fixture("mat", files: [
            "dbt_project.yml": "name: fx\nmodels:\n  fx:\n    +materialized: view\n    marts:\n      +schema: marts\n      +materialized: table\n",
            "models/sources.yml": rawSourcesYML,
            "models/staging/stg.sql": "select id, kind, reps from {{ source('raw', 'events') }}",
            "models/marts/fct.sql": "{{ config(indexes=[{'columns': ['id'], 'unique': true}, {'columns': ['kind']}]) }}select * from {{ ref('stg') }}",
        ])
        try fx.execute(rawEventsSQL)
        let out = fx.run(.run)
        #expect(out.exitCode == 0, "\(fx.output)\n\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'public.stg'::regclass") == "v")
        #expect(try fx.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'public_marts.fct'::regclass") == "r")
        #expect(try fx.scalar("SELECT count(*) FROM public_marts.fct") == "30")
        #expect(out.result("fct")?.rowsAffected == 30)
        #expect(try fx.scalar("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public_marts'") == "fct_id_uidx,fct_kind_idx")
        // Second run: same names, still one table, indexes kept their names.
        #expect(fx.run(.run).exitCode == 0)
        #expect(try fx.scalar("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public_marts'") == "fct_id_uidx,fct_kind_idx")
        #expect(try fx.scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%fitdata%'") == "0")
    }

    @Test func viewColumnChangesAndMaterializationSwitches() throws {
        let fx = try Fixture("viewchg", files: ["models/v.sql": "select 1 as a, 2 as b", "models/w.sql": "select a from {{ ref('v') }}"])
        #expect(fx.run(.run).exitCode == 0)
        // Dropping a column cannot be done by CREATE OR REPLACE VIEW: the runner swaps, keeping dependent view w.
        try fx.write("models/v.sql", "select 1 as a, 'x' as c")
        #expect(fx.run(.run, select: ["v"]).exitCode == 0, "\(fx.output)")
        #expect(try fx.scalar("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.v'::regclass AND attnum > 0") == "a,c")
        #expect(try fx.scalar("SELECT a FROM public.w") == "1")
        // view -> table -> view
        try fx.write("models/v.sql", "{{ config(materialized='table') }}select 1 as a, 'x' as c")
        #expect(fx.run(.run, select: ["v"]).exitCode == 0, "\(fx.output)")
        #expect(try fx.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'public.v'::regclass") == "r")
        #expect(try fx.scalar("SELECT a FROM public.w") == "1")
        try fx.write("models/v.sql", "select 1 as a, 'x' as c")
        #expect(fx.run(.run, select: ["v"]).exitCode == 0, "\(fx.output)")
        #expect(try fx.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'public.v'::regclass") == "v")
    }

    @Test func failedTableBuildLeavesTheOldTableIntactAndReadable() throws {
        let fx = try Fixture("atomic", files: [
            "models/t.sql": "{{ config(materialized='table') }}select g as id from generate_series(1, 5) g",
            "models/dep.sql": "select count(*) as n from {{ ref('t') }}",
        ])
        try? fx.execute("CREATE ROLE fitdata_runner_reader_atomic NOLOGIN") // roles are cluster-wide: may exist already
        #expect(fx.run(.run).exitCode == 0)
        try fx.execute("COMMENT ON VIEW public.dep IS 'kept'; GRANT SELECT ON public.dep TO fitdata_runner_reader_atomic")
        // A build error half-way (division by zero at row 3) must not touch the existing table.
        try fx.write("models/t.sql", "{{ config(materialized='table') }}select 10 / (3 - g) as id from generate_series(1, 5) g")
        let out = fx.run(.run)
        #expect(out.exitCode == 1)
        #expect(out.result("t")?.status == "error")
        #expect(out.result("t")?.message.contains("division by zero") == true)
        #expect(out.result("dep")?.status == "skipped")
        #expect(try fx.scalar("SELECT sum(id) FROM public.t") == "15")
        #expect(try fx.scalar("SELECT n FROM public.dep") == "5")
        // A successful rebuild keeps the dependent view, its comment and its grant.
        try fx.write("models/t.sql", "{{ config(materialized='table') }}select g as id from generate_series(1, 7) g")
        #expect(fx.run(.run, select: ["t"]).exitCode == 0, "\(fx.output)")
        #expect(try fx.scalar("SELECT n FROM public.dep") == "7")
        #expect(try fx.scalar("SELECT obj_description('public.dep'::regclass, 'pg_class')") == "kept")
        #expect(try fx.scalar("SELECT has_table_privilege('fitdata_runner_reader_atomic', 'public.dep', 'SELECT')") == "t")
        try? fx.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM fitdata_runner_reader_atomic")
    }

    @Test func readersNeverSeeAMissingTableDuringSwap() throws {
        let fx = try Fixture("readers", files: [
            "models/t.sql": "{{ config(materialized='table') }}select g as id from generate_series(1, 400) g, lateral (select pg_sleep(0.0005)) s",
        ])
        #expect(fx.run(.run).exitCode == 0)
        let reader = try fx.connect()
        defer { reader.close() }
        let stop = Atomic(false)
        let errors = Atomic(0)
        let answered = Atomic(0)   // queries that returned the table's 400 rows
        let finished = Atomic(false)
        let t = Thread {
            while !stop.value {
                do {
                    if try reader.query("SELECT count(*) FROM public.t").scalar == "400" { answered.mutate { $0 += 1 } }
                    else { errors.mutate { $0 += 1 } }
                } catch { errors.mutate { $0 += 1 } }
            }
            finished.mutate { $0 = true }
        }
        t.start()
        for _ in 0..<3 { #expect(fx.run(.run).exitCode == 0) }
        stop.mutate { $0 = true }
        while !finished.value { Thread.sleep(forTimeInterval: 0.01) }
        #expect(errors.value == 0)
        #expect(answered.value > 0, "the concurrent reader never got an answer, so it proved nothing")
    }

    @Test func incrementalRerunsAndFullRefresh() throws {
        let fx = try Fixture("incr", files: [
            "models/sources.yml": rawSourcesYML,
            "models/inc.sql": """
            {{ config(materialized='incremental', unique_key='id') }}
            select id, reps, '{{ var("tag", "v1") }}' as version from {{ source('raw', 'events') }}
            {% if is_incremental() %}
            where id >= (select max(id) from {{ this }})
            {% endif %}
            """,
        ])
        try fx.execute(rawEventsSQL)
        let first = fx.run(.run)
        #expect(first.exitCode == 0, "\(fx.output)")
        #expect(first.result("inc")?.rowsAffected == 30)
        try fx.execute("INSERT INTO raw.events VALUES (31, 'row', 3), (32, 'row', 4); UPDATE raw.events SET reps = 99 WHERE id = 30")
        let second = fx.run(.run) { $0.vars = #"{"tag": "v2"}"# }
        #expect(second.exitCode == 0, "\(fx.output)")
        #expect(second.result("inc")?.rowsAffected == 3) // ids 30 (replaced), 31, 32
        #expect(try fx.scalar("SELECT count(*) FROM public.inc") == "32")
        #expect(try fx.scalar("SELECT reps FROM public.inc WHERE id = 30") == "99")
        #expect(try fx.scalar("SELECT count(*) FROM public.inc WHERE version = 'v2'") == "3")
        #expect(try fx.read("target/compiled/fx/models/inc.sql").contains("where id >= (select max(id) from \"\(fx.db.name)\".\"public\".\"inc\")"))
        let full = fx.run(.run) { $0.fullRefresh = true; $0.vars = #"{"tag": "v3"}"# }
        #expect(full.result("inc")?.rowsAffected == 32)
        #expect(try fx.scalar("SELECT count(*) FROM public.inc WHERE version = 'v3'") == "32")
    }

    @Test func ephemeralModelsAreInlinedNotBuilt() throws {
        let fx = try Fixture("eph", files: [
            "models/e.sql": "{{ config(materialized='ephemeral') }}select 41 as x",
            "models/m.sql": "select x + 1 as y from {{ ref('e') }}",
        ])
        let out = fx.run(.run)
        #expect(out.exitCode == 0)
        #expect(out.results.map(\.uniqueId) == ["model.fx.m"])
        #expect(try fx.scalar("SELECT y FROM public.m") == "42")
        #expect(try fx.scalar("SELECT to_regclass('public.e') IS NULL") == "t")
    }

    @Test func grantsToReaderRole() throws {
        let fx = try Fixture("grants", files: [
            "dbt_project.yml": "name: fx\nmodels:\n  fx:\n    marts:\n      +schema: marts_g\n      +grants:\n        select: ['fitdata_runner_reader_g']\n",
            "models/marts/a.sql": "{{ config(materialized='table') }}select 1 as x",
            "models/b.sql": "select 1 as x",
        ])
        try? fx.execute("CREATE ROLE fitdata_runner_reader_g NOLOGIN")
        try? fx.execute("CREATE ROLE fitdata_runner_reader_cli NOLOGIN")
        #expect(fx.run(.run).exitCode == 0, "\(fx.output)\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT has_schema_privilege('fitdata_runner_reader_g', 'public_marts_g', 'USAGE')") == "t")
        #expect(try fx.scalar("SELECT has_table_privilege('fitdata_runner_reader_g', 'public_marts_g.a', 'SELECT')") == "t")
        #expect(try fx.scalar("SELECT has_table_privilege('fitdata_runner_reader_g', 'public.b', 'SELECT')") == "f")
        #expect(fx.run(.run) { $0.readerRole = "fitdata_runner_reader_cli" }.exitCode == 0)
        #expect(try fx.scalar("SELECT has_table_privilege('fitdata_runner_reader_cli', 'public.b', 'SELECT')") == "t")
        #expect(try fx.scalar("SELECT has_table_privilege('fitdata_runner_reader_cli', 'public_marts_g.a', 'SELECT')") == "t")
        try fx.execute("""
            REVOKE ALL ON ALL TABLES IN SCHEMA public_marts_g, public FROM fitdata_runner_reader_g, fitdata_runner_reader_cli;
            REVOKE ALL ON SCHEMA public_marts_g, public FROM fitdata_runner_reader_g, fitdata_runner_reader_cli;
            """)
    }
}

/// A tiny lock-protected box for values shared with a background thread in tests.
final class Atomic<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}
