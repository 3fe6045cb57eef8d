import TestSupport
import FitLoader
import Foundation
@testable import HevySync
import Testing

/// Deletions the database never saw, and `--full` converging on the API (issue 10, item 2).
@Suite("Hevy sync: converging on the API", .serialized)
struct ConvergenceTests {
    @Test("a workout created and deleted between two syncs stays gone: its deletion leaves a tombstone")
    func createdAndDeletedBetweenSyncs() async throws {
        let h = try await SyncHarness.make(workouts: 3, templates: 5, bodyMeasurements: 1)
        defer { h.close() }
        _ = try await h.sync()
        let ghost = "0d6c5c1e-0000-4000-8000-00000000dead"
        try await h.onServer { server in
            try server.control("workouts", ["workouts": [ModelAPI.workout(id: ghost, title: "Ghost", start: "2026-03-05T10:00:00Z",
                                                                          sets: [(60, 5)])]])
            try server.control("delete", ["ids": [ghost]])
        }
        let report = try await h.sync()
        #expect(report.mode == "incremental")
        #expect(report.deletesUnknown == 1 && report.workoutsStale == 1 && report.workoutsInserted == 0)
        #expect(try await h.int("SELECT count(*) FROM core.workouts WHERE hevy_workout_id = $1", [ghost]) == 0)
        #expect(try await h.int("SELECT count(*) FROM core.hevy_workout_tombstones WHERE hevy_workout_id = $1", [ghost]) == 1)
        // replaying the whole feed, and a full run, keep it gone
        _ = try await h.sync { $0.since = Date(timeIntervalSince1970: 0) }
        _ = try await h.sync { $0.full = true }
        #expect(try await h.int("SELECT count(*) FROM core.workouts WHERE hevy_workout_id = $1 AND deleted_at IS NULL", [ghost]) == 0)
        #expect(try await h.int("SELECT count(*) FROM core.workouts WHERE deleted_at IS NULL") == 3)
    }

    @Test("--full converges after the watermark passed a deletion: unlisted workouts are deleted, listed ones live")
    func fullConverges() async throws {
        let h = try await SyncHarness.make(workouts: 4, templates: 5, bodyMeasurements: 1)
        defer { h.close() }
        _ = try await h.sync()
        let ids = try await h.rows("SELECT hevy_workout_id FROM core.workouts ORDER BY started_at").map { $0[0]! }
        // the API loses ids[0] while the watermark is already past its deletion event; the database
        // wrongly holds ids[1] deleted
        try await h.onServer { try $0.control("delete", ["ids": [ids[0]]]) }
        try await h.execute("UPDATE meta.sync_watermarks SET watermark = now() + interval '1 hour'")
        try await h.execute("UPDATE core.workouts SET deleted_at = now() WHERE hevy_workout_id = $1", [ids[1]])
        let incremental = try await h.sync()
        #expect(incremental.workoutsDeleted == 0)   // the events feed cannot tell
        #expect(try await h.scalar("SELECT deleted_at IS NULL FROM core.workouts WHERE hevy_workout_id = $1", [ids[0]]) == "t")

        let full = try await h.sync { $0.full = true }
        #expect(full.workoutsNoLongerListed == 1 && full.workoutsUndeleted == 1)
        #expect(full.summaryLine.contains("1 no longer in Hevy (marked deleted), 1 listed again (deletion undone)"))
        #expect(full.warnings.isEmpty)
        #expect(try await h.scalar("SELECT deleted_at IS NOT NULL FROM core.workouts WHERE hevy_workout_id = $1", [ids[0]]) == "t")
        #expect(try await h.scalar("SELECT deleted_at IS NULL FROM core.workouts WHERE hevy_workout_id = $1", [ids[1]]) == "t")
        let fetched = try await h.requestLog().filter { $0["path"] as? String == "/v1/workouts/\(ids[0])" }
        #expect(fetched.map { $0["status"] as? Int } == [404])
        #expect(try await ModelAPI.databaseState(h) == ModelAPI.signatures(try await ModelAPI.serverWorkouts(h)))
        // converged: a second full run changes nothing
        let again = try await h.sync { $0.full = true }
        #expect(again.workoutsNoLongerListed == 0 && again.workoutsUndeleted == 0 && again.objectsWritten == 0)
    }

