import Foundation
import Pipeline
import Testing

@Suite("pipeline daily: end to end", .serialized)
struct PipelineDailyTests {
    @Test("sync + drop folder (good, duplicate, broken): loaded, noted, rejected with a reason; only what changed is built")
    func endToEnd() async throws {
        let h = try await PipelineHarness.make(hevy: true)
        defer { h.close() }

        // run 1: the API history and a body-weight file; nothing built before, so everything is built and tested
        try h.drop("body_weight.csv")
        let first = try await h.run()
        #expect(first.result.exitCode == 0, "\(first.records.map(\.textLine))")
        #expect(first.records.map(\.step) == ["lock", "sync", "load", "build", "test", "pipeline"])
        #expect(first.step("sync")?.counts["workouts_new"] == 23)
        #expect(first.step("load")?.counts["loaded"] == 1)
        #expect(first.step("build")?.selection == [])
        #expect(first.step("build")?.note?.contains("no successful pipeline build recorded yet") == true)
        #expect((first.step("build")?.counts["models"] ?? 0) > 20)
        #expect(first.step("test")?.outcome == .ok && (first.step("test")?.counts["pass"] ?? 0) > 20)
        #expect(first.step("test")?.note == "every row")            // a full build tests every row
        #expect(try await h.int("SELECT count(*) FROM marts.fct_workouts") == 23)
        #expect(try await h.int("SELECT count(*) FROM marts.fct_body_weight_daily WHERE weight_kg IS NOT NULL") > 0)
        #expect(try await h.int("SELECT count(*) FROM marts.fct_nutrition_daily") == 0)
        #expect(h.files("inbox/processed") == ["body_weight.csv"])
        // project + the 3 sources without a change log (athletes, exercises, aliases); the 6 logged core tables are
        // built through the change log: watermark at its head, the log pruned
        #expect(try await h.int("SELECT count(*) FROM meta.pipeline_built_inputs") == 4)
        #expect(try await h.int("SELECT change_id FROM meta.mart_watermark") > 0)
        #expect(try await h.int("SELECT count(*) FROM core.change_log") == 0)

        // run 2: a good nutrition file, the body-weight file again under another name, a broken file
        try h.drop("cronometer_dailysummary.csv")
        try h.drop("body_weight.csv", as: "weights-again.csv")
        try h.drop(text: "when,what\n2026-11-01,lunch\n", as: "broken.csv")
        let second = try await h.run()
        #expect(second.result.exitCode == 1)                         // a rejected file fails the load step
        let load = try #require(second.step("load"))
        #expect(load.outcome == .failed)
        #expect(load.counts["loaded"] == 1 && load.counts["duplicates"] == 1 && load.counts["rejected"] == 1 && load.counts["failed"] == 0)
        #expect(load.files?.first { $0.name == "weights-again.csv" }?.outcome == "duplicate")
        #expect(h.files("inbox") == [])
        #expect(h.files("inbox/processed") == ["body_weight.csv", "cronometer_dailysummary.csv", "weights-again.csv",
                                               "weights-again.csv.duplicate.txt"])
        #expect(try h.text("inbox/processed/weights-again.csv.duplicate.txt").contains("body_weight.csv"))
        #expect(h.files("inbox/rejected") == ["broken.csv", "broken.csv.reason.txt"])
        let reason = try h.text("inbox/rejected/broken.csv.reason.txt")
        #expect(reason.contains("broken.csv") && reason.contains("not an export fitdata reads") && reason.contains("header seen: when,what"))
        // the duplicate was not loaded again: one body-weight load in meta.loads
        #expect(try await h.int("SELECT count(*) FROM meta.loads WHERE kind = 'body_weight'") == 1)
        // only the models downstream of the changed source were built, and the diet marts now have the days
        #expect(second.step("build")?.outcome == .ok)
        #expect(second.step("build")?.selection == ["source:core.nutrition_days+"])
        #expect(second.step("build")?.note?.contains("rebuilt in full") == false)   // incremental, not --full-refresh
        #expect(second.step("test")?.outcome == .ok)
        // an incremental build tests the rows it rewrote (dbt_style_models' get_where_subquery, WhereSubqueryTests)
        #expect(second.step("test")?.note?.hasPrefix("the rows the incremental build rewrote (test_changed_rows_only), without JIT") == true)
        #expect(try await h.int("SELECT count(*) FROM marts.fct_nutrition_daily") > 0)
        #expect(try await h.int("SELECT count(*) FROM core.change_log") == 0)

        // run 3: nothing new anywhere: nothing is built, and the run succeeds
        let third = try await h.run()
        #expect(third.result.exitCode == 0)
        #expect(third.step("load")?.counts["files"] == 0)
        #expect(third.step("build")?.outcome == .skipped)
        #expect(third.step("build")?.note?.contains("nothing to build") == true)
        #expect(third.step("test")?.outcome == .skipped)
        let runs = try await h.rows("SELECT kind, outcome, exit_code::text, jsonb_array_length(steps)::text FROM meta.pipeline_runs ORDER BY run_id")
        #expect(runs.map { $0.compactMap { $0 } } == [["daily", "succeeded", "0", "5"], ["daily", "failed", "1", "5"], ["daily", "succeeded", "0", "5"]])
    }

    @Test("without HEVY_API_KEY the sync is skipped with the reason; without --inbox the load is skipped; a dead run is marked abandoned")
    func skippedSteps() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        // a run whose process died (its row left 'running') is marked abandoned by the next run, which holds the lock
        try await h.execute("INSERT INTO meta.pipeline_runs (kind, athlete_id, backend_pid) VALUES ('daily', 'me', 1)")
        let run = try await h.run { $0.inbox = nil }
        #expect(run.result.exitCode == 0)
        #expect(try await h.rows("SELECT outcome, exit_code::text FROM meta.pipeline_runs ORDER BY run_id").map { $0.compactMap { $0 } }
                == [["abandoned", "1"], ["succeeded", "0"]])
        #expect(run.step("sync")?.outcome == .skipped && run.step("sync")?.note == "skipped: HEVY_API_KEY is not set")
        #expect(run.step("load")?.outcome == .skipped && run.step("load")?.note == "skipped: no --inbox")
        #expect(run.step("build")?.outcome == .ok)           // the first run builds everything (empty marts)
    }
}
