import Foundation
import HevySync
import Testing

@Suite("Hevy sync: incremental runs", .serialized)
struct IncrementalSyncTests {
    /// A workout body in the API's shape.
    static func workout(id: String, title: String, start: String, end: String, exercises: [[String: Any]]) -> [String: Any] {
        ["id": id, "title": title, "routine_id": NSNull(), "description": "edited", "start_time": start, "end_time": end,
         "exercises": exercises]
    }

    static func exercise(_ templateID: String, _ title: String, sets: [[String: Any]]) -> [String: Any] {
        ["index": 0, "title": title, "notes": NSNull(), "exercise_template_id": templateID, "supersets_id": NSNull(), "sets": sets]
    }

    static func set(_ index: Int, weight: Double, reps: Int, rpe: Any = NSNull(), type: String = "normal") -> [String: Any] {
        ["index": index, "type": type, "weight_kg": weight, "reps": reps, "distance_meters": NSNull(),
         "duration_seconds": NSNull(), "rpe": rpe, "custom_metric": NSNull()]
    }

    @Test("edited, deleted and new workouts arrive through the events feed; replaying events changes nothing")
    func incrementalAndReplay() async throws {
        let h = try await SyncHarness.make()
        defer { h.close() }
        _ = try await h.sync()
        let firstWatermark = try await h.scalar("SELECT watermark FROM meta.sync_watermarks")
        let ids = try await h.rows("SELECT hevy_workout_id, start_local FROM core.workouts ORDER BY started_at").map { $0[0]! }
        let edited = ids[5], deleted = ids[6], created = "0d6c5c1e-0000-4000-8000-000000000001"
        let setsOfDeleted = try await h.int("""
            SELECT count(*) FROM core.sets s JOIN core.workout_exercises we USING (workout_exercise_sk)
            JOIN core.workouts w USING (workout_sk) WHERE w.hevy_workout_id = $1
            """, [deleted])

        try await h.onServer { server in
            // a new custom template, used only by the new workout: fetched by id on the next run
            try server.control("templates", ["templates": [["id": "C0FFEE01", "title": "My Custom Row", "type": "weight_reps",
                                                            "primary_muscle_group": "upper_back", "secondary_muscle_groups": ["biceps"],
                                                            "is_custom": true]]])
            let current = try server.workouts().first { $0["id"] as? String == edited }!
            try server.control("workouts", ["workouts": [
                Self.workout(id: edited, title: "Push Day (edited)", start: current["start_time"] as! String,
                             end: current["end_time"] as! String,
                             exercises: [Self.exercise("00001000", "Exercise 000 (Barbell)",
                                                       sets: [Self.set(1, weight: 100, reps: 5, rpe: 8), Self.set(3, weight: 102.5, reps: 3, rpe: 9.5)])]),
                Self.workout(id: created, title: "Row Day", start: "2026-03-02T18:00:00Z", end: "2026-03-02T19:00:00Z",
                             exercises: [Self.exercise("C0FFEE01", "My Custom Row", sets: [Self.set(0, weight: 60, reps: 10)])]),
            ]])
            try server.control("delete", ["ids": [deleted]])
            try server.control("body", ["body_measurements": [["date": "2026-03-02", "weight_kg": 78.4]]])
        }
        let report = try await h.sync()
        #expect(report.mode == "incremental")
        #expect(report.eventsSince != nil)
        #expect(report.workoutsInserted == 1 && report.workoutsUpdated == 1 && report.workoutsDeleted == 1)
        #expect(report.apiWorkoutCount == 23 && report.coreWorkoutCount == 23)
        #expect(report.warnings.isEmpty)
        #expect(report.bodyMeasurementsWritten == 1)
        #expect(try await h.scalar("SELECT watermark >= $1::timestamptz FROM meta.sync_watermarks", [firstWatermark]) == "t")

        // the edit replaced the workout whole, positions renumbered
        #expect(try await h.scalar("SELECT title FROM core.workouts WHERE hevy_workout_id = $1", [edited]) == "Push Day (edited)")
        let sets = try await h.rows("""
            SELECT s.position, s.set_index, s.weight_kg, s.rpe FROM core.sets s JOIN core.workout_exercises we USING (workout_exercise_sk)
            JOIN core.workouts w USING (workout_sk) WHERE w.hevy_workout_id = $1 ORDER BY s.position
            """, [edited])
        #expect(sets.map { $0[0]! } == ["0", "1"])
        #expect(sets.map { $0[1]! } == ["1", "3"])
        #expect(sets.map { $0[2]! } == ["100", "102.5"])
        #expect(sets.map { $0[3]! } == ["8.0", "9.5"])
        // the deletion is kept with deleted_at, sets intact
        #expect(try await h.scalar("SELECT deleted_at IS NOT NULL FROM core.workouts WHERE hevy_workout_id = $1", [deleted]) == "t")
        #expect(try await h.int("""
            SELECT count(*) FROM core.sets s JOIN core.workout_exercises we USING (workout_exercise_sk)
            JOIN core.workouts w USING (workout_sk) WHERE w.hevy_workout_id = $1
            """, [deleted]) == setsOfDeleted)
        // the new workout and its custom template (fetched by id)
        #expect(try await h.scalar("SELECT local_date FROM core.workouts WHERE hevy_workout_id = $1", [created]) == "2026-03-02")
        #expect(try await h.scalar("SELECT is_custom::text || ' ' || exercise_type FROM core.exercises WHERE hevy_template_id = 'C0FFEE01'") == "true weight_reps")
        let log = try await h.requestLog()
        #expect(log.contains { $0["path"] as? String == "/v1/exercise_templates/C0FFEE01" })
        #expect(log.filter { $0["path"] as? String == "/v1/workouts" }.count == 3)   // no listing on incremental runs
        // body measurements: only the first page is read when it brings something new and the second brings nothing
        #expect(try await h.scalar("SELECT weight_kg FROM core.body_measurements WHERE date = '2026-03-02'") == "78.4")

        // replay every event since the epoch: older versions and repeated deletions change nothing
        let digest = try await h.coreDigest()
        let rawWorkouts = try await h.int("SELECT count(*) FROM raw.hevy_api_payloads WHERE object_type = 'workout'")
        let replay = try await h.sync { $0.since = Date(timeIntervalSince1970: 0) }
        #expect(replay.workoutsInserted == 0 && replay.workoutsUpdated == 0 && replay.workoutsDeleted == 0)
        #expect(replay.workoutsStale == 2)          // the original versions of the edited and the deleted workout
        #expect(replay.workoutsUnchanged == 24)     // 21 untouched, the new one, the edit, the repeated deletion
        #expect(try await h.coreDigest() == digest)
        #expect(try await h.int("SELECT count(*) FROM raw.hevy_api_payloads WHERE object_type = 'workout'") == rawWorkouts)
        #expect(try await h.int("SELECT count(*) FROM core.workouts") == 24)
        // the events seen for the first time were kept raw once; a second replay stores nothing new
        let rawAll = try await h.int("SELECT count(*) FROM raw.hevy_api_payloads")
        let again = try await h.sync { $0.since = Date(timeIntervalSince1970: 0) }
        #expect(again.newRawPayloads == 0)
        #expect(try await h.int("SELECT count(*) FROM raw.hevy_api_payloads") == rawAll)
        #expect(try await h.coreDigest() == digest)
    }

    @Test("one bad workout is rejected with its reason; the rest of the page lands")
    func elementRejects() async throws {
        let h = try await SyncHarness.make(workouts: 4)
        defer { h.close() }
        _ = try await h.sync()
        try await h.onServer { server in
            try server.control("workouts", ["workouts": [
                Self.workout(id: "bad-rpe", title: "Bad RPE", start: "2026-03-03T18:00:00Z", end: "2026-03-03T19:00:00Z",
                             exercises: [Self.exercise("00001000", "Exercise 000 (Barbell)", sets: [Self.set(0, weight: 50, reps: 5, rpe: 4)])]),
                ["id": "no-start", "title": "No start"],
                Self.workout(id: "good", title: "Good", start: "2026-03-04T18:00:00Z", end: "2026-03-04T19:00:00Z", exercises: []),
            ]])
        }
        let report = try await h.sync()
        #expect(report.workoutsInserted == 1)
        #expect(report.rejected == 2)
        let rejects = try await h.rows("SELECT source_name, reason, raw_record FROM raw.rejects ORDER BY reject_id")
        #expect(rejects.count == 2)
        #expect(rejects.allSatisfy { $0[0]!.contains("/v1/workouts/events?page=1&pageSize=10&since=") })
        #expect(rejects.contains { $0[1]!.contains("start_time") && $0[2]!.contains("no-start") })
        #expect(rejects.contains { $0[1]!.contains("23514") && $0[2]!.contains("bad-rpe") })
        #expect(try await h.int("SELECT count(*) FROM core.workouts WHERE hevy_workout_id IN ('bad-rpe', 'no-start')") == 0)
        #expect(try await h.scalar("SELECT rows_rejected FROM meta.loads ORDER BY load_id DESC LIMIT 1") == "2")
        // the count check notices the two workouts Hevy has and core does not
        #expect(report.warnings.contains { $0.contains("Hevy reports 7 workouts but core holds 5") })
    }

    @Test("--full lists everything again and still applies the deletions since the old watermark")
    func fullRerunKeepsDeletions() async throws {
        let h = try await SyncHarness.make(workouts: 3)
        defer { h.close() }
        _ = try await h.sync()
        let gone = try await h.scalar("SELECT hevy_workout_id FROM core.workouts ORDER BY started_at LIMIT 1")!
        try await h.onServer { try $0.control("delete", ["ids": [gone]]) }
        let report = try await h.sync { $0.full = true }
        #expect(report.mode == "full" && report.eventsSince != nil)
        #expect(report.workoutsDeleted == 1 && report.workoutsUnchanged == 2)
        #expect(report.warnings.isEmpty)
        #expect(try await h.int("SELECT count(*) FROM core.workouts WHERE deleted_at IS NULL") == 2)
    }

    @Test("a time zone given on the first run sets the athlete's local start minute and date")
    func athleteTimeZone() async throws {
        let h = try await SyncHarness.make(workouts: 2)
        defer { h.close() }
        _ = try await h.syncFailure { $0.apiKey = "refused-key"; $0.timezoneForNewAthlete = "Asia/Tokyo" }   // creates the athlete
        _ = try await h.sync { $0.timezoneForNewAthlete = "Pacific/Auckland" }                           // no workouts yet: zone taken
        #expect(try await h.scalar("SELECT timezone FROM core.athletes WHERE athlete_id = 'me'") == "Pacific/Auckland")
        #expect(try await h.int("""
            SELECT count(*) FROM core.workouts
            WHERE start_local = date_trunc('minute', started_at AT TIME ZONE 'Pacific/Auckland')
              AND local_date = (started_at AT TIME ZONE 'Pacific/Auckland')::date
            """) == 2)
        let later = try await h.sync { $0.timezoneForNewAthlete = "UTC" }
        #expect(later.warnings.contains { $0.contains("keeps its time zone Pacific/Auckland") })
        let bad = try await h.syncFailure { $0.timezoneForNewAthlete = "Mars/Olympus" }
        #expect(bad.exitCode == 2)
    }
}
