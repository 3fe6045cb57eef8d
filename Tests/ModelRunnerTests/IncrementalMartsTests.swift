import Foundation
import ModelRunner
import PostgresClient
import Testing
import TestSupport

/// The project's incremental models (docs/scaling.md "Incremental marts"): after late-arriving or edited data, an
/// incremental build leaves every mart exactly as a full rebuild would, and rebuilds only the changed athletes' weeks.
@Suite("Incremental marts equal a full rebuild", .serialized)
struct IncrementalMartsTests {
    /// The incremental models (all have `athlete_id` and `week_start`).
    static let incrementalModels = [
        "intermediate.int_sets__metrics", "intermediate.int_workouts__metrics", "intermediate.int_exercise_sessions",
        "intermediate.int_main_lifts__weekly", "intermediate.int_body_weight__trend", "intermediate.int_athlete_targets__daily",
        "intermediate.int_nutrition__weekly",
        "marts.fct_sets", "marts.fct_workouts", "marts.fct_nutrition_daily", "marts.mart_exercise_progression",
        "marts.mart_weekly_training", "marts.mart_weekly_muscle_volume", "marts.fct_cardio", "marts.fct_body_weight_daily",
        "marts.mart_weekly_nutrition", "marts.mart_weekly_training_diet", "marts.mart_weekly_report",
    ]

    /// A row's key within an athlete, for "was this row there before the build": its day where it has one per day.
    static func rowKey(_ model: String) -> String {
        model == "intermediate.int_athlete_targets__daily" ? "target_date" : "week_start"
    }

    /// A loaded sample roster (3 athletes x 12 weeks), built once and marked built through the change log.
    final class Fixture {
        let db: TestDatabase
        let c: Connection
        let target: String

        init() throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("incr-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: dir) }
            let sample = try FitdataProcess.run(["sample", "--athletes", "3", "--weeks", "12", "--seed", "42",
                                                 "--end-date", "2026-11-22", "--out", dir.path])
            guard sample.status == 0 else { throw FixtureError("fitdata sample failed: \(sample.stderr)") }
            db = try TestDatabase(prefix: "incr")
            let load = try ChildProcess.run(URL(fileURLWithPath: "/bin/bash"),
                                            [TestPaths.repoRoot.appendingPathComponent("scripts/load-sample-athletes.sh").path, dir.path],
                                            environment: ["DATABASE_URL": db.conninfo, "FITDATA": FitdataProcess.executable.path, "LOAD_JOBS": "1"])
            guard load.status == 0 else { throw FixtureError("load-sample-athletes.sh failed: \(load.stderr)") }
            c = try db.connect()
            target = FileManager.default.temporaryDirectory.appendingPathComponent("incr-target-\(UUID().uuidString)").path
        }

        deinit {
            c.close()
            db.drop()
            try? FileManager.default.removeItem(atPath: target)
        }

        /// `fitdata build` of the real project; the rows each model inserted, by `schema.name`.
        @discardableResult
        func build(fullRefresh: Bool) throws -> [String: Int] {
            var o = RunnerOptions(command: .build)
            o.projectDir = TestPaths.repoRoot.appendingPathComponent("dbt_style_models").path
            o.targetDir = target
            o.databaseURL = db.conninfo
            o.fullRefresh = fullRefresh
            let errors = LinesBox()
            let outcome = ModelRunner(options: o, log: { _ in }, logError: { errors.append($0) }).execute()
            guard outcome.exitCode == 0 else { throw FixtureError("build failed: \(errors.lines.joined(separator: "\n"))") }
            var rows: [String: Int] = [:]
            for r in outcome.results where r.uniqueId.hasPrefix("model.") {
                // relation_name is "db"."schema"."name", as dbt-postgres writes it; keyed here by schema.name.
                guard let rel = r.relationName?.replacingOccurrences(of: "\"", with: "").split(separator: ".").suffix(2)
                    .joined(separator: ".") else { continue }
                rows[rel] = r.rowsAffected
            }
            return rows
        }

        /// What the pipeline records after a successful build: built through the newest change.
        func markBuilt() throws {
            try c.execute("""
                INSERT INTO meta.mart_watermark (singleton, change_id)
                SELECT true, coalesce(max(change_id), 0) FROM core.change_log
                ON CONFLICT (singleton) DO UPDATE SET change_id = EXCLUDED.change_id;
                DELETE FROM core.change_log WHERE change_id <= (SELECT change_id FROM meta.mart_watermark)
                """)
        }

        func scalar(_ sql: String, _ params: [any SQLParameter] = []) throws -> String? { try c.query(sql, params).scalar }

