import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// Builds small Hevy CSV files for tests.
struct HevyFixture {
    static let header = "\"title\",\"start_time\",\"end_time\",\"description\",\"exercise_title\",\"superset_id\",\"exercise_notes\",\"set_index\",\"set_type\",\"weight_kg\",\"reps\",\"distance_km\",\"duration_seconds\",\"rpe\""

    /// One set row in export format.
    static func row(_ title: String = "Push", start: String = "8 Apr 2026, 16:50", end: String = "8 Apr 2026, 17:50",
                    description: String = "", exercise: String = "Bench Press (Barbell)", superset: String = "",
                    notes: String = "", index: Int, type: String = "normal", weight: String = "100", reps: String = "5",
                    distance: String = "", duration: String = "", rpe: String = "") -> String {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return [q(title), q(start), q(end), q(description), q(exercise), superset, q(notes), String(index), q(type),
                weight, reps, distance, duration, rpe].joined(separator: ",")
    }

    static func write(_ lines: [String], header: String = header, name: String = "hevy") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8)).csv")
        try ([header] + lines).joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

@Suite("Hevy CSV loader against a real server")
struct HevyCSVLoaderTests {
    func load(_ url: URL, _ c: Connection, athlete: String = "me", tz: String? = "Europe/Lisbon", maxRejects: Int? = nil,
              bulkThreshold: Int = 100_000, languageSample: Int = 2_000) throws -> HevyCSVLoadSummary {
        try HevyCSVLoader(connection: c).load(try HevyCSVFile.inspect(url),
                                              options: .init(athleteId: athlete, timezone: tz, maxRejects: maxRejects,
                                                             bulkThreshold: bulkThreshold, languageSample: languageSample))
    }

    /// Every key, constraint and index of the loaded tables, as the catalog defines them.
    static let catalogFingerprint = """
        SELECT string_agg(d, '; ' ORDER BY d) FROM (
            SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
            WHERE conrelid IN ('core.workouts'::regclass, 'core.workout_exercises'::regclass, 'core.sets'::regclass)
               OR confrelid IN ('core.workouts'::regclass, 'core.workout_exercises'::regclass, 'core.sets'::regclass)
            UNION ALL
            SELECT indexdef FROM pg_indexes WHERE schemaname = 'core' AND tablename IN ('workouts', 'workout_exercises', 'sets')
        ) x
        """

