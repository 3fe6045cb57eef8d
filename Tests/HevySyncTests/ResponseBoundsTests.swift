import Foundation
import HevySync
import Testing

/// Response size cap and total request deadline (issue 10, item 7).
@Suite("Hevy sync: bounded responses", .serialized)
struct ResponseBoundsTests {
    @Test("a body over the cap fails the run at once with a clear error, announced or not; the load is marked failed")
    func hugeBody() async throws {
        let h = try await SyncHarness.make(workouts: 2, templates: 5, bodyMeasurements: 1)
        defer { h.close() }
        // 64 MiB streamed without a length, against a 1 MiB cap
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "times": -1, "huge": 64 << 20]]) }
        let error = try await h.syncFailure { $0.maxResponseBytes = 1 << 20 }
        guard case .responseTooLarge(let call, 1_048_576) = error else { Issue.record("got \(error)"); return }
        #expect(call == "GET /v1/workouts?page=1&pageSize=10")
        #expect(error.description.contains("larger than 1 MiB (--max-response-mb)"))
        #expect(error.exitCode == 1)
        #expect(try await h.requestLog().filter { $0["path"] as? String == "/v1/workouts" }.count == 1)   // not retried
        #expect(try await h.scalar("SELECT status FROM meta.loads") == "failed")
        #expect(try await h.int("SELECT count(*) FROM meta.sync_watermarks") == 0)

        // announced by Content-Length: refused before reading
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "times": -1, "huge": 64 << 20, "declare_length": true]]) }
        let announced = try await h.syncFailure { $0.maxResponseBytes = 1 << 20 }
        guard case .responseTooLarge = announced else { Issue.record("got \(announced)"); return }

        // the default cap lets ordinary pages through
        try await h.onServer { try $0.setFaults([]) }
        #expect(try await h.sync().workoutsInserted == 2)
    }

    @Test("a server trickling bytes is cut at the total deadline (the idle timeout never fires) and retried")
    func tricklingServer() async throws {
        let h = try await SyncHarness.make(workouts: 2, templates: 5, bodyMeasurements: 1)
        defer { h.close() }
        // a byte every 0.2 s for 120 s: never 5 s idle, so only the deadline can stop it
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "times": -1, "trickle": 120.0, "interval": 0.2]]) }
        let started = Date()
        let error = try await h.syncFailure {
            $0.requestTimeout = 5
            $0.requestDeadline = 2
            $0.retry.maxAttempts = 2
        }
        guard case .retriesExhausted(let call, 2, let last) = error else { Issue.record("got \(error)"); return }
        #expect(call == "GET /v1/workouts?page=1&pageSize=10")
        #expect(last == "still unfinished after the 2 s request deadline")
        #expect(Date().timeIntervalSince(started) < 60)   // generous: two 2 s attempts, far below one trickle
        #expect(try await h.scalar("SELECT status FROM meta.loads") == "failed")
    }
}
