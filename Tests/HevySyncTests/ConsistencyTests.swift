import TestSupport
import Foundation
@testable import HevySync
import Testing

@Suite("Hevy sync: interruptions, concurrency, CSV overlap, secrets", .serialized)
struct ConsistencyTests {
    @Test("a run killed between pages leaves no watermark; the rerun converges with nothing duplicated or lost")
    func killedBetweenPages() async throws {
        let h = try await SyncHarness.make()
        defer { h.close() }
        // templates take 2 pages, so the run stops right after the first workouts page
        let error = try await h.syncFailure { $0.failAfterPages = 3 }
        guard case .interrupted(3) = error else { Issue.record("got \(error)"); return }
        #expect(try await h.int("SELECT count(*) FROM core.workouts") == 10)
        #expect(try await h.int("SELECT count(*) FROM meta.sync_watermarks") == 0)
        #expect(try await h.scalar("SELECT status FROM meta.loads") == "failed")

        let rerun = try await h.sync()
        #expect(rerun.mode == "full")
        #expect(rerun.workoutsInserted == 13 && rerun.workoutsUnchanged == 10)
        #expect(try await h.int("SELECT count(*) FROM core.workouts") == 23)
        #expect(try await h.int("SELECT count(DISTINCT hevy_workout_id) FROM core.workouts") == 23)
        #expect(try await h.int("SELECT count(*) FROM core.sets") == 23 * 9)
        #expect(try await h.int("SELECT count(*) FROM raw.hevy_api_payloads WHERE object_type = 'workout'") == 23)
        #expect(try await h.int("SELECT count(*) FROM core.exercises") == 120)
        #expect(try await h.int("SELECT count(*) FROM meta.sync_watermarks") == 1)
    }

    @Test("two syncs of one athlete: the second waits a bounded time, then gives up with a clear message or runs after")
    func concurrentSyncs() async throws {
        let h = try await SyncHarness.make()
        defer { h.close() }
        // Slow workout pages keep the first run holding its lock for several seconds: under a loaded test machine the
        // second run's setup alone can take more than a second (0.5 s pages flaked: the first run had finished).
        try await h.onServer { try $0.setFaults([["path": "/v1/workouts", "times": -1, "delay": 2.0]]) }
        async let first = h.sync()
        // wait until the first run holds the athlete's sync lock (not just any advisory lock: the data lock comes and goes)
        let key = String(SyncEngine.lockKey(athleteID: "me"))
        for _ in 0..<200 {
            let held = try await h.int("""
                SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
                  AND l.objid = (\(key)::bigint & 4294967295)::oid AND l.classid = ((\(key)::bigint >> 32) & 4294967295)::oid
                """)
            if held > 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await h.int("""
            SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
            WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
              AND l.objid = (\(key)::bigint & 4294967295)::oid AND l.classid = ((\(key)::bigint >> 32) & 4294967295)::oid
            """) == 1, "the first run should still hold the athlete's sync lock")
        let blocked = try await h.syncFailure { $0.lockTimeout = 0.3 }
        guard case .lockTimeout("me", 0.3) = blocked else { Issue.record("got \(blocked)"); return }
        #expect(blocked.description.contains("another Hevy sync for athlete 'me' is running"))
        let waiting = try await h.sync { $0.lockTimeout = 60 }
        let firstReport = try await first
        #expect(firstReport.mode == "full" && firstReport.workoutsInserted == 23)
        #expect(waiting.mode == "incremental" && waiting.workoutsInserted == 0)
        #expect(try await h.int("SELECT count(*) FROM core.workouts") == 23)
        #expect(try await h.rows("SELECT status FROM meta.loads ORDER BY load_id").map { $0[0]! } == ["succeeded", "succeeded"])
    }