    @Test func bulkModeRestoresEveryKeyAndIndex() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let before = try c.query(Self.catalogFingerprint).scalar
        #expect(before?.contains("ON DELETE CASCADE DEFERRABLE") == true && before?.contains("workouts_natural_key") == true)
        // an initial load (empty tables): keys and indexes are rebuilt at the end
        let url = try HevyFixture.write([HevyFixture.row(index: 0), HevyFixture.row(index: 1), HevyFixture.row(exercise: "Row", index: 0)])
        let s = try load(url, c, bulkThreshold: 1)
        #expect(s.setsNew == 3)
        #expect(try c.query(Self.catalogFingerprint).scalar == before)
        // the keys the loader allocated are behind every identity sequence, so later inserts do not collide
        #expect(try c.query("""
            SELECT (SELECT last_value FROM core.sets_set_sk_seq) = max(set_sk)
               AND (SELECT last_value FROM core.workout_exercises_workout_exercise_sk_seq) = (SELECT max(workout_exercise_sk) FROM core.workout_exercises)
               AND (SELECT last_value FROM core.workouts_workout_sk_seq) = (SELECT max(workout_sk) FROM core.workouts)
            FROM core.sets
            """).scalar == "t")
        // a later bulk load into fuller tables (only foreign keys dropped), with a changed workout
        try c.execute("ANALYZE core.sets")
        let url2 = try HevyFixture.write([HevyFixture.row(index: 0), HevyFixture.row(exercise: "Row", index: 0),
                                          HevyFixture.row(start: "9 Apr 2026, 16:50", index: 0)])
        let s2 = try load(url2, c, bulkThreshold: 1)
        #expect(s2.workoutsNew == 1 && s2.workoutsUpdated == 1 && s2.setsRemoved == 1 && s2.setsNew == 1)
        #expect(try c.query(Self.catalogFingerprint).scalar == before)
        #expect(try count(c, "SELECT count(*) FROM core.sets") == 3)
        // the restored keys still cascade and still refuse orphans and duplicates
        #expect(throws: PostgresClientError.self) {
            try c.execute("INSERT INTO core.workouts (athlete_sk, source, title, start_local, started_at, ended_at, local_date) SELECT athlete_sk, source, title, start_local, started_at, ended_at, local_date FROM core.workouts LIMIT 1")
        }
        try c.execute("DELETE FROM core.workouts")
        #expect(try count(c, "SELECT count(*) FROM core.sets") == 0)
        #expect(throws: PostgresClientError.self) {
            try c.execute("INSERT INTO core.sets (athlete_sk, workout_exercise_sk, position, set_type) SELECT athlete_sk, 12345, 0, 'normal' FROM core.athletes")
        }
    }

    func count(_ c: Connection, _ sql: String) throws -> Int { Int(try c.query(sql).scalar ?? "-1") ?? -1 }

    @Test func blocksSupersetsNotesAndUnits() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let url = try HevyFixture.write([
            HevyFixture.row(description: "line one\\nline two", exercise: "Squat (Barbell)", notes: "belt, \"tight\"", index: 0, type: "warmup", weight: "60"),
            HevyFixture.row(exercise: "Squat (Barbell)", index: 1, weight: "100", rpe: "8.5"),
            HevyFixture.row(exercise: "Squat (Barbell)", index: 3, weight: "100", rpe: "9"),          // gap: same block
            HevyFixture.row(exercise: "Squat (Barbell)", index: 0, weight: "80"),                     // restart: new block
            HevyFixture.row(exercise: "Pull Up", superset: "0", index: 0, weight: "", reps: "8"),
            HevyFixture.row(exercise: "Chest Dip (Assisted)", superset: "0", index: 0, weight: "-22.05", reps: "10"),
            HevyFixture.row(exercise: "Treadmill", index: 0, weight: "", reps: "", distance: "2.5", duration: "900"),
        ])
        let s = try load(url, c)
        #expect(s.rowsRead == 7 && s.rowsRejected == 0 && s.workoutsNew == 1 && s.setsNew == 7)
        let blocks = try c.query("""
            SELECT we.position, e.title, count(s.*), max(we.superset_id)
            FROM core.workout_exercises we JOIN core.exercises e USING (exercise_sk) JOIN core.sets s USING (workout_exercise_sk)
            GROUP BY 1, 2 ORDER BY 1
            """).rows
        #expect(blocks.map { $0[1] } == ["Squat (Barbell)", "Squat (Barbell)", "Pull Up", "Chest Dip (Assisted)", "Treadmill"])
        #expect(blocks.map { $0[2] } == ["3", "1", "1", "1", "1"])
        #expect(blocks[2][3] == "0")
        #expect(try c.query("SELECT set_index FROM core.sets WHERE position = 2").scalar == "3")
        #expect(try c.query("SELECT distance_m FROM core.sets WHERE duration_s = 900").scalar == "2500.0")
        #expect(try c.query("SELECT weight_kg FROM core.sets WHERE reps = 10").scalar == "-22.05")
        #expect(try c.query("SELECT description FROM core.workouts").scalar == "line one\nline two")
        #expect(try c.query("SELECT description_raw FROM core.workouts").scalar == "line one\\nline two")
        #expect(try c.query("SELECT notes FROM core.workout_exercises WHERE position = 0").scalar == "belt, \"tight\"")
        // local time in Lisbon (UTC+1 in April) → UTC instant, local date kept
        #expect(try c.query("SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), local_date FROM core.workouts").rows[0] == ["2026-04-08 15:50", "2026-04-08"])
    }

    @Test func poundsAndMilesConvertExactly() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let header = HevyFixture.header.replacingOccurrences(of: "weight_kg", with: "weight_lbs")
            .replacingOccurrences(of: "distance_km", with: "distance_miles")
        let url = try HevyFixture.write([
            HevyFixture.row(index: 0, weight: "100"),
            HevyFixture.row(exercise: "Run", index: 0, weight: "", reps: "", distance: "1", duration: "600"),
        ], header: header)
        let s = try load(url, c)
        #expect(s.weightUnit == "lbs" && s.distanceUnit == "miles")
        #expect(try c.query("SELECT weight_kg::text FROM core.sets WHERE reps = 5").scalar == "45.35923700")
        #expect(try c.query("SELECT distance_m::text FROM core.sets WHERE duration_s = 600").scalar == "1609.344")
    }

    /// The hash stored per workout decides "unchanged" on every later load, so its input must not change
    /// between versions (a database loaded by an older version would see every workout as changed once).
    @Test func workoutHashFormatIsStable() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let url = try HevyFixture.write([
            HevyFixture.row("Push", description: "easy\\nday", superset: "0", notes: "slow", index: 0, weight: "100.5", rpe: "8"),
            HevyFixture.row("Push", description: "easy\\nday", superset: "0", notes: "slow", index: 1, type: "failure", reps: "3"),
            HevyFixture.row("Push", description: "easy\\nday", exercise: "Row", index: 0, weight: "", distance: "1.5", duration: "60"),
        ])
        _ = try load(url, c)
        // SHA-256 of: "Europe/Lisbon|1|1000\n" (zone | kg and m per unit), then per block
        // "B<exercise key>\t<superset>\t<notes, or NUL>\n" followed by its sets' COPY-text columns, each with "\n"
        // ("0\tnormal\t100.5\t5\t\\N\t\\N\t8\n", …, "0\tnormal\t\\N\t5\t1500.0\t60\t\\N\n"), then
        // "W2026-04-08 17:50\teasy\\nday" (end, raw description); recomputed independently with Python's hashlib
        let hash = try c.query("SELECT content_sha256 FROM core.workouts").scalar
        #expect(hash == "d8080a24d018a9d36ad327e6eecee4f30fdccd83b073e46a5a06959dc4f18ee4", "content_sha256 is \(hash ?? "NULL")")
    }

    @Test func reloadIsIdempotentAndReExportReplaces() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let a = HevyFixture.row("Legs", start: "1 Apr 2026, 10:00", end: "1 Apr 2026, 11:00", exercise: "Squat (Barbell)", index: 0)
        let b = HevyFixture.row("Legs", start: "1 Apr 2026, 10:00", end: "1 Apr 2026, 11:00", exercise: "Squat (Barbell)", index: 1)
        let p1 = HevyFixture.row(index: 0)
        let p2 = HevyFixture.row(index: 1)
        let first = try HevyFixture.write([p1, p2, a, b])
        _ = try load(first, c)
        let again = try load(first, c)
        #expect(again.workoutsNew == 0 && again.workoutsUnchanged == 2 && again.setsUnchanged == 4 && again.setsNew == 0)
        #expect(try count(c, "SELECT count(*) FROM core.sets") == 4)
        #expect(try count(c, "SELECT count(*) FROM raw.files") == 1)
        let sk = try c.query("SELECT workout_sk FROM core.workouts WHERE title = 'Push'").scalar

        // newer export: Push set 1 edited, Legs set 1 removed, a new workout added
        let p2edited = HevyFixture.row(index: 1, weight: "102.5")
        let n1 = HevyFixture.row("Pull", start: "10 Apr 2026, 18:00", end: "10 Apr 2026, 19:00", exercise: "Deadlift (Barbell)", index: 0, weight: "180")
        let second = try HevyFixture.write([n1, p1, p2edited, a])
        let r = try load(second, c, bulkThreshold: 1)
        #expect(r.workoutsNew == 1 && r.workoutsUpdated == 2 && r.workoutsUnchanged == 0)
        #expect(r.setsNew == 1 && r.setsUpdated == 1 && r.setsUnchanged == 2 && r.setsRemoved == 1)
        #expect(try count(c, "SELECT count(*) FROM core.sets") == 4)
        #expect(try c.query("SELECT max(weight_kg) FROM core.sets s JOIN core.workout_exercises USING (workout_exercise_sk) JOIN core.workouts w USING (workout_sk) WHERE w.title = 'Push'").scalar == "102.5")
        // the workout keeps its surrogate key when replaced
        #expect(try c.query("SELECT workout_sk FROM core.workouts WHERE title = 'Push'").scalar == sk)
        #expect(try load(second, c).workoutsUnchanged == 3)
    }

    @Test func interleavedWorkoutRowsAndRejectedLastRowsStillMakeWholeWorkouts() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let legs = { (i: Int, w: String) in
            HevyFixture.row("Legs", start: "1 Apr 2026, 10:00", end: "1 Apr 2026, 11:00", exercise: "Squat (Barbell)", index: i, weight: w)
        }
        // Push is split by Legs rows; Legs' last row is rejected (the workout still finishes);
        // a stray row with an unreadable start belongs to no workout
        let url = try HevyFixture.write([HevyFixture.row(index: 0), legs(0, "100"), HevyFixture.row(index: 1),
                                         HevyFixture.row(start: "yesterday", index: 0), legs(1, "heavy")])
        let s = try load(url, c)
        #expect(s.workoutsNew == 2 && s.setsNew == 3 && s.rowsRejected == 2)
        #expect(s.passes.hasPrefix("two (line 4: the rows of workout Push are not contiguous"), "\(s.passes)")
        let blocks = try c.query("""
            SELECT w.title, count(DISTINCT we.workout_exercise_sk), count(*) FROM core.workouts w
            JOIN core.workout_exercises we USING (workout_sk) JOIN core.sets USING (workout_exercise_sk)
            GROUP BY w.title ORDER BY w.title
            """).rows
        #expect(blocks == [["Legs", "1", "1"], ["Push", "1", "2"]])
        #expect(try load(url, c).workoutsUnchanged == 2)
    }

    @Test func singlePassFallsBackWhenLaterDatesChangeTheLanguage() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        // "Mar" and "Jun" are English and Portuguese; "Fev" only Portuguese: the first record alone says English
        let url = try HevyFixture.write([
            HevyFixture.row("A", start: "3 Mar 2026, 10:00", end: "3 Mar 2026, 11:00", index: 0),
            HevyFixture.row("B", start: "9 Jun 2026, 10:00", end: "9 Jun 2026, 11:00", index: 0),
            HevyFixture.row("C", start: "2 Fev 2026, 10:00", end: "2 Fev 2026, 11:00", index: 0),
        ])
        let s = try load(url, c, languageSample: 1)
        #expect(s.language == "pt" && s.rowsRejected == 0 && s.workoutsNew == 3)
        #expect(s.passes.contains("month language of all dates is pt"), "\(s.passes)")
        #expect(try c.query("SELECT string_agg(local_date::text, ',' ORDER BY local_date) FROM core.workouts").scalar
                == "2026-02-02,2026-03-03,2026-06-09")
        // the same file as a first load with a sample large enough takes one pass; a reload takes two
        let other = try load(url, c, athlete: "other")
        #expect(other.passes == "one" && other.language == "pt" && other.workoutsNew == 3)
        #expect(try load(url, c, athlete: "other").passes == "two")
        #expect(try count(c, "SELECT count(*) FROM core.sets") == 6)
    }

    @Test func badRowsGoToRejectsWithPhysicalLineNumbers() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let url = try HevyFixture.write([
            HevyFixture.row(notes: "two\nlines", index: 0),                 // physical lines 2-3
            HevyFixture.row(index: 1, weight: "heavy"),                     // line 4
            HevyFixture.row(index: 2, type: "superset"),                    // line 5
            "\"Push\",\"8 Apr 2026, 16:50\",\"too few\"",                   // line 6
            HevyFixture.row(start: "8 Foo 2026, 16:50", index: 3),          // line 7
            HevyFixture.row(index: 4, rpe: "8"),                            // line 8
        ])
        let s = try load(url, c)
        #expect(s.rowsRead == 6 && s.rowsRejected == 4 && s.rowsStaged == 2)
        let rejects = try c.query("SELECT line_number, field, reason, raw_record FROM raw.rejects ORDER BY line_number").rows
        #expect(rejects.map { $0[0] } == ["4", "5", "6", "7"])
        #expect(rejects.map { $0[1] } == ["weight_kg", "set_type", nil, "start_time"])
        #expect(rejects[1][2]?.contains("unknown set_type \"superset\"") == true)
        #expect(rejects[2][3] == "\"Push\",\"8 Apr 2026, 16:50\",\"too few\"")
        #expect(try count(c, "SELECT count(*) FROM core.sets") == 2)
        // counts reconcile: every read row is loaded or rejected
        #expect(try c.query("SELECT rows_read = rows_loaded + rows_rejected FROM meta.loads WHERE status = 'succeeded'").scalar == "t")
    }

    @Test func maxRejectsRollsTheWholeFileBack() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let url = try HevyFixture.write([HevyFixture.row(index: 0), HevyFixture.row(index: 1, reps: "x"), HevyFixture.row(index: 2, reps: "y")])
        #expect(throws: LoadError.self) { try load(url, c, maxRejects: 1) }
        #expect(try count(c, "SELECT count(*) FROM core.workouts") == 0)
        #expect(try count(c, "SELECT count(*) FROM raw.rejects") == 0)
        #expect(try c.query("SELECT status, rows_rejected FROM meta.loads").rows == [["failed", "2"]])
        let ok = try load(url, c, maxRejects: 2)
        #expect(ok.rowsRejected == 2 && ok.setsNew == 1)
    }

    @Test func daylightSavingGapsAndRepeatsLoad() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let url = try HevyFixture.write([
            HevyFixture.row("Gap", start: "29 Mar 2026, 01:30", end: "29 Mar 2026, 02:30", index: 0),     // 01:00–02:00 does not exist in Lisbon
            HevyFixture.row("Repeat", start: "25 Oct 2026, 01:30", end: "25 Oct 2026, 02:30", index: 0),  // 01:00–02:00 happens twice
        ])
        let s = try load(url, c)
        #expect(s.workoutsNew == 2 && s.rowsRejected == 0)
        let rows = try c.query("SELECT title, local_date, start_local FROM core.workouts ORDER BY title").rows
        #expect(rows == [["Gap", "2026-03-29", "2026-03-29 01:30:00"], ["Repeat", "2026-10-25", "2026-10-25 01:30:00"]])
        // PostgreSQL's reading: a time in the gap takes the offset before it, a repeated time the later (standard) one
        let utc = try c.query("SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM core.workouts ORDER BY title")
        #expect(utc.rows == [["2026-03-29 01:30"], ["2026-10-25 01:30"]])
    }

    @Test(arguments: ["Europe/Lisbon", "America/Sao_Paulo", "Australia/Lord_Howe", "Etc/GMT+3", "America/Port-au-Prince", "UTC"])
    func localTimesAreReadInTheAthletesZoneOnInsertAndUpdate(zone: String) throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let sessionZone = try c.query("SHOW timezone").scalar
        // around the transitions of the zones above (gaps, repeats, a 30-minute shift), plus an ordinary time
        let starts = ["29 Mar 2026, 01:30", "25 Oct 2026, 01:30", "5 Apr 2026, 01:45", "4 Oct 2026, 02:15",
                      "8 Mar 2026, 02:30", "1 Nov 2026, 01:30", "15 Feb 2015, 23:30", "8 Apr 2026, 16:50"]
        func export(reps: String) -> [String] {
            starts.enumerated().map { i, start in HevyFixture.row("W\(i)", start: start, end: start, index: 0, reps: reps) }
        }
        let first = try load(try HevyFixture.write(export(reps: "5")), c, tz: zone)
        #expect(first.workoutsNew == starts.count)
        let atTimeZone = """
            SELECT count(*) FROM core.workouts w JOIN core.athletes a USING (athlete_sk)
            WHERE w.started_at IS DISTINCT FROM w.start_local AT TIME ZONE a.timezone
               OR w.ended_at IS DISTINCT FROM w.start_local AT TIME ZONE a.timezone OR w.local_date <> w.start_local::date
            """
        #expect(try c.query(atTimeZone).scalar == "0")
        // a re-export with every set edited takes the update path
        let second = try load(try HevyFixture.write(export(reps: "6")), c, tz: zone)
        #expect(second.workoutsUpdated == starts.count)
        #expect(try c.query(atTimeZone).scalar == "0")
        // the connection's own setting is back after the load
        #expect(try c.query("SHOW timezone").scalar == sessionZone)
    }

    @Test func zoneNamesThatAreAlsoAbbreviationsAreRefused() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let url = try HevyFixture.write([HevyFixture.row(index: 0)])
        // AT TIME ZONE 'CET' is a fixed +01:00 while the CET zone has summer time: the two readings would disagree
        #expect { try load(url, c, tz: "CET") } throws: { "\($0)".contains("also an abbreviation") }
        #expect(try load(url, c, tz: "Europe/Paris").workoutsNew == 1)
        #expect(try load(url, c, athlete: "utc", tz: "UTC").workoutsNew == 1)
    }

    @Test func portugueseFileAndTimezoneStoredOnAthlete() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let url = try HevyFixture.write([
            HevyFixture.row("Upper B", start: "5 Mai 2026, 07:34", end: "5 Mai 2026, 08:44", exercise: "Extensão de Tríceps na Polia (Máquina)", index: 0),
            HevyFixture.row("Upper A", start: "12 Set 2025, 18:00", end: "12 Set 2025, 19:00", index: 0),
            HevyFixture.row("Upper A", start: "3 Out 2025, 18:00", end: "3 Out 2025, 19:00", index: 0),
        ])
        let s = try load(url, c, athlete: "bia", tz: "America/Sao_Paulo")
        #expect(s.language == "pt" && s.workoutsNew == 3)
        #expect(try c.query("SELECT timezone FROM core.athletes WHERE athlete_id = 'bia'").scalar == "America/Sao_Paulo")
        #expect(try c.query("SELECT min(local_date)::text FROM core.workouts").scalar == "2025-09-12")
        #expect(try c.query("SELECT alias_normalized FROM core.exercise_aliases WHERE alias LIKE 'Extens%'").scalar == "extensão de tríceps na polia (máquina)")
    }

    @Test func athleteWithWorkoutsKeepsItsTimeZone() throws {
        let db = try TestDatabase.initialized(prefix: "hevy"); defer { db.drop() }
        let c = try db.connect()
        let url = try HevyFixture.write([HevyFixture.row(index: 0)])
        #expect(try load(url, c, tz: "Europe/Lisbon").timezoneKept == nil)
        let again = try load(url, c, tz: "Asia/Tokyo")
        #expect(again.timezoneKept == "Europe/Lisbon")
        #expect(again.text.contains("keeps its time zone Europe/Lisbon"))
        #expect(again.workoutsUnchanged == 1)
        #expect(try c.query("SELECT timezone FROM core.athletes").scalar == "Europe/Lisbon")
        #expect(throws: LoadError.self) { try load(url, c, athlete: "other", tz: "Mars/Olympus") }
    }

    @Test func cliExitCodes() throws {
        let db = try TestDatabase.initialized(prefix: "hevycli"); defer { db.drop() }
        let env = ["DATABASE_URL": db.conninfo]
        let missing = try FitdataProcess.run(["load", "hevy-csv", "/nonexistent/x.csv"], environment: env)
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/x.csv: no such file"))
        let other = try HevyFixture.write(["2024-01-01,Breakfast,300"], header: "Date,Meal,Calories", name: "mfp")
        let notHevy = try FitdataProcess.run(["load", "hevy-csv", other.path], environment: env)
        #expect(notHevy.status == 2 && notHevy.stderr.contains("not a Hevy workout export"))
        #expect(notHevy.stderr.split(separator: "\n").count == 1)
        let bad = try HevyFixture.write([HevyFixture.row(index: 0), HevyFixture.row(index: 1, reps: "x")])
        let tooMany = try FitdataProcess.run(["load", "hevy-csv", bad.path, "--max-rejects", "0"], environment: env)
        #expect(tooMany.status == 1 && tooMany.stderr.contains("rolled back"))
        let badTZ = try FitdataProcess.run(["load", "hevy-csv", bad.path, "--timezone", "Mars/Olympus"], environment: env)
        #expect(badTZ.status == 2 && badTZ.stderr.contains("unknown time zone"))
        let ok = try FitdataProcess.run(["load", "hevy-csv", bad.path, "--timezone", "UTC"], environment: env)
        #expect(ok.status == 0 && ok.stdout.contains("2 rows read, 1 loaded, 1 rejected"))
    }
}
