import Foundation
import Testing
@testable import ModelRunner

/// `fitdata source freshness`: max(loaded_at_field) against warn_after / error_after, console lines, sources.json.
@Suite("runner: source freshness")
struct SourceFreshnessTests {
    static let tables = """
    CREATE SCHEMA raw;
    CREATE TABLE raw.fresh (loaded_at timestamptz); INSERT INTO raw.fresh VALUES (now() - interval '5 minutes');
    CREATE TABLE raw.warnme (loaded_at timestamptz); INSERT INTO raw.warnme VALUES (now() - interval '3 hours');
    CREATE TABLE raw.stale (loaded_at timestamptz); INSERT INTO raw.stale VALUES (now() - interval '3 days'), (now() - interval '90 minutes');
    CREATE TABLE raw.disabled (loaded_at timestamptz);
    CREATE TABLE raw.naive (ts timestamp); INSERT INTO raw.naive VALUES ((now() AT TIME ZONE 'UTC') - interval '30 minutes');
    CREATE TABLE raw.empty (loaded_at timestamptz);
    """

    static let yml = """
    version: 2
    sources:
      - name: raw
        loaded_at_field: loaded_at
        freshness:
          warn_after: {count: 1, period: hour}
          error_after: {count: 1, period: day}
        tables:
          - name: fresh
          - name: warnme
          - name: stale
            freshness:
              warn_after: {count: 2, period: hour}
              filter: loaded_at < now() - interval '1 day'
          - name: disabled
            freshness: null
          - name: naive
            loaded_at_field: ts
    """

    static func sources(_ fx: Fixture) throws -> [String: [String: Any]] {
        let doc = try #require(JSONSerialization.jsonObject(with: Data(fx.read("target/sources.json").utf8)) as? [String: Any])
        let results = try #require(doc["results"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: results.map { ($0["unique_id"] as? String ?? "", $0) })
    }

    @Test("statuses per table: PASS, WARN, ERROR STALE; table settings override the source's; freshness: null turns it off")
    func statuses() throws {
        let fx = try Fixture("freshness", files: ["models/sources.yml": Self.yml])
        try fx.execute(Self.tables)
        let out = fx.run(.sourceFreshness)
        #expect(out.exitCode == 1)                       // raw.stale is past error_after
        #expect(fx.output.contains("PASS freshness of raw.fresh "))
        #expect(fx.output.contains("WARN freshness of raw.warnme "))
        #expect(fx.output.contains("ERROR STALE freshness of raw.stale "))
        #expect(fx.output.contains("PASS freshness of raw.naive "))
        #expect(!fx.output.contains("raw.disabled"))
        #expect(fx.output.contains("Done. PASS=2 WARN=1 ERROR=1 TOTAL=4"))
        let r = try Self.sources(fx)
        #expect(r.count == 4)
        let stale = try #require(r["source.fx.raw.stale"])
        #expect(stale["status"] as? String == "error")
        // The filter keeps only the 3-day-old row, so the age is about 3 days, not 90 minutes.
        let age = try #require(stale["max_loaded_at_time_ago_in_s"] as? Double)
        #expect(abs(age - 3 * 86400) < 600)
        let criteria = try #require(stale["criteria"] as? [String: Any])
        #expect((criteria["warn_after"] as? [String: Any])?["count"] as? Int == 2)      // the table's
        #expect((criteria["error_after"] as? [String: Any])?["period"] as? String == "day")  // the source's
        #expect(criteria["filter"] as? String == "loaded_at < now() - interval '1 day'")
        #expect((stale["max_loaded_at"] as? String)?.hasSuffix("+00:00") == true)
        // A timestamp without time zone is read as UTC, like dbt: 30 minutes old, not off by the session's offset.
        let naiveAge = try #require(r["source.fx.raw.naive"]?["max_loaded_at_time_ago_in_s"] as? Double)
        #expect(abs(naiveAge - 1800) < 600)
        #expect(r["source.fx.raw.warnme"]?["status"] as? String == "warn")
    }

    @Test("--select source:raw.fresh checks one table (exit 0); an empty table is stale, as in dbt (max_loaded_at year 1, exit 1)")
    func selectionAndEmptyTable() throws {
        let fx = try Fixture("freshness-select", files: [
            "models/sources.yml": Self.yml + "\n      - name: empty\n",
        ])
        try fx.execute(Self.tables)
        let one = fx.run(.sourceFreshness, select: ["source:raw.fresh"])
        #expect(one.exitCode == 0, "\(fx.errorOutput)")
        #expect(try Self.sources(fx).keys.sorted() == ["source.fx.raw.fresh"])
        fx.clearOutput()
        let empty = fx.run(.sourceFreshness, select: ["source:raw.empty"])
        #expect(empty.exitCode == 1)
        #expect(fx.output.contains("ERROR STALE freshness of raw.empty "))
        let entry = try #require(try Self.sources(fx)["source.fx.raw.empty"])
        #expect(entry["status"] as? String == "error")
        #expect(entry["max_loaded_at"] as? String == "0001-01-01T00:00:00+00:00")
    }

