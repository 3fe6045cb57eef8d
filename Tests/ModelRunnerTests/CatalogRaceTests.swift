import Foundation
import Testing
@testable import ModelRunner

/// The catalog-race fallback: a table built from a stale catalog snapshot is retried with the full swap.
///
/// The runner reads the catalog once, before any node runs, and picks each table's fast path from it
/// (`create` when the name is free, `replace` when nothing depends on the table). Here an upstream model changes
/// the catalog in the middle of the run — its SQL calls a function that executes one queued DDL statement — so
/// the downstream table's fast path meets a catalog that no longer matches the snapshot and fails with
/// 42P07 / 2BP01 / 42809; the build must still succeed, through the swap, against the real PostgreSQL.
@Suite struct CatalogRaceTests {
    /// A project where `t` (a table) runs after `side`, whose build executes the DDL queued in `race_ctl`.
    private func raceFixture(_ name: String) throws -> Fixture {
        let fx = try Fixture(name, files: [
            "models/side.sql": "{{ config(materialized='table') }}select race_ddl() as done",
            "models/t.sql": "{{ config(materialized='table') }}select g as id from generate_series(1, {{ var('rows', 3) }}) g, {{ ref('side') }} s",
        ])
        try fx.execute("""
            CREATE TABLE race_ctl (id serial PRIMARY KEY, ddl text NOT NULL);
            CREATE FUNCTION race_ddl() RETURNS int LANGUAGE plpgsql AS $$
            DECLARE d text;
            BEGIN
              FOR d IN SELECT ddl FROM race_ctl ORDER BY id LOOP EXECUTE d; END LOOP;
              DELETE FROM race_ctl;
              RETURN 1;
            END $$;
            """)
        return fx
    }

    /// Queues DDL statements for `side`'s next build, run in order (each bound as a parameter).
    private func queue(_ fx: Fixture, _ ddl: String...) throws {
        let c = try fx.connect()
        defer { c.close() }
        for d in ddl { try c.query("INSERT INTO race_ctl (ddl) VALUES ($1)", [d]) }
    }

    private func leftovers(_ fx: Fixture) throws -> String? {
        try fx.scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%fitdata%'")
    }

    @Test func tableCreatedByOthersAfterTheCatalogReadIsSwapped() throws {
        let fx = try raceFixture("race-create")
        // The snapshot has no `t` (fast path: CREATE TABLE AS); `side` creates one before `t` runs: 42P07.
        try queue(fx, "CREATE TABLE public.t (stale text)", "INSERT INTO public.t VALUES ('old')")
        let out = fx.run(.run)
        #expect(out.exitCode == 0, "\(fx.output)\n\(fx.errorOutput)")
        #expect(out.result("t")?.status == "success")
        #expect(out.result("t")?.rowsAffected == 3)
        #expect(try fx.scalar("SELECT count(*) FROM race_ctl") == "0") // the DDL did run during the build
        #expect(try fx.scalar("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attnum > 0") == "id")
        #expect(try fx.scalar("SELECT sum(id) FROM public.t") == "6")
        #expect(try leftovers(fx) == "0")
    }

    @Test func dependentViewCreatedAfterTheCatalogReadIsKept() throws {
        let fx = try raceFixture("race-dependent")
        #expect(fx.run(.run).exitCode == 0, "\(fx.output)")
        // The snapshot has `t` without dependents (fast path: DROP TABLE + rename); `side` adds a view on it: 2BP01.
        try queue(fx, "CREATE VIEW public.t_reader AS SELECT count(*) AS n FROM public.t")
        let out = fx.run(.run) { $0.vars = #"{"rows": 5}"# }
        #expect(out.exitCode == 0, "\(fx.output)\n\(fx.errorOutput)")
        #expect(out.result("t")?.status == "success")
        #expect(out.result("t")?.rowsAffected == 5)
        #expect(try fx.scalar("SELECT count(*) FROM race_ctl") == "0")
        #expect(try fx.scalar("SELECT n FROM public.t_reader") == "5") // kept, and reading the new table
        #expect(try leftovers(fx) == "0")
    }

    @Test func viewPutInPlaceOfTheTableAfterTheCatalogReadIsReplaced() throws {
        let fx = try raceFixture("race-view")
        #expect(fx.run(.run).exitCode == 0, "\(fx.output)")
        // The snapshot has `t` as a plain table; `side` replaces it by a view: DROP TABLE fails with 42809.
        try queue(fx, "DROP TABLE public.t", "CREATE VIEW public.t AS SELECT 'stale'::text AS stale")
        let out = fx.run(.run) { $0.vars = #"{"rows": 4}"# }
        #expect(out.exitCode == 0, "\(fx.output)\n\(fx.errorOutput)")
        #expect(out.result("t")?.status == "success")
        #expect(out.result("t")?.rowsAffected == 4)
        #expect(try fx.scalar("SELECT count(*) FROM race_ctl") == "0")
        #expect(try fx.scalar("SELECT relkind::text FROM pg_class WHERE oid = 'public.t'::regclass") == "r")
        #expect(try fx.scalar("SELECT sum(id) FROM public.t") == "10")
        #expect(try leftovers(fx) == "0")
    }

    @Test func fastPathsAreChosenFromTheSnapshot() {
        #expect(Materializer.tableStrategy(kind: nil, hasDependents: false) == .create)
        #expect(Materializer.tableStrategy(kind: "r", hasDependents: false) == .replace)
        #expect(Materializer.tableStrategy(kind: "r", hasDependents: true) == .swap)
        #expect(Materializer.tableStrategy(kind: "v", hasDependents: false) == .swap)
    }
}