    @Test("property: random creates, edits, deletes, syncs and interrupted syncs; a final sync makes the database equal the API",
          arguments: [UInt64(11), 23, 47, 89, 131])
    func randomHistories(seed: UInt64) async throws {
        let h = try await SyncHarness.make(workouts: 4, templates: 5, bodyMeasurements: 1)
        defer { h.close() }
        var rng = SeededRandom(state: seed)
        var model = try await ModelAPI.serverWorkouts(h)
        var created = 0, trace: [String] = []
        for _ in 0..<40 {
            let roll = rng.below(100)
            let live = model.keys.sorted()
            if roll < 28 || live.isEmpty {
                created += 1
                let w = ModelAPI.workout(id: "p\(seed)-\(created)", title: "W\(created)",
                                         start: ModelAPI.start(hours: created), sets: ModelAPI.sets(&rng))
                model[w["id"] as! String] = w
                trace.append("create \(w["id"]!)")
                let body = Unchecked(value: w)
                try await h.onServer { try $0.control("workouts", ["workouts": [body.value]]) }
            } else if roll < 45 {
                let id = live[rng.below(live.count)]
                var w = model[id]!
                w["updated_at"] = nil   // the server stamps the edit, as Hevy does
                w["title"] = "\(w["title"]!)+"
                w["description"] = "edit \(rng.below(1000))"
                w["exercises"] = ModelAPI.workout(id: id, title: "", start: "", sets: ModelAPI.sets(&rng))["exercises"]
                model[id] = w
                trace.append("edit \(id)")
                let body = Unchecked(value: w)
                try await h.onServer { try $0.control("workouts", ["workouts": [body.value]]) }
            } else if roll < 62 {
                // half the time the newest workout: created and deleted between two syncs is the hard case
                let newest = (1...max(created, 1)).reversed().map { "p\(seed)-\($0)" }.first { model[$0] != nil }
                let id = rng.below(2) == 0 ? newest ?? live[rng.below(live.count)] : live[rng.below(live.count)]
                model[id] = nil
                trace.append("delete \(id)")
                try await h.onServer { try $0.control("delete", ["ids": [id]]) }
            } else if roll < 80 {
                let full = rng.below(4) == 0
                trace.append(full ? "sync --full" : "sync")
                _ = try await h.sync { $0.full = full }
            } else if roll < 90 {
                let pages = 1 + rng.below(4)
                trace.append("sync killed after \(pages) pages")
                _ = try? await h.sync { $0.failAfterPages = pages }
            } else {
                let path = rng.below(2) == 0 ? "/v1/workouts/events" : "/v1/workouts"
                let skip = rng.below(3)
                trace.append("sync, connection dropped on \(path) after \(skip) answers")
                try await h.onServer { try $0.setFaults([["path": path, "skip": skip, "times": -1, "drop": true]]) }
                _ = try? await h.sync()
                try await h.onServer { try $0.setFaults([]) }
            }
        }
        let expected = ModelAPI.signatures(model)
        #expect(ModelAPI.signatures(try await ModelAPI.serverWorkouts(h)) == expected, "the fake server disagrees with the model")
        _ = try await h.sync()
        let afterSync = try await ModelAPI.databaseState(h)
        #expect(afterSync == expected, "seed \(seed) after the final sync; steps: \(trace.joined(separator: "; "))")
        _ = try await h.sync { $0.full = true }
        #expect(try await ModelAPI.databaseState(h) == expected, "seed \(seed) after a final --full")
    }
}

/// The API's workouts as the tests build and compare them.
enum ModelAPI {
    /// A workout body in the API's shape with one exercise and `sets` (weight, reps).
    static func workout(id: String, title: String, start: String, sets: [(Double, Int)]) -> [String: Any] {
        let end = start.isEmpty ? "" : start.replacingOccurrences(of: ":00:00Z", with: ":45:00Z")
        return ["id": id, "title": title, "routine_id": NSNull(), "description": "generated", "start_time": start, "end_time": end,
                "exercises": [["index": 0, "title": "Exercise 000 (Barbell)", "notes": NSNull(), "exercise_template_id": "00001000",
                               "supersets_id": NSNull(),
                               "sets": sets.enumerated().map { i, s in
                                   ["index": i, "type": "normal", "weight_kg": s.0, "reps": s.1, "distance_meters": NSNull(),
                                    "duration_seconds": NSNull(), "rpe": NSNull(), "custom_metric": NSNull()] as [String: Any]
                               }]]]
    }

    /// A distinct start hour per created workout, so no two share the natural key.
    static func start(hours: Int) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date(timeIntervalSince1970: 1_772_323_200 + Double(hours) * 3600))   // 2026-03-01 + n h
    }

    static func sets(_ rng: inout SeededRandom) -> [(Double, Int)] {
        (0..<(1 + rng.below(3))).map { _ in (20 + 2.5 * Double(rng.below(40)), 1 + rng.below(12)) }
    }

    /// The server's live workouts by id.
    static func serverWorkouts(_ h: SyncHarness) async throws -> [String: [String: Any]] {
        let list = try await onThread { Unchecked(value: try h.server.workouts()) }.value
        return Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as! String, $0) })
    }

    /// One comparable line per live workout: id, title, description, start (epoch seconds), sets in order.
    static func signatures(_ workouts: [String: [String: Any]]) -> [String] {
        let iso = ISO8601DateFormatter()
        return workouts.map { id, w in
            let start = Int(iso.date(from: w["start_time"] as! String)!.timeIntervalSince1970)
            let sets = (w["exercises"] as? [[String: Any]] ?? []).flatMap { e in
                (e["sets"] as? [[String: Any]] ?? []).map { s in "\(number(s["weight_kg"]))x\(number(s["reps"]))" }
            }
            return [id, w["title"] as? String ?? "", w["description"] as? String ?? "", String(start),
                    sets.joined(separator: ",")].joined(separator: "|")
        }.sorted()
    }

    /// The same lines for the live API workouts in `core`.
    static func databaseState(_ h: SyncHarness) async throws -> [String] {
        try await h.rows("""
            SELECT concat_ws('|', w.hevy_workout_id, w.title, coalesce(w.description, ''), extract(epoch FROM w.started_at)::bigint,
                   coalesce((SELECT string_agg(s.weight_kg::float8 || 'x' || s.reps, ',' ORDER BY we.position, s.position)
                             FROM core.workout_exercises we JOIN core.sets s USING (workout_exercise_sk)
                             WHERE we.workout_sk = w.workout_sk), ''))
            FROM core.workouts w WHERE w.deleted_at IS NULL AND w.source = 'hevy_api'
            """).map { $0[0]! }.sorted()
    }

    private static func number(_ v: Any?) -> String {
        guard let d = (v as? NSNumber)?.doubleValue else { return "" }
        return d.rounded() == d ? String(Int(d)) : String(d)
    }
}

