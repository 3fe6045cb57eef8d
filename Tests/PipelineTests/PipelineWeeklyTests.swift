import Foundation
import Pipeline
import PostgresClient
import Testing
import TestSupport

/// A stand-in for the report module: reads the freshly built report mart, so it can only succeed after the build.
struct MartReadingReport: WeeklyReportStep {
    func run(athleteID: String, connection: Connection) throws -> WeeklyReportOutput {
        let week = try connection.query("SELECT max(iso_week) FROM marts.mart_weekly_report WHERE athlete_id = $1", [athleteID]).scalar
        guard let week else { throw PipelineError.reportFailed("no week in marts.mart_weekly_report") }
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

    @Test("`fitdata pipeline weekly` on the real project: inbox loads, full build and tests, then the report of the last complete week (fake OpenAI server) and the dashboard; a rerun builds nothing and replaces only that week",
          .enabled(if: PythonHelper.enabled, Comment(rawValue: PythonHelper.skipReason)))
    func weeklyEndToEndWithAModel() async throws {
        let db = try TestDatabase.initialized(prefix: "weekly")
        defer { db.drop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-weekly-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let inbox = root.appendingPathComponent("inbox"), out = root.appendingPathComponent("reports")
        // a sample whose last day is the Sunday that ends the last complete ISO week in Lisbon, so `latest` has data
        var cal = Calendar(identifier: .iso8601)
        cal.timeZone = TimeZone(identifier: "Europe/Lisbon")!
        let thisMonday = cal.date(from: cal.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date()))!
        let lastSunday = cal.date(byAdding: .day, value: -1, to: thisMonday)!
        let f = DateFormatter()
        f.calendar = cal; f.timeZone = cal.timeZone; f.locale = Locale(identifier: "en_US_POSIX"); f.dateFormat = "yyyy-MM-dd"
        let sample = try FitdataProcess.run(["sample", "--weeks", "6", "--end-date", f.string(from: lastSunday), "--out", inbox.path])
        #expect(sample.status == 0, "\(sample.stderr)")
        f.dateFormat = "YYYY-'W'ww"
        let week = f.string(from: lastSunday)

        let key = "fake-openai-CANARY-\(UUID().uuidString)"
        let llm = try PythonHelper(script: "Tests/LLMProvidersTests/fake_llm/fake_llm_server.py",
                                   arguments: ["--port", "0", "--provider", "openai", "--key", key])
        defer { llm.stop() }
        let env = ["DATABASE_URL": db.conninfo, "HEVY_API_KEY": "", "ANTHROPIC_API_KEY": "",
                   "OPENAI_API_KEY": key, "OPENAI_BASE_URL": "http://127.0.0.1:\(llm.port)/v1"]
        let args = ["pipeline", "weekly", "--athlete", "me", "--timezone", "Europe/Lisbon", "--inbox", inbox.path,
                    "--project-dir", TestPaths.repoRoot.appendingPathComponent("dbt_style_models").path,
                    "--out", out.path, "--llm", "openai", "--log-format", "json"]
        let run = try await onThread { try FitdataProcess.run(args, environment: env) }
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == run.stdout.split(separator: "\n").count, "every stdout line is JSON")
        #expect(lines.map { $0["step"] as? String } == ["lock", "sync", "load", "build", "test", "report", "pipeline"])
        #expect(lines.allSatisfy { ["ok", "skipped"].contains($0["outcome"] as? String ?? "") }, "\(lines)")
        for ext in ["md", "html", "json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("me/\(week).\(ext)").path), "\(week).\(ext)")
        }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("me/dashboard.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.appendingPathComponent("processed").path).filter { !$0.hasPrefix(".") }.count == 3)
        let c = try db.connect(); defer { c.close() }
        #expect(try c.query("SELECT provider || ' ' || iso_week FROM meta.reports WHERE athlete_id = 'me'").rows.map { $0[0] } == ["openai \(week)"])
        #expect(try c.query("SELECT kind || ' ' || outcome FROM meta.pipeline_runs").rows.map { $0[0] } == ["weekly succeeded"])
        #expect(!run.stdout.contains(key) && !run.stderr.contains(key))

        // again: nothing new, so nothing is built; the report of the same week is replaced (still one row)
        let again = try await onThread { try FitdataProcess.run(args, environment: env) }
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        let build = again.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .first { $0["step"] as? String == "build" }
        #expect(build?["outcome"] as? String == "skipped", "\(String(describing: build))")
        // the weekly run audits every row all the same (the daily runs leave the whole-history audits to it)
        let test = again.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .first { $0["step"] as? String == "test" }
        #expect(test?["outcome"] as? String == "ok" && test?["note"] as? String == "every row", "\(String(describing: test))")
        #expect(try c.query("SELECT count(*) FROM meta.reports").scalar == "1")
    }
}
