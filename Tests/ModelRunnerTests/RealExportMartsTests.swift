import FitLoader
import FitSchema
import Foundation
import ModelRunner
import PostgresClient
import Testing
import TestSupport

/// The project's marts built over real exports show exact values (runs in CI; skips with a reason elsewhere).
@Suite("Marts over real exports")
struct RealExportMartsTests {
    @Test(.enabled(if: TestPaths.realDataTestsEnabled, Comment(rawValue: TestPaths.realDataSkipReason)))
    func e1rmAndTonnageAreExactThenRounded() throws {
        let hevy = try TestPaths.requireSharedRealData().appendingPathComponent("hevy")
        let db = try TestDatabase.initialized(prefix: "realmarts"); defer { db.drop() }
        let c = try db.connect(); defer { c.close() }
        let loader = HevyCSVLoader(connection: c)
        for (file, athlete) in [("austin-kg-miles-mixed-units.csv", "austin"), ("stvrv-kg-rpe-supersets.csv", "stvrv")] {
            let s = try loader.load(try HevyCSVFile.inspect(hevy.appendingPathComponent(file)),
                                    options: .init(athleteId: athlete, timezone: "UTC"))
            #expect(s.rowsRejected == 0, "\(file)")
        }
        var o = RunnerOptions(command: .build)
        o.projectDir = TestPaths.repoRoot.appendingPathComponent("dbt_style_models").path
        o.targetDir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-realmarts-\(UUID().uuidString)").path
        o.databaseURL = db.conninfo
        let outcome = ModelRunner(options: o, log: { _ in }, logError: { _ in }).execute()
        #expect(outcome.exitCode == 0)

        // Sets that weight * (1 + n / 30) put 0.01 kg low: 94.35 x 7 = 116.365, 95.25 x 7 = 117.475,
        // 7.5 x 12 at RPE 7.5 (n = 14.5) = 11.125; shown rounded half up.
        let cases: [(athlete: String, weight: String, reps: Int, rpe: String?, shown: String)] = [
            ("austin", "94.35", 7, nil, "116.37"), ("austin", "95.25", 7, nil, "117.48"), ("stvrv", "7.5", 12, "7.5", "11.13"),
        ]
        for k in cases {
            let shown = try c.query("""
                SELECT DISTINCT e1rm_kg::text FROM marts.fct_sets
                WHERE athlete_id = $1 AND weight_kg = $2::numeric AND reps = $3 AND rpe IS NOT DISTINCT FROM $4::numeric
                  AND NOT is_warmup AND NOT is_bodyweight
                """, [k.athlete, k.weight, k.reps, k.rpe]).rows.compactMap { $0[0] }
            #expect(shown == [k.shown], "\(k)")
        }
        // Tonnage: the rounded sum of exact set volumes, per workout and per week.
        #expect(try c.query("""
            SELECT count(*) FROM marts.fct_workouts w
            JOIN (SELECT workout_sk, round(coalesce(sum(volume_kg), 0), 2) AS t FROM intermediate.int_sets__metrics GROUP BY 1) s
              ON s.workout_sk = w.workout_id
            WHERE w.tonnage_kg <> s.t
            """).scalar == "0")
        #expect(try c.query("SELECT count(*) FROM marts.fct_workouts").scalar.flatMap(Int.init) ?? 0 > 0)
    }
}