    @Test("a CSV-loaded workout and its API version meet on (athlete, local start minute, title): one row, API wins, CSV link kept")
    func csvOverlap() async throws {
        let h = try await SyncHarness.make()
        defer { h.close() }
        let apiWorkout = try await onThread { Unchecked(value: try h.server.workouts()) }.value
            .sorted { ($0["start_time"] as! String) < ($1["start_time"] as! String) }[4]
        let id = apiWorkout["id"] as! String, title = apiWorkout["title"] as! String
        let start = apiWorkout["start_time"] as! String, end = apiWorkout["end_time"] as! String
        // What the CSV loader writes: local wall-clock minute in the athlete's zone, an exercise known only by title.
        try await h.execute("INSERT INTO core.athletes (athlete_id, timezone) VALUES ('me', 'America/New_York')")
        let fileID = try await h.scalar("""
            INSERT INTO raw.files (sha256, file_name, size_bytes, kind, athlete_id)
            VALUES (repeat('a', 64), 'workouts.csv', 100, 'hevy_csv', 'me') RETURNING file_id
            """)!
        let exerciseSK = try await h.scalar("INSERT INTO core.exercises (title) VALUES ('Exercise 005 (Barbell)') RETURNING exercise_sk")!
        try await h.execute("""
            INSERT INTO core.exercise_aliases (alias_normalized, alias, exercise_sk, source)
            VALUES ('exercise 005 (barbell)', 'Exercise 005 (Barbell)', $1, 'hevy_csv')
            """, [exerciseSK])
        let workoutSK = try await h.scalar("""
            INSERT INTO core.workouts (athlete_sk, source, title, start_local, started_at, ended_at, local_date, csv_file_id)
            SELECT athlete_sk, 'hevy_csv', $1, date_trunc('minute', $2::timestamptz AT TIME ZONE 'America/New_York'),
                   date_trunc('minute', $2::timestamptz), $3::timestamptz,
                   ($2::timestamptz AT TIME ZONE 'America/New_York')::date, $4
            FROM core.athletes WHERE athlete_id = 'me' RETURNING workout_sk
            """, [title, start, end, fileID])!
        let blockSK = try await h.scalar("""
            INSERT INTO core.workout_exercises (athlete_sk, workout_sk, position, exercise_sk)
            SELECT athlete_sk, workout_sk, 0, $2 FROM core.workouts WHERE workout_sk = $1 RETURNING workout_exercise_sk
            """, [workoutSK, exerciseSK])!
        try await h.execute("INSERT INTO core.sets (athlete_sk, workout_exercise_sk, position, set_type, weight_kg, reps, source_line) SELECT athlete_sk, workout_exercise_sk, 0, 'normal', 60, 8, 2 FROM core.workout_exercises WHERE workout_exercise_sk = $1", [blockSK])

        let report = try await h.sync()
        #expect(report.workoutsMergedWithCSV == 1 && report.workoutsInserted == 22)
        #expect(report.warnings.isEmpty)
        #expect(try await h.int("SELECT count(*) FROM core.workouts") == 23)
        let row = try await h.rows("SELECT workout_sk, source, hevy_workout_id, csv_file_id, start_local FROM core.workouts WHERE title = $1 AND csv_file_id IS NOT NULL", [title])
        #expect(row.count == 1)
        #expect(row.first?[0] == workoutSK && row.first?[1] == "hevy_api" && row.first?[2] == id && row.first?[3] == fileID)
        // the API's exercises and sets replaced the CSV ones
        #expect(try await h.int("SELECT count(*) FROM core.workout_exercises WHERE workout_sk = $1", [workoutSK]) == 3)
        #expect(try await h.int("SELECT count(*) FROM core.sets WHERE source_line IS NOT NULL") == 0)
        // the CSV-created exercise was claimed by its template instead of duplicated
        #expect(try await h.scalar("SELECT hevy_template_id || ' ' || exercise_type FROM core.exercises WHERE exercise_sk = $1", [exerciseSK]) == "00001005 weight_reps")
        #expect(try await h.int("SELECT count(*) FROM core.exercises") == 120)
        // local dates and minutes follow the athlete's zone
        #expect(try await h.int("""
            SELECT count(*) FROM core.workouts
            WHERE start_local <> date_trunc('minute', started_at AT TIME ZONE 'America/New_York')
               OR local_date <> (started_at AT TIME ZONE 'America/New_York')::date
            """) == 0)
    }

    @Test("the API key is never printed, logged or stored")
    func keyNeverLeaks() async throws {
        let h = try await SyncHarness.make(workouts: 12)
        defer { h.close() }
        let key = h.apiKey
        // a server that echoes the key in a malformed body, and 500s along the way
        try await h.onServer { server in
            try server.setFaults([
                ["path": "/v1/workouts", "page": 1, "times": 1, "status": 500],
                ["path": "/v1/workouts", "page": 2, "times": 1, "body": "oops api-key=\(key)"],
            ])
        }
        var messages: [String] = []
        messages.append("\(try await h.syncFailure())")
        let ok = try await h.sync()
        messages.append(ok.summaryLine)
        messages.append(contentsOf: ok.warnings)
        // a refused key: the wrong key must not be printed either
        let wrong = "wrong-\(key)"
        let refused = try await h.syncFailure { $0.apiKey = wrong }
        guard case .unauthorized(401, _) = refused else { Issue.record("got \(refused)"); return }
        #expect(refused.exitCode == 2)
        #expect(refused.description.contains("Hevy Pro"))
        messages.append(refused.description)
        for text in messages + h.logs.lines {
            #expect(!text.contains(key), "key found in: \(text)")
        }
        #expect(try await h.int("SELECT count(*) FROM raw.rejects") == 1)
        #expect(try await h.int("""
            SELECT (SELECT count(*) FROM raw.hevy_api_payloads WHERE payload::text LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM raw.rejects WHERE concat(source_name, reason, raw_record) LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM meta.loads WHERE summary::text LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM meta.sync_watermarks WHERE source LIKE '%' || $1 || '%')
            """, [key]) == 0)
        #expect(try await h.scalar("SELECT raw_record FROM raw.rejects") == "oops api-key=[redacted]")
    }
}