        /// Every table of the intermediate and marts schemas.
        func builtTables() throws -> [String] {
            try c.query("""
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_schema IN ('intermediate', 'marts') AND table_type = 'BASE TABLE' ORDER BY 1
                """).rows.compactMap { $0[0] }
        }

        /// Applies `change`, builds incrementally, and checks the result against a full rebuild (every built
        /// table, EXCEPT ALL both ways) and that each incremental model inserted exactly the changed athletes'
        /// rows from their rebuild week on. Returns the rows the incremental models inserted.
        @discardableResult
        func check(_ scenario: String, _ change: String) throws -> [String: Int] {
            let touched = try c.execute(change).affectedRows
            let athletes = try scalar("SELECT string_agg(a.athlete_id || ':' || w.n, ' ') FROM core.athletes a JOIN (SELECT athlete_sk, count(*) n FROM core.workouts GROUP BY 1) w USING (athlete_sk)")
            #expect(touched > 0, "\(scenario): the change touched no row (workouts per athlete: \(athletes ?? "none"))")
            let pending = try c.query("SELECT athlete_id, rebuild_week::text FROM intermediate.int_changes__rebuild_from").rows
            let logged = try scalar("SELECT count(*) || ' rows after ' || (SELECT change_id FROM meta.mart_watermark) FROM core.change_log")
            #expect(!pending.isEmpty, "\(scenario): the change is logged (change_log: \(logged ?? "?"))")
            if pending.isEmpty { return [:] }
            // The keys each incremental model had before the build: rows with a key not among them are new
            // (weeks after a break, the calendar's new days) and are built whatever the rebuild week.
            try c.execute("DROP SCHEMA IF EXISTS incr_before CASCADE; CREATE SCHEMA incr_before")
            for model in IncrementalMartsTests.incrementalModels {
                let key = IncrementalMartsTests.rowKey(model)
                try c.execute("CREATE TABLE incr_before.\(model.replacingOccurrences(of: ".", with: "__")) AS SELECT DISTINCT athlete_id, \(key) AS key FROM \(model)")
            }
            let inserted = try build(fullRefresh: false)
            try c.execute("DROP SCHEMA IF EXISTS incr_snapshot CASCADE; CREATE SCHEMA incr_snapshot")
            let tables = try builtTables()
            for t in tables {
                try c.execute("CREATE TABLE incr_snapshot.\(t.replacingOccurrences(of: ".", with: "__")) AS SELECT * FROM \(t)")
            }
            try build(fullRefresh: true)
            for t in tables {
                let snap = "incr_snapshot.\(t.replacingOccurrences(of: ".", with: "__"))"
                let diff = try scalar("""
                    SELECT (SELECT count(*) FROM (SELECT * FROM \(snap) EXCEPT ALL SELECT * FROM \(t)) a)
                         + (SELECT count(*) FROM (SELECT * FROM \(t) EXCEPT ALL SELECT * FROM \(snap)) b)
                    """)
                #expect(diff == "0", "\(scenario): \(t) differs from a full rebuild in \(diff ?? "?") rows")
            }
            // Touched only the changed keys: each incremental model inserted exactly the changed athletes' rows
            // from their rebuild week on and the rows whose key is new (counted in the full rebuild), fewer than all.
            let changed = pending.map { "('\($0[0]!)', date '\($0[1]!)')" }.joined(separator: ", ")
            for model in IncrementalMartsTests.incrementalModels {
                let key = IncrementalMartsTests.rowKey(model)
                let expected = try scalar("""
                    SELECT count(*) FROM \(model) t LEFT JOIN (VALUES \(changed)) AS c (athlete_id, rebuild_week) ON t.athlete_id = c.athlete_id
                     WHERE t.week_start >= c.rebuild_week
                        OR NOT EXISTS (SELECT 1 FROM incr_before.\(model.replacingOccurrences(of: ".", with: "__")) b
                                        WHERE b.athlete_id = t.athlete_id AND b.key = t.\(key))
                    """).flatMap(Int.init)
                let all = try scalar("SELECT count(*) FROM \(model)").flatMap(Int.init) ?? 0
                #expect(inserted[model] == expected, "\(scenario): \(model) inserted \(inserted[model] ?? -1), expected \(expected ?? -1)")
                #expect((inserted[model] ?? 0) < all, "\(scenario): \(model) rebuilt everything")
            }
            try markBuilt()
            return inserted
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    final class LinesBox: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ s: String) { lock.lock(); stored.append(s); lock.unlock() }
        var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
    }

