import Foundation
import Pipeline
import PostgresClient
import Testing

/// A stand-in for the report module: reads the freshly built report mart, so it can only succeed after the build.
struct MartReadingReport: WeeklyReportStep {
    func run(athleteID: String, connection: Connection) throws -> WeeklyReportOutput {
        let week = try connection.query("SELECT max(iso_week) FROM marts.mart_weekly_report WHERE athlete_id = $1", [athleteID]).scalar
        guard let week else { throw PipelineError.reportNotConnected("no week in marts.mart_weekly_report") }
        return WeeklyReportOutput(week: week, locations: ["memory://\(athleteID)/\(week).html"])
    }
}

@Suite("pipeline weekly", .serialized)
struct PipelineWeeklyTests {
    @Test("weekly runs the daily steps, then the report step on the built marts; skipped when the tests failed")
    func weeklyReportStep() async throws {
        let h = try await PipelineHarness.make(hevy: true)
        defer { h.close() }
        let run = try await h.run(.weekly, report: MartReadingReport())
        #expect(run.result.exitCode == 0, "\(run.records.map(\.textLine))")
        #expect(run.records.map(\.step) == ["lock", "sync", "load", "build", "test", "report", "pipeline"])
        #expect(run.step("report")?.outcome == .ok && run.step("report")?.counts["files"] == 1)
        #expect(run.step("report")?.note?.hasPrefix("20") == true)
        #expect(try await h.scalar("SELECT kind FROM meta.pipeline_runs") == "weekly")

        try await h.execute("UPDATE public.pipeline_faults SET fail_test = true")
        try h.drop(text: "date,weight_kg\n2026-11-30,80.5\n", as: "w.csv")
        let failed = try await h.run(.weekly, report: MartReadingReport())
        #expect(failed.result.exitCode == 1)
        #expect(failed.step("report")?.outcome == .skipped)
        #expect(failed.step("report")?.note?.contains("data tests failed") == true)
    }

    @Test("until the report module is connected, `fitdata pipeline weekly` fails the report step with a clear message (exit 1)")
    func weeklyCLINotConnected() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        let out = try await h.cli(["pipeline", "weekly", "--project-dir", h.project.path])
        #expect(out.status == 1)
        #expect(out.stdout.contains("report: failed"))
        #expect(out.stdout.contains("the weekly report step is not connected in this build of fitdata"))
        #expect(out.stdout.contains("test: ok"))                 // the daily steps ran
    }
}
