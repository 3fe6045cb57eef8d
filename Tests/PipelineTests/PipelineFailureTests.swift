import Foundation
import Pipeline
import Testing

/// A failure injected in each step leaves the data consistent, and the next run succeeds.
@Suite("pipeline: a failure in each step, then a rerun", .serialized)
struct PipelineFailureTests {
    /// A body-weight file with one weigh-in on `date`.
    static func weighIn(_ date: String, _ kg: String) -> String { "date,weight_kg\n\(date),\(kg)\n" }

    @Test("sync error: the watermark stays, the rest of the run goes on; the next run syncs")
    func syncError() async throws {
        let h = try await PipelineHarness.make(hevy: true)
        defer { h.close() }
        #expect(try await h.run().result.exitCode == 0)
        let watermark = try await h.scalar("SELECT watermark::text FROM meta.sync_watermarks")
        try h.server!.setFaults([["path": "/v1/workouts/events", "times": -1, "status": 500]])
        try h.drop(text: Self.weighIn("2026-11-30", "80.5"), as: "w1.csv")
        let failed = try await h.run()
        #expect(failed.result.exitCode == 1)
        #expect(failed.step("sync")?.outcome == .failed)
        #expect(failed.step("sync")?.error?.contains("/v1/workouts/events") == true)
        #expect(failed.step("load")?.outcome == .ok && failed.step("build")?.outcome == .ok)   // the load went on
        #expect(try await h.scalar("SELECT watermark::text FROM meta.sync_watermarks") == watermark)
        #expect(try await h.int("SELECT count(*) FROM marts.fct_body_weight_daily WHERE date = '2026-11-30' AND weight_kg = 80.5") == 1)
        #expect(try await h.scalar("SELECT status FROM meta.loads WHERE kind = 'hevy_api' ORDER BY load_id DESC LIMIT 1") == "failed")

        try h.server!.setFaults([])
        let rerun = try await h.run()
        #expect(rerun.result.exitCode == 0)
        #expect(rerun.step("sync")?.outcome == .ok)
        #expect(try await h.scalar("SELECT watermark::text FROM meta.sync_watermarks") != watermark)
    }

    @Test("load error (the database refuses the rows): the file stays in the inbox, nothing of it lands; the next run loads it")
    func loadError() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        try await h.execute("""
            CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected load failure'; END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON core.body_measurements FOR EACH ROW EXECUTE FUNCTION public.refuse();
            """)
        try h.drop("body_weight.csv")
        let failed = try await h.run()
        #expect(failed.result.exitCode == 1)
        let load = try #require(failed.step("load"))
        #expect(load.outcome == .failed && load.counts["failed"] == 1 && load.counts["rejected"] == 0)
        #expect(load.files?.first?.detail?.contains("injected load failure") == true)
        #expect(h.files("inbox") == ["body_weight.csv"])                 // not the file's fault: left for the next run
        #expect(h.files("inbox/rejected").isEmpty)
        #expect(try await h.int("SELECT count(*) FROM core.body_measurements") == 0)
        #expect(try await h.int("SELECT count(*) FROM raw.files") == 0)

        try await h.execute("DROP TRIGGER refuse ON core.body_measurements")
        let rerun = try await h.run()
        #expect(rerun.result.exitCode == 0)
        #expect(rerun.step("load")?.counts["loaded"] == 1)
        #expect(h.files("inbox/processed") == ["body_weight.csv"])
        #expect(try await h.int("SELECT count(*) FROM marts.fct_body_weight_daily WHERE weight_kg IS NOT NULL") > 0)
    }

    @Test("build error: the failing model keeps its last good table, tests are skipped, nothing is recorded; the next run rebuilds")
    func buildError() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        try h.drop("body_weight.csv")
        #expect(try await h.run().result.exitCode == 0)
        let before = try await h.int("SELECT weigh_ins FROM intermediate.zz_pipeline_fault")
        let stored = try await h.scalar("SELECT change_id::text FROM meta.mart_watermark")

        try await h.execute("UPDATE public.pipeline_faults SET divisor = 0")
        try h.drop(text: Self.weighIn("2026-11-30", "80.5"), as: "w1.csv")
        let failed = try await h.run()
        #expect(failed.result.exitCode == 1)
        #expect(failed.step("build")?.outcome == .failed)
        #expect(failed.step("build")?.error?.contains("zz_pipeline_fault") == true)
        #expect(failed.step("test")?.outcome == .skipped)
        #expect(try await h.int("SELECT weigh_ins FROM intermediate.zz_pipeline_fault") == before)   // the old table, whole
        #expect(try await h.scalar("SELECT change_id::text FROM meta.mart_watermark") == stored)

        try await h.execute("UPDATE public.pipeline_faults SET divisor = 1")
        let rerun = try await h.run()                         // loads nothing, but rebuilds what the failed run did not finish
        #expect(rerun.result.exitCode == 0)
        #expect(rerun.step("load")?.counts["files"] == 0)
        #expect(rerun.step("build")?.selection == ["source:core.body_measurements+"])
        #expect(try await h.int("SELECT weigh_ins FROM intermediate.zz_pipeline_fault") == before + 1)
        #expect(try await h.scalar("SELECT change_id::text FROM meta.mart_watermark") != stored)
    }

    @Test("test failure: the run fails and records nothing, so the next run builds and tests the same models again")
    func testFailure() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        try h.drop("body_weight.csv")
        #expect(try await h.run().result.exitCode == 0)
        let stored = try await h.scalar("SELECT change_id::text FROM meta.mart_watermark")

        try await h.execute("UPDATE public.pipeline_faults SET fail_test = true")
        try h.drop(text: Self.weighIn("2026-11-30", "80.5"), as: "w1.csv")
        let failed = try await h.run()
        #expect(failed.result.exitCode == 1)
        #expect(failed.step("build")?.outcome == .ok)
        #expect(failed.step("test")?.outcome == .failed && failed.step("test")?.counts["fail"] == 1)
        #expect(failed.step("test")?.error?.contains("assert_pipeline_fault_switch") == true)
        #expect(try await h.scalar("SELECT change_id::text FROM meta.mart_watermark") == stored)

        let again = try await h.run()                          // still failing: the same models are tested again
        #expect(again.result.exitCode == 1 && again.step("test")?.counts["fail"] == 1)

        try await h.execute("UPDATE public.pipeline_faults SET fail_test = false")
        let rerun = try await h.run()
        #expect(rerun.result.exitCode == 0)
        #expect(rerun.step("build")?.selection == ["source:core.body_measurements+"])
        #expect(rerun.step("test")?.outcome == .ok)
        #expect(try await h.scalar("SELECT change_id::text FROM meta.mart_watermark") != stored)
        #expect(try await h.int("SELECT count(*) FROM marts.fct_body_weight_daily WHERE date = '2026-11-30' AND weight_kg = 80.5") == 1)
    }
}
