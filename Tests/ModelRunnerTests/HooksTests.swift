import Foundation
import Testing
@testable import ModelRunner

/// dbt's hooks: model `pre-hook` / `post-hook` at every config level, and the project's `on-run-start` / `on-run-end`.
@Suite("runner: dbt hooks")
struct HooksTests {
    static let logTable = "CREATE TABLE public.hook_log (n serial PRIMARY KEY, msg text);"

    static func log(_ fx: Fixture) throws -> [String] {
        let c = try fx.connect()
        defer { c.close() }
        return try c.query("SELECT msg FROM public.hook_log ORDER BY n").rows.map { $0[0] ?? "" }
    }

    @Test("pre/post hooks from dbt_project.yml, the .yml and config() run in that order around the model, with {{ this }}")
    func modelHookOrder() throws {
        let fx = try Fixture("hooks-order", files: [
            "dbt_project.yml": """
            name: fx
            version: '1.0'
            models:
              fx:
                +materialized: view
                +pre-hook: "insert into public.hook_log (msg) values ('project pre')"
                +post-hook:
                  - "insert into public.hook_log (msg) values ('project post {{ this }}')"
            """,
            "models/m.sql": """
            {{ config(materialized='table', pre_hook="insert into public.hook_log (msg) values ('config pre ' || (select count(*) from pg_class where oid = to_regclass('{{ this }}')))",
                      post_hook=["insert into public.hook_log (msg) values ('config post ' || (select count(*) from {{ this }}))"]) }}
            select 1 as id union all select 2
            """,
            "models/m.yml": """
            version: 2
            models:
              - name: m
                config:
                  post_hook: "insert into public.hook_log (msg) values ('yml post {{ this.name }}')"
            """,
        ])
        try fx.execute(Self.logTable)
        let out = fx.run(.run)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        // Pre-hooks run before the table exists (count 0), post-hooks after it is built (2 rows).
        #expect(try Self.log(fx) == ["project pre", "config pre 0", "project post \"\(fx.db.name)\".\"public\".\"m\"", "yml post m", "config post 2"])
        // The manifest keeps the accumulated hooks under dbt's keys.
        let manifest = try fx.read("target/manifest.json")
        #expect(manifest.contains("\"pre-hook\": [\"insert into public.hook_log (msg) values ('project pre')\""))
    }

    @Test("hooks run inside the model's transaction: a failing post-hook rolls back the model and its pre-hooks; transaction: false hooks stay")
    func hooksShareTheTransaction() throws {
        let fx = try Fixture("hooks-tx", files: [
            "dbt_project.yml": """
            name: fx
            version: '1.0'
            models:
              fx:
                +pre-hook:
                  - sql: "insert into public.hook_log (msg) values ('outside pre')"
                    transaction: false
                  - "insert into public.hook_log (msg) values ('inside pre')"
            """,
            "models/t.sql": "{{ config(materialized='table', post_hook='select 1/0') }}select 1 as id",
        ])
        try fx.execute(Self.logTable)
        let out = fx.run(.run)
        #expect(out.exitCode == 1)
        #expect(out.result("t")?.status == "error")
        #expect(out.result("t")?.message.contains("division by zero") == true)
        #expect(try fx.scalar("SELECT to_regclass('public.t') IS NULL") == "t")     // the table was rolled back
        #expect(try Self.log(fx) == ["outside pre"])                                  // so was the inside pre-hook
    }

    @Test("a seed's post-hook runs after the rows are loaded, in the seed's transaction")
    func seedHooks() throws {
        let fx = try Fixture("hooks-seed", files: [
            "dbt_project.yml": """
            name: fx
            version: '1.0'
            seeds:
              fx:
                +post-hook: "insert into public.hook_log (msg) select 'seed {{ this.name }} ' || count(*) from {{ this }}"
            """,
            "seeds/s.csv": "id\n1\n2\n3\n",
        ])
        try fx.execute(Self.logTable)
        #expect(fx.run(.seed).exitCode == 0, "\(fx.errorOutput)")
        #expect(try Self.log(fx) == ["seed s 3"])
    }

    @Test("before_begin() / after_commit() hooks run outside the model's transaction")
    func beforeBeginAfterCommit() throws {
        let fx = try Fixture("hooks-bb", files: [
            "models/ok.sql": """
            {{ config(materialized='table', pre_hook=before_begin("insert into public.hook_log (msg) values ('bb')"),
                      post_hook=after_commit("insert into public.hook_log (msg) select 'ac ' || count(*) from {{ this }}")) }}
            select 1 as id
            """,
            "models/bad.sql": """
            {{ config(materialized='table', pre_hook=[before_begin("insert into public.hook_log (msg) values ('bad bb')"),
                                                      "insert into public.hook_log (msg) values ('bad inside')"],
                      post_hook='select 1/0') }}
            select 1 as id
            """,
        ])
        try fx.execute(Self.logTable)
        let out = fx.run(.run)
        #expect(out.result("ok")?.status == "success")
        #expect(out.result("bad")?.status == "error")
        #expect(try Self.log(fx).sorted() == ["ac 1", "bad bb", "bb"])   // the in-transaction pre-hook of `bad` rolled back
    }