    @Test("an invalid period is a project error at the source table's line")
    func invalidPeriod() throws {
        let fx = try Fixture("freshness-bad", files: [
            "models/sources.yml": "version: 2\nsources:\n  - name: raw\n    loaded_at_field: loaded_at\n    tables:\n      - name: fresh\n        freshness:\n          warn_after: {count: 1, period: week}\n",
        ])
        let out = fx.run(.sourceFreshness)
        #expect(out.exitCode == 2)
        #expect(fx.errorOutput.contains("models/sources.yml:6: source table raw.fresh: `warn_after.period` must be minute, hour or day, not week"))
    }

    static let queryYml = """
    version: 2
    sources:
      - name: raw
        loaded_at_field: loaded_at
        freshness:
          warn_after: {count: 1, period: hour}
          error_after: {count: 1, period: day}
        tables:
          - name: stale
            config:
              loaded_at_query: "select max(loaded_at) from {{ this }} where loaded_at > now() - interval '2 hours'"
            freshness:
              filter: "false"
          - name: naive
            loaded_at_query: |
              {% set col = 'ts' %}
              select max({{ col }}) from {{ source('raw', 'naive') }}
      - name: logs
        schema: raw
        loaded_at_query: "select now() - interval '3 hours'"
        freshness:
          warn_after: {count: 1, period: hour}
        tables:
          - name: fresh
          - name: warnme
            loaded_at_field: loaded_at
    """

    @Test("loaded_at_query: rendered when the check runs ({{ this }}, source(), set), one value, no filter; the table's loaded_at_field hides the source's query")
    func loadedAtQuery() throws {
        let fx = try Fixture("freshness-query", files: ["models/sources.yml": Self.queryYml])
        try fx.execute(Self.tables)
        let out = fx.run(.sourceFreshness)
        #expect(out.exitCode == 0, "\(fx.errorOutput)")
        let r = try Self.sources(fx)
        // The query sees only the 90-minute-old row (the filter `false` does not apply to a query): WARN, not ERROR.
        let stale = try #require(r["source.fx.raw.stale"])
        #expect(stale["status"] as? String == "warn")
        #expect(abs((stale["max_loaded_at_time_ago_in_s"] as? Double ?? 0) - 5400) < 600)
        // A timestamp without time zone from the query is read as UTC.
        #expect(abs((r["source.fx.raw.naive"]?["max_loaded_at_time_ago_in_s"] as? Double ?? 0) - 1800) < 600)
        #expect(r["source.fx.raw.naive"]?["status"] as? String == "pass")
        // The source-level query: 3 hours → WARN; the table's own loaded_at_field replaces it (3 hours too, via the column).
        #expect(r["source.fx.logs.fresh"]?["status"] as? String == "warn")
        #expect(abs((r["source.fx.logs.fresh"]?["max_loaded_at_time_ago_in_s"] as? Double ?? 0) - 10800) < 600)
        #expect(abs((r["source.fx.logs.warnme"]?["max_loaded_at_time_ago_in_s"] as? Double ?? 0) - 10800) < 600)
        #expect(fx.output.contains("Done. PASS=1 WARN=3 ERROR=0 TOTAL=4"))
    }

    @Test("loaded_at_field and loaded_at_query on one level is an error, as in dbt; a query returning two rows is a runtime error")
    func loadedAtQueryConflicts() throws {
        let both = try Fixture("freshness-query-both", files: [
            "models/sources.yml": "version: 2\nsources:\n  - name: raw\n    freshness: {warn_after: {count: 1, period: hour}}\n    tables:\n      - name: fresh\n        loaded_at_field: loaded_at\n        loaded_at_query: select now()\n",
        ])
        #expect(both.run(.sourceFreshness).exitCode == 2)
        #expect(both.errorOutput.contains("models/sources.yml:6: source table raw.fresh: Cannot specify both loaded_at_field and loaded_at_query at table level."))
        let source = try Fixture("freshness-query-both-source", files: [
            "models/sources.yml": "version: 2\nsources:\n  - name: raw\n    config:\n      loaded_at_field: loaded_at\n      loaded_at_query: select now()\n    freshness: {warn_after: {count: 1, period: hour}}\n    tables:\n      - name: fresh\n",
        ])
        #expect(source.run(.sourceFreshness).exitCode == 2)
        #expect(source.errorOutput.contains("models/sources.yml:3: source table raw.fresh: Cannot specify both loaded_at_field and loaded_at_query at source level."))
        let two = try Fixture("freshness-query-rows", files: [
            "models/sources.yml": "version: 2\nsources:\n  - name: raw\n    freshness: {warn_after: {count: 1, period: hour}}\n    tables:\n      - name: stale\n        loaded_at_query: select loaded_at from {{ this }}\n",
        ])
        try two.execute(Self.tables)
        #expect(two.run(.sourceFreshness).exitCode == 1)
        #expect(two.output.contains("ERROR freshness of raw.stale "))
        #expect(two.output.contains("more than one row returned by a subquery"))
        // A template error in the query names the .yml line of the value.
        try two.write("models/sources.yml", "version: 2\nsources:\n  - name: raw\n    freshness: {warn_after: {count: 1, period: hour}}\n    tables:\n      - name: stale\n        loaded_at_query: select {{ nope() }}\n")
        two.clearOutput()
        #expect(two.run(.sourceFreshness).exitCode == 1)
        #expect(two.output.contains("models/sources.yml:7:"), "\(two.output)")
        #expect(two.output.contains("loaded_at_query of source raw.stale: 'nope' is undefined"), "\(two.output)")
    }
}