    /// One athlete's workout `weeksBack` weeks before its last one (the latest workout of that week).
    static func workout(_ athlete: String, weeksBack: Int) -> String {
        """
        (SELECT w.workout_sk FROM core.workouts w JOIN core.athletes a USING (athlete_sk)
          WHERE a.athlete_id = '\(athlete)' AND w.deleted_at IS NULL
            AND w.local_date <= (SELECT max(local_date) FROM core.workouts x WHERE x.athlete_sk = w.athlete_sk) - \(7 * weeksBack)
          ORDER BY w.local_date DESC, w.workout_sk DESC LIMIT 1)
        """
    }

    /// Repeats `athlete`'s latest workout, its exercises and sets, `days` later.
    static func repeatLatestWorkout(_ athlete: String, days: Int) -> String {
        """
        WITH src AS (SELECT * FROM core.workouts WHERE workout_sk = \(workout(athlete, weeksBack: 0))),
        copy AS (
            INSERT INTO core.workouts (athlete_sk, source, title, start_local, started_at, ended_at, local_date)
            SELECT athlete_sk, 'hevy_api', title, start_local + interval '\(days) days', started_at + interval '\(days) days',
                   ended_at + interval '\(days) days', local_date + \(days)
              FROM src
            RETURNING workout_sk),
        blocks AS (
            INSERT INTO core.workout_exercises (workout_sk, position, exercise_sk, athlete_sk)
            SELECT copy.workout_sk, we.position, we.exercise_sk, we.athlete_sk
              FROM core.workout_exercises we JOIN src USING (workout_sk) CROSS JOIN copy
            RETURNING workout_exercise_sk, position)
        INSERT INTO core.sets (workout_exercise_sk, position, set_index, set_type, weight_kg, reps, distance_m, duration_s, rpe, athlete_sk)
        SELECT blocks.workout_exercise_sk, s.position, s.set_index, s.set_type, s.weight_kg, s.reps, s.distance_m, s.duration_s, s.rpe, s.athlete_sk
          FROM core.sets s JOIN core.workout_exercises we USING (workout_exercise_sk) JOIN src ON src.workout_sk = we.workout_sk
          JOIN blocks ON blocks.position = we.position
        """
    }

