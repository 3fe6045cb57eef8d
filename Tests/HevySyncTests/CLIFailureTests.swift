import Foundation
import HevySync
import Testing

/// The built `fitdata sync hevy`: a wrong URL and a killed run (issue 10, items 3 and 8).
@Suite("Hevy sync: the CLI on a wrong URL and when killed", .serialized)
struct CLIFailureTests {
    @Test("a HEVY_API_URL answering 404 exits 2 naming the URL without its password; the watermark does not move")
    func wrongURLIsAnError() async throws {
        let h = try await SyncHarness.make(workouts: 3, templates: 5, bodyMeasurements: 2)
        defer { h.close() }
        let cli = SyncCLI(harness: h)
        let wrong = "http://someone:pa55word-x@127.0.0.1:\(h.server.port)/not-hevy"

        // first run (full) on the wrong URL: nothing claimed, no watermark
        let first = try await cli.run(apiURL: wrong)
        #expect(first.status == 2, "stdout: \(first.stdout) stderr: \(first.stderr)")
        #expect(first.stderr.contains("HTTP 404 from http://someone:***@127.0.0.1:\(h.server.port)/not-hevy/v1/exercise_templates?page=1"))
        #expect(first.stderr.contains("check HEVY_API_URL"))
        #expect(try await h.int("SELECT count(*) FROM meta.sync_watermarks") == 0)
        #expect(try await h.scalar("SELECT status FROM meta.loads") == "failed")

        // a good run, then an incremental run on the wrong URL: the watermark stays where it was
        let good = try await cli.run()
        #expect(good.status == 0, "stderr: \(good.stderr)")
        let watermark = try await h.scalar("SELECT watermark::text FROM meta.sync_watermarks")
        #expect(watermark != nil)
        let again = try await cli.run(apiURL: wrong)
        #expect(again.status == 2)
        #expect(again.stderr.contains("/not-hevy/v1/workouts/events?page=1"))
        #expect(try await h.scalar("SELECT watermark::text FROM meta.sync_watermarks") == watermark)
        for text in [first.stdout, first.stderr, again.stdout, again.stderr] {
            #expect(!text.contains("pa55word-x") && !text.contains(h.apiKey))
        }
        #expect(try await h.int("SELECT count(*) FROM raw.rejects WHERE source_name LIKE '%pa55word%'") == 0)
    }

    @Test("a 404 on /v1/workouts/count fails the run instead of skipping the check")
    func countNotFound() async throws {
        let h = try await SyncHarness.make(workouts: 3, templates: 5, bodyMeasurements: 2)
        defer { h.close() }
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts/count", "times": -1, "status": 404]]) }
        let error = try await h.syncFailure()
        guard case .notFound(let call, let url) = error else { Issue.record("got \(error)"); return }
        #expect(call == "GET /v1/workouts/count" && url.hasSuffix("/v1/workouts/count"))
        #expect(error.exitCode == 2)
        #expect(try await h.int("SELECT count(*) FROM meta.sync_watermarks") == 0)
    }

    @Test("a 404 on the first body-measurements page is an empty listing, as the contract documents it")
    func noBodyMeasurements() async throws {
        let h = try await SyncHarness.make(workouts: 2, templates: 5, bodyMeasurements: 0)
        defer { h.close() }
        try await h.onServer { try $0.setFaults([["path": "/v1/body_measurements", "times": -1, "status": 404]]) }
        let report = try await h.sync()
        #expect(report.workoutsInserted == 2 && report.bodyMeasurementsWritten == 0 && report.newWatermark != nil)
    }

    @Test("a sync killed with SIGKILL leaves its load running; the next run marks it abandoned")
    func killedSyncIsAbandoned() async throws {
        let h = try await SyncHarness.make(workouts: 3, templates: 5, bodyMeasurements: 2)
        defer { h.close() }
        // the workouts listing hangs, so the process is killed mid-sync with its meta.loads row open
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "times": 1, "delay": 60.0]]) }
        let process = try SyncCLI(harness: h).start()
        var waiting = false
        for _ in 0..<600 where !waiting {
            waiting = try await h.requestLog().contains { $0["path"] as? String == "/v1/workouts" }
            if !waiting { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(waiting, "the sync never reached the workouts listing")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try await h.rows("SELECT status FROM meta.loads").map { $0[0]! } == ["running"])

        // a CSV load whose connection is gone is abandoned too; a running load of a live session is not
        let live = try h.database.connect()
        defer { live.close() }
        let liveLoad = try live.query("INSERT INTO meta.loads (kind, athlete_id) VALUES ('hevy_csv', 'other') RETURNING load_id").scalar!
        let gone = try h.database.connect()
        let goneLoad = try gone.query("INSERT INTO meta.loads (kind, athlete_id) VALUES ('hevy_csv', 'other') RETURNING load_id").scalar!
        gone.close()

        try await h.onServer { try $0.setFaults([]) }
        let report = try await h.sync()
        #expect(report.mode == "full" && report.workoutsInserted == 3)
        let statuses = try await h.rows("SELECT load_id::text, kind, status, summary->>'error' FROM meta.loads ORDER BY load_id")
        #expect(statuses.count == 4)
        #expect(statuses[0][1] == "hevy_api" && statuses[0][2] == "abandoned")
        #expect(statuses[0][3]?.contains("ended without finishing") == true)
        #expect(statuses.first { $0[0] == goneLoad }?[2] == "abandoned")
        #expect(statuses.first { $0[0] == liveLoad }?[2] == "running")
        #expect(statuses.last?[2] == "succeeded")
        // finished loads hold no lock afterwards
        #expect(try await h.rows("""
            SELECT objid::text FROM pg_locks
            WHERE locktype = 'advisory' AND objsubid = 2 AND classid::bigint = meta.load_lock_class()
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """).map { $0[0] } == [liveLoad])
    }
}
