import Foundation
import HevySync
import Testing

@Suite("Hevy sync: first run", .serialized)
struct FullSyncTests {
    @Test("first run lists the whole history, templates and body measurements; a rerun changes nothing")
    func firstFullSync() async throws {
        let h = try await SyncHarness.make()
        defer { h.close() }
        let report = try await h.sync()
        #expect(report.mode == "full")
        #expect(report.workoutsInserted == 23)
        #expect(report.templatesWritten == 120)
        #expect(report.bodyMeasurementsWritten == 15)
        #expect(report.apiWorkoutCount == 23 && report.coreWorkoutCount == 23)
        #expect(report.warnings.isEmpty)
        #expect(report.newWatermark != nil)

        // core
        #expect(try await h.int("SELECT count(*) FROM core.workouts WHERE source = 'hevy_api' AND deleted_at IS NULL") == 23)
        #expect(try await h.int("SELECT count(*) FROM core.workout_exercises") == 23 * 3)
        #expect(try await h.int("SELECT count(*) FROM core.sets") == 23 * 9)
        #expect(try await h.int("SELECT count(*) FROM core.sets WHERE set_type = 'warmup'") == 23 * 3)
        // start_local is the API start in the athlete's zone (UTC by default), truncated to the minute
        #expect(try await h.int("""
            SELECT count(*) FROM core.workouts
            WHERE start_local = date_trunc('minute', started_at AT TIME ZONE 'UTC') AND local_date = started_at::date
              AND ended_at > started_at AND api_updated_at IS NOT NULL
            """) == 23)
        #expect(try await h.int("SELECT count(*) FROM core.exercises WHERE hevy_template_id IS NOT NULL") == 120)
        #expect(try await h.int("SELECT count(*) FROM core.exercises WHERE is_custom") == 2)
        #expect(try await h.int("SELECT count(*) FROM core.exercises WHERE cardinality(secondary_muscle_groups) = 1") == 60)
        #expect(try await h.int("SELECT count(*) FROM core.exercise_aliases WHERE source = 'hevy_api'") == 120)
        // every block points at its template's exercise
        #expect(try await h.int("""
            SELECT count(*) FROM core.workout_exercises we JOIN core.exercises e USING (exercise_sk) WHERE e.exercise_type IS NULL
            """) == 0)
        #expect(try await h.int("SELECT count(*) FROM core.body_measurements WHERE source = 'hevy_api' AND weight_kg > 0") == 15)
        #expect(try await h.scalar("SELECT extra->>'waist' FROM core.body_measurements ORDER BY date LIMIT 1") == "82")

        // raw, meta
        #expect(try await h.int("SELECT count(*) FROM raw.hevy_api_payloads WHERE object_type = 'workout'") == 23)
        #expect(try await h.int("SELECT count(*) FROM raw.hevy_api_payloads WHERE object_type = 'exercise_template'") == 120)
        #expect(try await h.int("SELECT count(*) FROM raw.hevy_api_payloads WHERE object_type = 'body_measurement'") == 15)
        #expect(try await h.scalar("SELECT status FROM meta.loads WHERE kind = 'hevy_api'") == "succeeded")
        #expect(try await h.scalar("SELECT watermark > now() - interval '11 minutes' AND watermark < now() FROM meta.sync_watermarks WHERE athlete_id = 'me' AND source = 'hevy_api'") == "t")

        // polite and authenticated requests: page sizes, User-Agent, api-key header
        let log = try await h.requestLog()
        #expect(!log.isEmpty)
        #expect(log.allSatisfy { $0["user_agent"] as? String == "fitdata/\(HevySyncVersion.current)" })
        #expect(log.allSatisfy { $0["api_key_ok"] as? Bool == true })
        let workoutPages = log.filter { $0["path"] as? String == "/v1/workouts" }.compactMap { $0["query"] as? String }
        #expect(workoutPages == ["page=1&pageSize=10", "page=2&pageSize=10", "page=3&pageSize=10"])
        #expect(log.filter { $0["path"] as? String == "/v1/exercise_templates" }.compactMap { $0["query"] as? String }
                == ["page=1&pageSize=100", "page=2&pageSize=100"])

        // a second full run is harmless: nothing new in raw, nothing changed in core
        let digest = try await h.coreDigest()
        let again = try await h.sync { $0.full = true }
        #expect(again.workoutsUnchanged == 23 && again.workoutsInserted == 0 && again.workoutsUpdated == 0)
        #expect(again.templatesWritten == 0 && again.bodyMeasurementsWritten == 0 && again.newRawPayloads == 0)
        #expect(try await h.coreDigest() == digest)
    }

    @Test("a page past the last one answers 404 and ends the listing")
    func notFoundPastLastPage() async throws {
        let h = try await SyncHarness.make()
        defer { h.close() }
        try await h.onServer { try $0.control("config", ["page_count_extra": 1]) }   // page_count overstated by one
        let report = try await h.sync()
        #expect(report.workoutsInserted == 23)
        #expect(report.templatesWritten == 120 && report.bodyMeasurementsWritten == 15)
        let log = try await h.requestLog()
        let page4 = log.first { $0["path"] as? String == "/v1/workouts" && $0["query"] as? String == "page=4&pageSize=10" }
        #expect(page4?["status"] as? Int == 404)
        #expect(try await h.scalar("SELECT status FROM meta.loads") == "succeeded")
    }

    @Test("HEVY_API_KEY missing is a configuration error (exit 2); HEVY_API_URL is checked")
    func configuration() throws {
        #expect(throws: HevySyncError.self) { try SyncConfiguration.fromEnvironment([:]) }
        do {
            _ = try SyncConfiguration.fromEnvironment(["HEVY_API_KEY": "  "])
            Issue.record("blank key accepted")
        } catch let e as HevySyncError {
            #expect(e.exitCode == 2)
            #expect(e.description.contains("HEVY_API_KEY"))
        }
        let c = try SyncConfiguration.fromEnvironment(["HEVY_API_KEY": "abc-123"])
        #expect(c.baseURL.absoluteString == "https://api.hevyapp.com")
        #expect(c.userAgent.hasPrefix("fitdata/"))
        #expect(throws: HevySyncError.self) { try SyncConfiguration.fromEnvironment(["HEVY_API_KEY": "k", "HEVY_API_URL": "ftp://x"]) }
        #expect(try SyncConfiguration.parseSince("2026-01-31T10:00:00Z") == Date(timeIntervalSince1970: 1_769_853_600))
        #expect(try SyncConfiguration.parseSince("2026-01-31") == Date(timeIntervalSince1970: 1_769_817_600))
        #expect(throws: HevySyncError.self) { try SyncConfiguration.parseSince("yesterday") }
    }
}
