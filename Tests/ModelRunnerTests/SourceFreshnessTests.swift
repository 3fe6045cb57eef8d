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
}
