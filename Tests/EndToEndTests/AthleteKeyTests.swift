import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// Migration 0014: blocks and sets carry their workout's athlete (`athlete_sk`, the distribution column on Citus),
/// written by the Hevy CSV loader in its normal and bulk modes and enforced by the composite foreign keys.
@Suite struct AthleteKeyTests {
    /// Blocks or sets whose athlete is not their parent's (must be none).
    static let mismatched = """
        SELECT (SELECT count(*) FROM core.workout_exercises we JOIN core.workouts w ON w.workout_sk = we.workout_sk
                 WHERE we.athlete_sk <> w.athlete_sk)
             + (SELECT count(*) FROM core.sets s JOIN core.workout_exercises we ON we.workout_exercise_sk = s.workout_exercise_sk
                 WHERE s.athlete_sk <> we.athlete_sk)
        """

    func load(_ url: URL, _ c: Connection, athlete: String, bulkThreshold: Int) throws {
        _ = try HevyCSVLoader(connection: c).load(try HevyCSVFile.inspect(url),
                                                  options: .init(athleteId: athlete, timezone: "Europe/Lisbon", maxRejects: nil,
                                                                 bulkThreshold: bulkThreshold, languageSample: 2_000))
    }

    @Test func loadedBlocksAndSetsCarryTheirWorkoutsAthlete() throws {
        let db = try TestDatabase.initialized(prefix: "athletekey"); defer { db.drop() }
        let c = try db.connect()
        defer { c.close() }
        let file = try HevyFixture.write([
            HevyFixture.row("Push", exercise: "Bench Press (Barbell)", index: 0),
            HevyFixture.row("Push", exercise: "Bench Press (Barbell)", index: 1),
            HevyFixture.row("Push", exercise: "Overhead Press (Barbell)", index: 0),
            HevyFixture.row("Legs", start: "9 Apr 2026, 16:50", end: "9 Apr 2026, 17:50", exercise: "Squat (Barbell)", index: 0),
        ])
        defer { try? FileManager.default.removeItem(at: file) }
        try load(file, c, athlete: "first", bulkThreshold: 100_000)     // COPY with deferred keys
        try load(file, c, athlete: "second", bulkThreshold: 1)          // bulk mode: keys dropped and re-added
        // an edited workout: its blocks and sets are replaced, with the athlete
        let edited = try HevyFixture.write([
            HevyFixture.row("Push", exercise: "Bench Press (Barbell)", index: 0, weight: "102.5"),
            HevyFixture.row("Legs", start: "9 Apr 2026, 16:50", end: "9 Apr 2026, 17:50", exercise: "Squat (Barbell)", index: 0),
        ])
        defer { try? FileManager.default.removeItem(at: edited) }
        try load(edited, c, athlete: "first", bulkThreshold: 100_000)

        #expect(try c.query("SELECT count(*) FROM core.sets").scalar == "6")
        #expect(try c.query(Self.mismatched).scalar == "0")
        #expect(try c.query("""
            SELECT string_agg(a.athlete_id || ':' || n, ',' ORDER BY a.athlete_id)
              FROM (SELECT athlete_sk, count(*) AS n FROM core.sets GROUP BY 1) s JOIN core.athletes a USING (athlete_sk)
            """).scalar == "first:2,second:4")
        #expect(try c.query("SELECT bool_and(attnotnull) FROM pg_attribute WHERE attname = 'athlete_sk' "
                            + "AND attrelid IN ('core.sets'::regclass, 'core.workout_exercises'::regclass)").scalar == "t")

        // a set naming another athlete than its block's is refused by the composite key (23503), so is a block
        // naming another athlete than its workout's
        let other = try c.query("SELECT athlete_sk FROM core.athletes WHERE athlete_id = 'second'").scalar!
        let block = try c.query("""
            SELECT we.workout_exercise_sk FROM core.workout_exercises we JOIN core.athletes a USING (athlete_sk)
             WHERE a.athlete_id = 'first' LIMIT 1
            """).scalar!
        let workout = try c.query("""
            SELECT workout_sk FROM core.workouts w JOIN core.athletes a USING (athlete_sk) WHERE a.athlete_id = 'first' LIMIT 1
            """).scalar!
        for sql in ["INSERT INTO core.sets (athlete_sk, workout_exercise_sk, position, set_type) VALUES (\(other), \(block), 9, 'normal')",
                    "INSERT INTO core.workout_exercises (athlete_sk, workout_sk, position, exercise_sk) "
                        + "SELECT \(other), \(workout), 9, exercise_sk FROM core.exercises LIMIT 1"] {
            do {
                try c.execute(sql)
                Issue.record("accepted: \(sql)")
            } catch let e as PostgresClientError {
                #expect(e.sqlstate == "23503", "\(e)")
            }
        }
        // deleting a workout still cascades to its blocks and sets
        try c.execute("DELETE FROM core.workouts w USING core.athletes a WHERE a.athlete_sk = w.athlete_sk AND a.athlete_id = 'second'")
        #expect(try c.query("SELECT count(*) FROM core.sets").scalar == "2")
    }
}
