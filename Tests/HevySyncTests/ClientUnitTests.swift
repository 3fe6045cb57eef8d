import Foundation
@testable import HevySync
import Testing
import HTTPKit

@Suite("Hevy sync: client pieces without a server")
struct ClientUnitTests {
    @Test("Retry-After accepts delta-seconds and HTTP dates")
    func retryAfter() {
        #expect(RetryPolicy.retryAfter("7") == 7)
        #expect(RetryPolicy.retryAfter(" 0 ") == 0)
        #expect(RetryPolicy.retryAfter(nil) == nil)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let wait = RetryPolicy.retryAfter(f.string(from: Date().addingTimeInterval(30))) ?? -1
        #expect(wait > 25 && wait <= 30)
    }

    @Test("backoff grows exponentially with jitter and stays under the ceiling")
    func backoff() {
        let p = RetryPolicy(maxAttempts: 6, baseDelay: 1, maxDelay: 8)
        for attempt in 1...6 {
            let exp = min(8, pow(2, Double(attempt - 1)))
            for _ in 0..<50 {
                let d = p.backoff(afterAttempt: attempt)
                #expect(d >= exp / 2 && d <= exp)
            }
        }
    }

    @Test("the key is redacted from quoted text; call descriptions carry no key")
    func redaction() {
        let config = SyncConfiguration(baseURL: URL(string: "http://127.0.0.1:9/prefix/")!, apiKey: "5e3f-secret")
        let client = HevyAPIClient(configuration: config)
        #expect(client.redact("body 5e3f-secret end") == "body [redacted] end")
        let call = client.call("/v1/workouts", [("page", "2"), ("pageSize", "10")])
        #expect(call.url.absoluteString == "http://127.0.0.1:9/prefix/v1/workouts?page=2&pageSize=10")
        #expect(call.description == "GET /v1/workouts?page=2&pageSize=10")
    }

    @Test("models decode the spec's shapes defensively")
    func models() throws {
        let json = """
            {"page": 1, "page_count": 1, "events": [
              {"type": "updated", "workout": {"id": "w1", "title": "T", "start_time": "2024-01-01T10:00:00Z",
               "end_time": "2024-01-01T11:00:00Z", "exercises": [{"index": 0.0, "title": "Row", "exercise_template_id": "ABCD1234",
               "superset_id": 2, "sets": [{"index": 0, "type": "dropset", "weight_kg": 20.5, "reps": 8.0, "rpe": 6.5}]}]}},
              {"type": "deleted", "id": "w2", "deleted_at": "2024-02-01T00:00:00Z"},
              {"type": "archived", "id": "w3"},
              {"type": "updated", "workout": {"id": "w4"}}
            ]}
            """
        let page = try JSONDecoder().decode(PageOf<EventsPageTag>.self, from: Data(json.utf8))
        #expect(page.items.count == 4)
        guard case .success(.updated(let w)) = page.items[0].result else { Issue.record("event 0"); return }
        #expect(w.exercises[0].supersetID == 2 && w.exercises[0].sets[0].reps == 8 && w.exercises[0].sets[0].type == "dropset")
        guard case .success(.deleted("w2", "2024-02-01T00:00:00Z")) = page.items[1].result else { Issue.record("event 1"); return }
        guard case .success(.unknown("archived")) = page.items[2].result else { Issue.record("event 2"); return }
        guard case .failure(let failure) = page.items[3].result else { Issue.record("event 3 decoded"); return }
        #expect(failure.description.contains("start_time"))
    }
}