    @Test("on-run-start and on-run-end run once per build, print dbt's hook lines, see results/schemas, appear in run_results.json")
    func runHooks() throws {
        let fx = try Fixture("run-hooks", files: [
            "dbt_project.yml": """
            name: fx
            version: '1.0'
            on-run-start:
              - "insert into public.hook_log (msg) values ('start')"
              - "insert into public.hook_log (msg) values ('start ' || (select count(*) from pg_class where oid = to_regclass('public.a')))"
            on-run-end:
              - "insert into public.hook_log (msg) values ('end ' || (select count(*) from public.a))"
              - >-
                insert into public.hook_log (msg) values
                ('{{ schemas | join(",") }}:{% for r in results %} {{ r.node.name }}={{ r.status }}{% endfor %}')
            """,
            "models/a.sql": "{{ config(materialized='table') }}select 1 as x",
            "models/b.sql": "select * from {{ ref('a') }}",
        ])
        try fx.execute(Self.logTable)
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        // on-run-end sees dbt's `schemas` and `results` (the nodes' results, in the order they ran).
        #expect(try Self.log(fx) == ["start", "start 0", "end 1", "public: a=success b=success"])
        #expect(fx.output.contains("1 of 2 OK hook: fx.on-run-start.0 "))
        #expect(out.results.first?.message == "fx.on-run-start.0 passed")
        #expect(fx.output.contains("1 of 2 OK hook: fx.on-run-end.0 "))
        let ids = out.results.map(\.uniqueId)
        #expect(ids.first == "operation.fx.fx-on-run-start-0")
        #expect(ids.last == "operation.fx.fx-on-run-end-1")
        #expect(try fx.read("target/run_results.json").contains("\"unique_id\": \"operation.fx.fx-on-run-start-1\""))
    }

    @Test("compile renders on-run-start / on-run-end into target/compiled like dbt compile, and runs none of them")
    func compileRendersRunHooksWithoutRunningThem() throws {
        let fx = try Fixture("run-hooks-compile", files: [
            "dbt_project.yml": """
            name: fx
            version: '1.0'
            on-run-start:
              - "create table public.compiled_hook (x int)"
              - "insert into public.compiled_hook values ({{ 1 + 1 }}) -- {{ execute }} {{ this }}"
            on-run-end: "{% for s in schemas %}grant usage on schema {{ s }} to x;{% endfor %}-- {{ results | length }}"
            """,
            "models/a.sql": "select 1 as x",
        ])
        let out = fx.run(.compile)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.read("target/compiled/fx/dbt_project.yml/hooks/fx-on-run-start-0.sql") == "create table public.compiled_hook (x int)\n")
        #expect(try fx.read("target/compiled/fx/dbt_project.yml/hooks/fx-on-run-start-1.sql") == "insert into public.compiled_hook values (2) -- True None\n")
        #expect(try fx.read("target/compiled/fx/dbt_project.yml/hooks/fx-on-run-end-0.sql") == "-- 0\n")
        #expect(try fx.scalar("SELECT to_regclass('public.compiled_hook') IS NULL") == "t")   // nothing ran
        // With --select, like dbt, only the selected nodes compile.
        try FileManager.default.removeItem(at: fx.dir.appendingPathComponent("target"))
        #expect(fx.run(.compile, select: ["a"]).exitCode == 0)
        #expect(!fx.exists("target/compiled/fx/dbt_project.yml"))
        // A hook that does not render is an error at its line of dbt_project.yml, with the other compile errors.
        try fx.write("dbt_project.yml", "name: fx\nversion: '1.0'\non-run-start: \"select {{ nope( }}\"\n")
        try fx.write("models/b.sql", "select {% if execute %}{{ var('unset_var') }}{% endif %}")
        fx.clearOutput()
        #expect(fx.run(.compile).exitCode == 2)
        #expect(fx.errorOutput.contains("dbt_project.yml:3: fx-on-run-start-0: unexpected '}'"), "\(fx.errorOutput)")
        #expect(fx.errorOutput.contains("models/b.sql:1:27: required var 'unset_var' is not set"))
    }

    @Test("a failing on-run-start names the hook, skips every node, and the run exits 1")
    func failingRunStart() throws {
        let fx = try Fixture("run-hooks-fail", files: [
            "dbt_project.yml": """
            name: fx
            version: '1.0'
            on-run-start: "insert into no_such_table values (1)"
            on-run-end: ["insert into public.hook_log (msg) values ('end')"]
            """,
            "models/a.sql": "{{ config(materialized='table') }}select 1 as x",
        ])
        try fx.execute(Self.logTable)
        let out = fx.run(.build)
        #expect(out.exitCode == 1)
        let hook = try #require(out.result("operation.fx.fx-on-run-start-0"))
        #expect(hook.status == "error")
        #expect(hook.message.contains("fx-on-run-start-0") && hook.message.contains("no_such_table"))
        #expect(fx.output.contains("ERROR hook fx-on-run-start-0 at dbt_project.yml:3"))
        #expect(out.result("a")?.status == "skipped")
        #expect(try fx.scalar("SELECT to_regclass('public.a') IS NULL") == "t")
        #expect(try Self.log(fx) == ["end"])
    }

    @Test("a hook that is neither SQL text nor {sql: …} is a project error naming the node")
    func badHookConfig() throws {
        let fx = try Fixture("hooks-bad", files: [
            "dbt_project.yml": "name: fx\nversion: '1.0'\nmodels:\n  fx:\n    +post-hook: [{transaction: false}]\n",
            "models/a.sql": "select 1 as x",
        ])
        let out = fx.run(.run)
        #expect(out.exitCode == 2)
        #expect(fx.errorOutput.contains("models/a.sql:1: model a: a hook mapping needs `sql:`"))
    }
}
