import Foundation
import HevySync
import TestSupport
import Testing

/// The API key on redirects and in text the server sends back (issue 10, item 5).
@Suite("Hevy sync: the key on redirects and in echoed text", .serialized)
struct SecretTests {
    @Test("a redirect to another origin does not carry the api-key header; a same-origin redirect does")
    func crossOriginRedirectDropsKey() async throws {
        let h = try await SyncHarness.make(workouts: 2, templates: 5, bodyMeasurements: 1)
        defer { h.close() }
        let other = try FakeHevyServer(apiKey: "other-server-key", workouts: 0, templates: 0, bodyMeasurements: 0)
        defer { other.stop() }
        try await h.onServer {
            try $0.setFaults([["path": "/v1/exercise_templates", "times": 1, "redirect": other.baseURL.absoluteString]])
        }
        let error = try await h.syncFailure()
        guard case .unauthorized(401, _) = error else { Issue.record("got \(error)"); return }
        let seen = try await onThread { Unchecked(value: try other.requestLog()) }.value
        #expect(seen.count == 1)
        #expect(seen.first?["path"] as? String == "/v1/exercise_templates")
        #expect(seen.allSatisfy { $0["api_key_sent"] as? Bool == false })

        // the same origin: followed with the key
        try await h.onServer {
            try $0.setFaults([["path": "/v1/exercise_templates", "times": 1, "redirect": h.server.baseURL.absoluteString]])
        }
        let report = try await h.sync()
        #expect(report.templatesWritten == 5 && report.workoutsInserted == 2)
        let log = try await h.requestLog().filter { $0["path"] as? String == "/v1/exercise_templates" }
        #expect(log.suffix(2).allSatisfy { $0["api_key_ok"] as? Bool == true })
        #expect(log.suffix(2).map { $0["status"] as? Int } == [302, 200])
    }

    @Test("a key echoed inside a valid payload is stored nowhere: raw payloads, titles, notes, descriptions")
    func echoedKeyIsRedacted() async throws {
        let h = try await SyncHarness.make(workouts: 1, templates: 5, bodyMeasurements: 1)
        defer { h.close() }
        let key = h.apiKey
        let escaped = key.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined()
        try await h.onServer { server in
            try server.control("workouts", ["workouts": [[
                "id": "echo-1", "title": "Legs \(key)", "routine_id": NSNull(), "description": "key=\(key);",
                "start_time": "2026-03-01T10:00:00Z", "end_time": "2026-03-01T11:00:00Z",
                "exercises": [["index": 0, "title": "Exercise 000 (Barbell)", "notes": "\(key)", "exercise_template_id": "00001000",
                               "supersets_id": NSNull(), "sets": [["index": 0, "type": "normal", "weight_kg": 100.25, "reps": 5,
                                                                   "distance_meters": NSNull(), "duration_seconds": NSNull(),
                                                                   "rpe": NSNull(), "custom_metric": NSNull()]]]],
            ]]])
            // the second page of the listing spells the key with \u escapes, in a value and in a key
            try server.control("config", ["page_count_extra": 1])
            try server.setFaults([["path": "/v1/workouts", "page": 2, "times": 1, "body": """
                {"page": 2, "page_count": 2, "workouts": [{"id": "echo-2", "title": "Upper \(escaped)", "routine_id": null,
                 "description": null, "start_time": "2026-03-02T10:00:00Z", "end_time": "2026-03-02T11:00:00Z",
                 "updated_at": "2026-03-02T11:00:00Z", "created_at": "2026-03-02T11:00:00Z",
                 "extra": {"\(escaped)": 1.50}, "exercises": []}]}
                """]])
        }
        let report = try await h.sync()
        #expect(report.workoutsInserted == 3)
        #expect(try await h.scalar("SELECT title FROM core.workouts WHERE hevy_workout_id = 'echo-1'") == "Legs [redacted]")
        #expect(try await h.scalar("SELECT description FROM core.workouts WHERE hevy_workout_id = 'echo-1'") == "key=[redacted];")
        #expect(try await h.scalar("SELECT title FROM core.workouts WHERE hevy_workout_id = 'echo-2'") == "Upper [redacted]")
        #expect(try await h.scalar("""
            SELECT we.notes FROM core.workout_exercises we JOIN core.workouts w USING (workout_sk) WHERE w.hevy_workout_id = 'echo-1'
            """) == "[redacted]")
        // numbers are kept exactly, the redacted key of an object too
        #expect(try await h.scalar("SELECT payload->'extra'->>'[redacted]' FROM raw.hevy_api_payloads WHERE object_id = 'echo-2'") == "1.50")
        #expect(try await h.scalar("SELECT payload #>> '{exercises,0,sets,0,weight_kg}' FROM raw.hevy_api_payloads WHERE object_id = 'echo-1'") == "100.25")
        #expect(try await h.int("""
            SELECT (SELECT count(*) FROM raw.hevy_api_payloads WHERE payload::text LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM core.workouts WHERE concat(title, description) LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM core.workout_exercises WHERE notes LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM raw.rejects WHERE concat(source_name, reason, raw_record) LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM meta.loads WHERE summary::text LIKE '%' || $1 || '%')
            """, [key]) == 0)
        #expect(!h.logs.text.contains(key))
    }
}
