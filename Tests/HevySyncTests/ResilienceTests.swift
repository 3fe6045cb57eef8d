import Foundation
import HevySync
import Testing

@Suite("Hevy sync: HTTP failures", .serialized)
struct ResilienceTests {
    @Test("429 waits for Retry-After; a Retry-After over the ceiling fails the run")
    func rateLimited() async throws {
        let h = try await SyncHarness.make(workouts: 12)
        defer { h.close() }
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "page": 2, "times": 1, "status": 429, "retry_after": "1"]]) }
        let started = Date()
        let report = try await h.sync()
        #expect(Date().timeIntervalSince(started) >= 1.0)
        #expect(report.workoutsInserted == 12)
        #expect(report.retries == 1)
        #expect(h.logs.text.contains("HTTP 429; retrying in 1.0 s"))

        try await h.onServer { try $0.setFaults([["path": "/v1/workouts/events", "times": 1, "status": 429, "retry_after": "3600"]]) }
        let watermark = try await h.scalar("SELECT watermark FROM meta.sync_watermarks")
        let error = try await h.syncFailure()
        guard case .rateLimited(_, let after) = error else { Issue.record("expected rateLimited, got \(error)"); return }
        #expect(after == 3600)
        #expect(error.exitCode == 1)
        #expect(try await h.scalar("SELECT watermark FROM meta.sync_watermarks") == watermark)
    }

    @Test("transient 500s are retried; persistent 5xx fail without moving the watermark, and a rerun converges")
    func serverErrors() async throws {
        let h = try await SyncHarness.make()
        defer { h.close() }
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "page": 1, "times": 2, "status": 500]]) }
        let report = try await h.sync()
        #expect(report.workoutsInserted == 23 && report.retries == 2)

        // an incremental run whose events feed keeps failing
        try await h.onServer { server in
            try server.control("workouts", ["workouts": [["id": "new-1", "title": "New", "start_time": "2026-03-01T10:00:00Z",
                                                          "end_time": "2026-03-01T11:00:00Z", "exercises": []]]])
            try server.setFaults([["path": "/v1/workouts/events", "times": -1, "status": 503]])
        }
        let watermark = try await h.scalar("SELECT watermark FROM meta.sync_watermarks")
        let error = try await h.syncFailure()
        guard case .retriesExhausted(let call, let attempts, let last) = error else { Issue.record("got \(error)"); return }
        #expect(call.hasPrefix("GET /v1/workouts/events?page=1&pageSize=10&since="))
        #expect(attempts == 4 && last == "HTTP 503")
        #expect(try await h.scalar("SELECT watermark FROM meta.sync_watermarks") == watermark)
        #expect(try await h.scalar("SELECT status || ' ' || (summary->>'error' IS NOT NULL) FROM meta.loads ORDER BY load_id DESC LIMIT 1") == "failed true")

        try await h.onServer { try $0.setFaults([]) }
        let rerun = try await h.sync()
        #expect(rerun.workoutsInserted == 1)
        #expect(try await h.int("SELECT count(*) FROM core.workouts") == 24)
    }

    @Test("timeouts are retried; a server that never answers in time fails the run")
    func timeouts() async throws {
        let h = try await SyncHarness.make(workouts: 5)
        defer { h.close() }
        // (FoundationNetworking's timeouts are unreliable below 1 s; the transport never uses less)
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "page": 1, "times": 1, "delay": 2.0]]) }
        let report = try await h.sync { $0.requestTimeout = 1 }
        #expect(report.workoutsInserted == 5 && report.retries == 1)
        #expect(h.logs.text.contains("timed out; retrying"))

        try await h.onServer { try $0.setFaults([["path": "/v1/workouts/events", "times": -1, "delay": 2.0]]) }
        let error = try await h.syncFailure {
            $0.requestTimeout = 1
            $0.retry.maxAttempts = 2
        }
        guard case .retriesExhausted(_, 2, "timed out") = error else { Issue.record("got \(error)"); return }
    }

    @Test("a dead server fails the run after the retries, with no watermark")
    func deadServer() async throws {
        let h = try await SyncHarness.make(workouts: 1)
        defer { h.close() }
        h.server.stop()
        let error = try await h.syncFailure()
        guard case .retriesExhausted(let call, 4, let last) = error else { Issue.record("got \(error)"); return }
        #expect(call == "GET /v1/exercise_templates?page=1&pageSize=100")
        #expect(last.contains("cannot connect"))
        #expect(error.exitCode == 1)
        #expect(try await h.int("SELECT count(*) FROM meta.sync_watermarks") == 0)
        #expect(try await h.scalar("SELECT status FROM meta.loads") == "failed")
    }

    @Test("a connection dropped without an answer is retried")
    func droppedConnection() async throws {
        let h = try await SyncHarness.make(workouts: 3)
        defer { h.close() }
        try await h.onServer { try $0.setFaults([["path": "/v1/body_measurements", "times": 1, "drop": true]]) }
        let report = try await h.sync()
        #expect(report.workoutsInserted == 3 && report.bodyMeasurementsWritten == 15)
        // libcurl resends at once on a reused connection, else the client retries: either way twice on the wire
        let firstPage = try await h.requestLog().filter { $0["path"] as? String == "/v1/body_measurements" && $0["query"] as? String == "page=1&pageSize=10" }
        #expect(firstPage.count == 2)
    }

    @Test("malformed JSON is kept in raw.rejects with the URL; the run fails and a rerun converges")
    func malformedJSON() async throws {
        let h = try await SyncHarness.make()
        defer { h.close() }
        let truncated = #"{"page": 2, "page_count": 3, "workouts": [{"id": "x", "title": "#
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "page": 2, "times": 1, "body": truncated]]) }
        let error = try await h.syncFailure()
        guard case .malformedResponse(let call, let url, _) = error else { Issue.record("got \(error)"); return }
        #expect(call == "GET /v1/workouts?page=2&pageSize=10")
        let reject = try await h.rows("SELECT source_name, raw_record, reason FROM raw.rejects")
        #expect(reject.count == 1)
        #expect(reject.first?[0] == url && url.hasPrefix(h.server.baseURL.absoluteString))
        #expect(reject.first?[1] == truncated)
        #expect(try await h.int("SELECT count(*) FROM meta.sync_watermarks") == 0)
        #expect(try await h.int("SELECT count(*) FROM core.workouts") == 10)   // page 1 committed

        let rerun = try await h.sync()
        #expect(rerun.mode == "full" && rerun.workoutsInserted == 13 && rerun.workoutsUnchanged == 10)
        #expect(try await h.int("SELECT count(DISTINCT hevy_workout_id) FROM core.workouts") == 23)
    }
}
