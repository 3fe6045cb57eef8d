import Foundation
import Testing
@testable import ModelRunner

/// Snapshots: dbt's type-2 history (dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to) for both strategies.
@Suite("runner: snapshots")
struct SnapshotTests {
    static let items = """
    CREATE SCHEMA raw;
    CREATE TABLE raw.items (id int, name text, updated_at timestamp);
    INSERT INTO raw.items VALUES (1, 'a', '2024-01-01 10:00'), (2, 'b', '2024-01-01 10:00'), (3, 'c', '2024-01-01 10:00');
    """
    static let sourcesYML = "version: 2\nsources:\n  - name: raw\n    tables:\n      - name: items\n"

    /// The snapshot table as `id|name|valid_from|valid_to|current` lines, ordered by id and validity.
    static func history(_ fx: Fixture, _ table: String, validTo: String = "coalesce(dbt_valid_to::text, 'open')") throws -> [String] {
        let c = try fx.connect()
        defer { c.close() }
        return try c.query("""
            SELECT id || '|' || name || '|' || dbt_valid_from || '|' || \(validTo)
              FROM \(table) ORDER BY id, dbt_valid_from
            """).rows.map { $0[0] ?? "" }
    }

    @Test("timestamp strategy (legacy {% snapshot %} block): first run, changes, a hard delete invalidated, and a no-op run")
    func timestampStrategy() throws {
        let fx = try Fixture("snap-ts", files: [
            "models/sources.yml": Self.sourcesYML,
            "snapshots/items.sql": """
            {# history of raw.items #}
            {% snapshot items_snap %}
            {{ config(target_schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True) }}
            select * from {{ source('raw', 'items') }}
            {% endsnapshot %}
            """,
        ])
        try fx.execute(Self.items)
        let first = fx.run(.snapshot)
        #expect(first.exitCode == 0, "\(fx.errorOutput)")
        #expect(first.result("items_snap")?.response == "SELECT 3")
        #expect(try Self.history(fx, "snapshots.items_snap") == [
            "1|a|2024-01-01 10:00:00|open", "2|b|2024-01-01 10:00:00|open", "3|c|2024-01-01 10:00:00|open",
        ])
        // dbt's meta columns, in dbt's order, typed like updated_at; dbt_scd_id = md5(key|updated_at).
        #expect(try fx.scalar("""
            SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute
             WHERE attrelid = 'snapshots.items_snap'::regclass AND attnum > 0
            """) == "id integer, name text, updated_at timestamp without time zone, dbt_scd_id text, dbt_updated_at timestamp without time zone, dbt_valid_from timestamp without time zone, dbt_valid_to timestamp without time zone")
        #expect(try fx.scalar("SELECT count(*) FROM snapshots.items_snap WHERE dbt_scd_id = md5(id::text || '|' || updated_at::text) AND dbt_updated_at = updated_at") == "3")

        try fx.execute("""
            UPDATE raw.items SET name = 'a2', updated_at = '2024-01-02 08:00' WHERE id = 1;
            DELETE FROM raw.items WHERE id = 2;
            INSERT INTO raw.items VALUES (4, 'd', '2024-01-02 09:00');
            """)
        let second = fx.run(.snapshot)
        #expect(second.exitCode == 0, "\(fx.errorOutput)")
        #expect(second.result("items_snap")?.rowsAffected == 2)
        #expect(try Self.history(fx, "snapshots.items_snap", validTo: "CASE WHEN id = 2 AND dbt_valid_to IS NOT NULL THEN 'deleted' ELSE coalesce(dbt_valid_to::text, 'open') END") == [
            "1|a|2024-01-01 10:00:00|2024-01-02 08:00:00",   // closed by the newer version
            "1|a2|2024-01-02 08:00:00|open",
            "2|b|2024-01-01 10:00:00|deleted",               // hard delete: closed at the run's time
            "3|c|2024-01-01 10:00:00|open",
            "4|d|2024-01-02 09:00:00|open",
        ])
        #expect(try fx.scalar("SELECT dbt_valid_to > now() - interval '1 hour' FROM snapshots.items_snap WHERE id = 2") == "t")

        let third = fx.run(.snapshot)
        #expect(third.exitCode == 0)
        #expect(third.result("items_snap")?.rowsAffected == 0)
        #expect(try fx.scalar("SELECT count(*) FROM snapshots.items_snap") == "5")
    }

    @Test("check strategy (dbt ≥ 1.9 YAML form with relation:): only listed columns count; hard deletes ignored by default")
    func checkStrategyYAML() throws {
        let fx = try Fixture("snap-check", files: [
            "models/sources.yml": Self.sourcesYML,
            "snapshots/snapshots.yml": """
            snapshots:
              - name: items_check
                relation: source('raw', 'items')
                config:
                  schema: snapshots
                  unique_key: [id]
                  strategy: check
                  check_cols: [name]
            """,
        ])
        try fx.execute(Self.items)
        #expect(fx.run(.snapshot).exitCode == 0, "\(fx.errorOutput)")
        try fx.execute("""
            UPDATE raw.items SET name = 'a2' WHERE id = 1;
            UPDATE raw.items SET updated_at = '2030-01-01' WHERE id = 3;
            DELETE FROM raw.items WHERE id = 2;
            """)
        let second = fx.run(.snapshot)
        #expect(second.exitCode == 0, "\(fx.errorOutput)")
        // `schema: snapshots` goes through dbt's default generate_schema_name: <target schema>_snapshots.
        let c = try fx.connect()
        defer { c.close() }
        let rows = try c.query("""
            SELECT id || '|' || name || '|' || (dbt_valid_to IS NULL) FROM public_snapshots.items_check ORDER BY id, dbt_valid_from
            """).rows.map { $0[0] ?? "" }
        #expect(rows == ["1|a|false", "1|a2|true", "2|b|true", "3|c|true"])
        // check: validity comes from the run's clock; the closing time of the old version is the new one's start.
        #expect(try c.query("""
            SELECT (SELECT dbt_valid_to FROM public_snapshots.items_check WHERE name = 'a') = (SELECT dbt_valid_from FROM public_snapshots.items_check WHERE name = 'a2')
            """).scalar == "t")
        // A list unique_key gives dbt's scd id of key + updated_at all the same.
        #expect(try c.query("SELECT count(*) FROM public_snapshots.items_check WHERE dbt_scd_id = md5(id::text || '|' || dbt_updated_at::text)").scalar == "4")
    }

    @Test("hard_deletes: new_record records a deletion as a row with dbt_is_deleted = 'True', closed when the key returns")
    func newRecordHardDeletes() throws {
        let fx = try Fixture("snap-new-record", files: [
            "models/sources.yml": Self.sourcesYML,
            "snapshots/items.sql": """
            {% snapshot items_nr %}
            {{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record') }}
            select * from {{ source('raw', 'items') }}
            {% endsnapshot %}
            """,
        ])
        try fx.execute(Self.items)
        #expect(fx.run(.snapshot).exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT string_agg(DISTINCT dbt_is_deleted, ',') FROM public.items_nr") == "False")
        try fx.execute("DELETE FROM raw.items WHERE id = 2")
        #expect(fx.run(.snapshot).exitCode == 0, "\(fx.errorOutput)")
        #expect(fx.run(.snapshot).exitCode == 0)        // a second run does not record the deletion again
        let rows = { (sql: String) throws -> [String] in
            let c = try fx.connect()
            defer { c.close() }
            return try c.query(sql).rows.map { $0[0] ?? "" }
        }
        let history = "SELECT id || '|' || name || '|' || dbt_is_deleted || '|' || (dbt_valid_to IS NULL) FROM public.items_nr WHERE id = 2 ORDER BY dbt_valid_from"
        #expect(try rows(history) == ["2|b|False|false", "2|b|True|true"])
        try fx.execute("INSERT INTO raw.items VALUES (2, 'b2', '2024-01-05 10:00')")
        #expect(fx.run(.snapshot).exitCode == 0, "\(fx.errorOutput)")
        #expect(try rows(history).sorted() == ["2|b2|False|true", "2|b|False|false", "2|b|True|false"])
        #expect(try fx.scalar("SELECT count(*) FROM public.items_nr WHERE dbt_valid_to IS NULL") == "3")
    }

    @Test("snapshots run in `build` in DAG order and can be ref'd; `run` leaves them alone")
    func snapshotInBuild() throws {
        let fx = try Fixture("snap-build", files: [
            "models/sources.yml": Self.sourcesYML,
            "snapshots/items.sql": """
            {% snapshot items_snap %}{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at') }}
            select * from {{ ref('stg_items') }}
            {% endsnapshot %}
            """,
            "models/stg_items.sql": "select * from {{ source('raw', 'items') }}",
            "models/current_items.sql": "select id, name from {{ ref('items_snap') }} where dbt_valid_to is null",
            "models/current_items.yml": "version: 2\nmodels:\n  - name: current_items\n    columns:\n      - name: id\n        data_tests: [unique]\n",
        ])
        try fx.execute(Self.items)
        let run = fx.run(.run)
        #expect(run.exitCode == 1)          // current_items needs the snapshot, which `run` does not build
        #expect(run.result("items_snap") == nil)
        let build = fx.run(.build)
        #expect(build.exitCode == 0, "\(fx.errorOutput)")
        let order = build.results.map(\.uniqueId)
        let snap = try #require(order.firstIndex(of: "snapshot.fx.items_snap"))
        #expect(try #require(order.firstIndex(of: "model.fx.stg_items")) < snap)
        #expect(snap < (try #require(order.firstIndex(of: "model.fx.current_items"))))
        #expect(try fx.scalar("SELECT count(*) FROM public.current_items") == "3")
        #expect(fx.output.contains("OK    snapshot items_snap"))
        #expect(try fx.read("target/manifest.json").contains("\"snapshot.fx.items_snap\": {\"unique_id\": \"snapshot.fx.items_snap\", \"resource_type\": \"snapshot\""))
        // `ls` and the lineage diagram show it too.
        #expect(fx.run(.ls).exitCode == 0)
        #expect(fx.output.contains("snapshot:fx.items.items_snap"))
        #expect(fx.run(.docs) { $0.docsApplyComments = false }.exitCode == 0)
        #expect(try fx.read("target/lineage.mmd").contains("items_snap<br/><i>snapshot</i>"))
    }

    @Test("a failing snapshot changes nothing: the merge and its hooks share one transaction")
    func atomic() throws {
        let fx = try Fixture("snap-atomic", files: [
            "models/sources.yml": Self.sourcesYML,
            "snapshots/items.sql": """
            {% snapshot items_snap %}
            {{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', post_hook="select 1 / (select count(*) - 4 from {{ this }})") }}
            select * from {{ source('raw', 'items') }}
            {% endsnapshot %}
            """,
        ])
        try fx.execute(Self.items)
        #expect(fx.run(.snapshot).exitCode == 0, "\(fx.errorOutput)")
        try fx.execute("INSERT INTO raw.items VALUES (4, 'd', '2024-01-03')")
        let out = fx.run(.snapshot)          // the post-hook divides by zero once the 4th row is in
        #expect(out.exitCode == 1)
        #expect(out.result("items_snap")?.message.contains("division by zero") == true)
        #expect(try fx.scalar("SELECT count(*) FROM public.items_snap") == "3")
        #expect(try fx.scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%fitdata_snapshot%'") == "0")
    }

    @Test("configuration errors name the file, line and column of the snapshot")
    func configErrors() throws {
        let fx = try Fixture("snap-errors", files: [
            "snapshots/bad.sql": "\n  {% snapshot s %}\nselect 1 as id\n{% endsnapshot %}\n",
        ])
        #expect(fx.run(.snapshot).exitCode == 2)
        #expect(fx.errorOutput.contains("snapshots/bad.sql:2:3: snapshot s: config `unique_key` is required"))
        try fx.write("snapshots/bad.sql", "{% snapshot s %}{{ config(unique_key='id', strategy='timestamp') }}select 1 as id{% endsnapshot %}")
        fx.clearOutput()
        #expect(fx.run(.snapshot).exitCode == 2)
        #expect(fx.errorOutput.contains("snapshots/bad.sql:1:1: snapshot s: strategy 'timestamp' needs config `updated_at`"))
        try fx.write("snapshots/bad.sql", "{% snapshot s %}\nselect {{ nope() }}\n")
        fx.clearOutput()
        #expect(fx.run(.snapshot).exitCode == 2)
        #expect(fx.errorOutput.contains("snapshots/bad.sql:1:1: {% snapshot s %} is never closed with {% endsnapshot %}"))
        try fx.write("snapshots/bad.sql", "{% snapshot s %}\nselect {{ nope() }}\n{% endsnapshot %}")
        fx.clearOutput()
        #expect(fx.run(.snapshot).exitCode == 2)
        #expect(fx.errorOutput.contains("snapshots/bad.sql:2:11: 'nope' is undefined"))   // the position in the file, not in the block
    }

    @Test("a source column widened (varchar(10) → varchar(40), varchar(5) → text) widens the snapshot's column, and a new source column is added, as dbt does")
    func widenedAndNewColumns() throws {
        let fx = try Fixture("snap-widen", files: [
            "models/sources.yml": Self.sourcesYML,
            "snapshots/items.sql": """
            {% snapshot items_snap %}
            {{ config(target_schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at') }}
            select * from {{ source('raw', 'items') }}
            {% endsnapshot %}
            """,
        ])
        try fx.execute("""
            CREATE SCHEMA raw;
            CREATE TABLE raw.items (id int, name varchar(10), code varchar(5), updated_at timestamp);
            INSERT INTO raw.items VALUES (1, 'a', 'x', '2024-01-01 10:00'), (2, 'b', 'y', '2024-01-01 10:00');
            """)
        #expect(fx.run(.snapshot).exitCode == 0, "\(fx.errorOutput)")
        try fx.execute("""
            ALTER TABLE raw.items ALTER COLUMN name TYPE varchar(40), ALTER COLUMN code TYPE text, ADD COLUMN note text;
            UPDATE raw.items SET name = 'a name longer than ten', note = 'new', updated_at = '2024-01-02 10:00' WHERE id = 1;
            """)
        let second = fx.run(.snapshot)
        #expect(second.exitCode == 0, "\(fx.errorOutput)")
        // dbt's alter_column_type: a widened column is re-added, so it moves to the end, before the new column; text
        // counts as 256 characters (dbt's string_size), so varchar(5) → text becomes character varying(256).
        #expect(try fx.scalar("""
            SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute
             WHERE attrelid = 'snapshots.items_snap'::regclass AND attnum > 0 AND NOT attisdropped
            """) == "id integer, updated_at timestamp without time zone, dbt_scd_id text, dbt_updated_at timestamp without time zone, dbt_valid_from timestamp without time zone, dbt_valid_to timestamp without time zone, name character varying(40), code character varying(256), note text")
        #expect(try Self.history(fx, "snapshots.items_snap") == [
            "1|a|2024-01-01 10:00:00|2024-01-02 10:00:00", "1|a name longer than ten|2024-01-02 10:00:00|open",
            "2|b|2024-01-01 10:00:00|open",
        ])
        #expect(try fx.scalar("SELECT string_agg(coalesce(note, '-'), ',' ORDER BY id, dbt_valid_from) FROM snapshots.items_snap") == "-,new,-")
    }
}
