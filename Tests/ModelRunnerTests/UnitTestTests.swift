import Foundation
import Testing
@testable import ModelRunner

@Suite struct UnitTestTests {
    static let files: [String: String] = [
        "models/sources.yml": rawSourcesYML,
        "models/stg.sql": "select id, kind, reps from {{ source('raw', 'events') }}",
        "models/summary.sql": """
        {{ config(materialized='table') }}
        select kind, count(*) as sets, sum(reps) as total_reps, max(reps) * {{ var('factor', 1) }} as top
        from {{ ref('stg') }}
        group by kind
        """,
        "models/unit.yml": """
        version: 2
        unit_tests:
          - name: sums_per_kind
            model: summary
            given:
              - input: ref('stg')
                rows:
                  - {id: 1, kind: squat, reps: 5}
                  - {id: 2, kind: squat, reps: 3}
                  - {id: 3, kind: bench}
            expect:
              rows:
                - {kind: squat, sets: 2, total_reps: 8}
                - {kind: bench, sets: 1, total_reps: null}
          - name: wrong_expectation
            model: summary
            overrides:
              vars: {factor: 10}
            given:
              - input: ref('stg')
                rows:
                  - {id: 1, kind: squat, reps: 5}
            expect:
              rows:
                - {kind: squat, top: 5}
        """,
    ]

    @Test func passingAndFailingUnitTestsDoNotTouchRealTables() throws {
        let fx = try Fixture("unit", files: Self.files)
        try fx.execute(rawEventsSQL)
        let out = fx.run(.build)
        #expect(out.exitCode == 1)
        #expect(out.result("unit_test.fx.summary.sums_per_kind")?.status == "pass")
        let failing = out.result("unit_test.fx.summary.wrong_expectation")
        #expect(failing?.status == "fail")
        #expect(failing?.message.contains("- | squat | 5") == true)
        #expect(failing?.message.contains("+ | squat | 50") == true)
        // The model waits for its unit tests in build: a failing one skips it.
        #expect(out.result("summary")?.status == "skipped")
        #expect(try fx.scalar("SELECT to_regclass('public.summary') IS NULL") == "t")
        #expect(try fx.scalar("SELECT count(*) FROM raw.events") == "30")
        // Only the passing test selected: the model builds.
        try fx.write("models/unit.yml", try fx.read("models/unit.yml").replacingOccurrences(of: "{kind: squat, top: 5}", with: "{kind: squat, top: 50}"))
        let again = fx.run(.build)
        #expect(again.exitCode == 0, "\(fx.output)")
        #expect(try fx.scalar("SELECT sets FROM public.summary WHERE kind = 'squat'") == "10")
    }

    @Test func missingInputIsReported() throws {
        var files = Self.files
        files["models/unit.yml"] = """
        version: 2
        unit_tests:
          - name: no_inputs
            model: summary
            given: []
            expect:
              rows: []
        """
        let fx = try Fixture("unitmissing", files: files)
        try fx.execute(rawEventsSQL)
        let out = fx.run(.test)
        #expect(out.results.first?.status == "error")
        #expect(out.results.first?.message.contains("`given:` has no input for it") == true)
    }
}