    @Test func lateAndEditedDataLandAsAFullRebuildWouldAndTouchOnlyTheChangedWeeks() throws {
        let f = try Fixture()
        try f.build(fullRefresh: false)          // first build: the tables do not exist yet, so they are built whole
        try f.markBuilt()
        #expect(try f.scalar("SELECT count(*) FROM intermediate.int_changes__rebuild_from") == "0")
        #expect(try f.scalar("SELECT count(DISTINCT athlete_id) FROM marts.fct_sets") == "3")

        // An edited workout from last month: heavier sets (PRs and 4-week changes after it move).
        try f.check("edited workout", """
            UPDATE core.sets SET weight_kg = weight_kg + 7.5
             WHERE weight_kg > 0 AND workout_exercise_sk IN (
                   SELECT workout_exercise_sk FROM core.workout_exercises WHERE workout_sk = \(Self.workout("athlete-0001", weeksBack: 4)))
            """)
        // A workout deleted in the app (the sync's soft delete) and one removed outright, the athlete's latest:
        // its week may lose its last workout, so the rebuilt rows must replace rows that no longer exist.
        try f.check("deleted workouts", """
            UPDATE core.workouts SET deleted_at = now() WHERE workout_sk = \(Self.workout("athlete-0002", weeksBack: 2));
            DELETE FROM core.workouts WHERE workout_sk = \(Self.workout("athlete-0003", weeksBack: 0))
            """)
        // A back-filled nutrition day: a day six weeks back that had no log.
        try f.check("back-filled nutrition day", """
            INSERT INTO core.nutrition_days (athlete_sk, date, source, kcal, protein_g, carbs_g, fat_g)
            SELECT a.athlete_sk, d::date, 'cronometer', 2450, 160, 250, 80
              FROM core.athletes a,
                   generate_series((SELECT max(date) FROM core.nutrition_days) - 60, (SELECT max(date) FROM core.nutrition_days) - 42, interval '1 day') d
             WHERE a.athlete_id = 'athlete-0002'
               AND NOT EXISTS (SELECT 1 FROM core.nutrition_days n WHERE n.athlete_sk = a.athlete_sk AND n.date = d::date)
             ORDER BY d LIMIT 1
            """)
        // A day logged before the athlete's first: no week of the athlete is kept, its weeks start at the new day.
        try f.check("nutrition day before the first", """
            INSERT INTO core.nutrition_days (athlete_sk, date, source, kcal, protein_g, carbs_g, fat_g)
            SELECT a.athlete_sk, (SELECT min(n.date) FROM core.nutrition_days n WHERE n.athlete_sk = a.athlete_sk) - 10,
                   'macrofactor', 2100, 150, 220, 70
              FROM core.athletes a WHERE a.athlete_id = 'athlete-0003'
            """)
        // Two more sources for a logged day three weeks back: the winner rule picks among three (or two) sources.
        try f.check("more sources for a logged day", """
            INSERT INTO core.nutrition_days (athlete_sk, date, source, kcal, protein_g, carbs_g, fat_g)
            SELECT n.athlete_sk, n.date, s.source, n.kcal + 300, n.protein_g, n.carbs_g, n.fat_g
              FROM (SELECT n.* FROM core.nutrition_days n JOIN core.athletes a USING (athlete_sk)
                     WHERE a.athlete_id = 'athlete-0001' AND n.kcal IS NOT NULL
                       AND n.date <= (SELECT max(date) FROM core.nutrition_days) - 21
                     ORDER BY n.date DESC LIMIT 1) n,
                   (VALUES ('cronometer_servings'), ('myfitnesspal')) s(source)
             WHERE NOT EXISTS (SELECT 1 FROM core.nutrition_days x WHERE x.athlete_sk = n.athlete_sk AND x.date = n.date AND x.source = s.source)
            """)
        // A re-sync that changes one set of a recent workout (more reps: a new best set).
        try f.check("re-synced set", """
            UPDATE core.sets SET reps = reps + 3
             WHERE set_sk = (SELECT min(s.set_sk) FROM core.sets s JOIN core.workout_exercises we USING (workout_exercise_sk)
                              WHERE we.workout_sk = \(Self.workout("athlete-0001", weeksBack: 1)) AND s.reps > 0)
            """)
        // A late weigh-in between two others: interpolated days before it, the trend after it and the load of
        // bodyweight sets change.
        try f.check("late weigh-in", """
            INSERT INTO core.body_measurements (athlete_sk, date, source, weight_kg)
            SELECT b.athlete_sk, d::date, 'csv', b.weight_kg + 1.5
              FROM (SELECT DISTINCT ON (m.athlete_sk) m.athlete_sk, m.date, m.weight_kg
                      FROM core.body_measurements m JOIN core.athletes a USING (athlete_sk)
                     WHERE a.athlete_id = 'athlete-0002' AND m.weight_kg IS NOT NULL
                     ORDER BY m.athlete_sk, m.date DESC) b,
                   generate_series(b.date - 40, b.date - 20, interval '1 day') d
             WHERE NOT EXISTS (SELECT 1 FROM core.body_measurements x WHERE x.athlete_sk = b.athlete_sk AND x.date = d::date)
             ORDER BY d LIMIT 1
            """)
        // New targets from three weeks back (`fitdata targets set`): every day since then has other targets.
        try f.check("new targets", """
            INSERT INTO core.athlete_targets (athlete_sk, effective_from, kcal, protein_g, sessions_per_week)
            SELECT a.athlete_sk, (SELECT max(date) FROM core.nutrition_days) - 21, 2300, 175, 5
              FROM core.athletes a WHERE a.athlete_id = 'athlete-0003'
            """)
        // A workout after a break: athlete-0001's latest workout repeated four weeks later. The three weeks between
        // are new rows although before the rebuild week, and the calendar grows for every athlete.
        try f.check("workout after a break", Self.repeatLatestWorkout("athlete-0001", days: 28))
        // That workout deleted again: the athlete's last week moves back four weeks, so the kept weeks after it go,
        // and the calendar shrinks back.
        try f.check("latest workout deleted after a break", """
            DELETE FROM core.workouts WHERE workout_sk = \(Self.workout("athlete-0001", weeksBack: 0))
            """)
        // One more day for every athlete (the daily pipeline's case), in a new week: the calendar grows by a week.
        try f.check("one more day for every athlete", """
            INSERT INTO core.nutrition_days (athlete_sk, date, source, kcal, protein_g, carbs_g, fat_g)
            SELECT a.athlete_sk, (SELECT max(date) FROM core.nutrition_days) + 7, 'cronometer', 2450, 160, 250, 80
              FROM core.athletes a
            """)
        // Nothing changed: an incremental build inserts nothing into the incremental models.
        let idle = try f.build(fullRefresh: false)
        for model in Self.incrementalModels { #expect(idle[model] == 0, "\(model) inserted \(idle[model] ?? -1) with nothing changed") }
    }
}
