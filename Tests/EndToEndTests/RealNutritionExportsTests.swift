import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// The four real nutrition exports in `../shared/data/real/nutrition` (see SOURCES.md there).
@Suite("Real nutrition exports")
struct RealNutritionExportsTests {
    /// Expected per file, counted independently of the loader (Python's csv module over the same files).
    struct Expected { let format: String; let rows: Int; let days: Int; let notLogged: Int; let weighIns: Int; let targets: Int }
    static let expected: [String: Expected] = [
        "myfitnesspal-nutrition-summary.csv": Expected(format: "myfitnesspal", rows: 872, days: 338, notLogged: 0, weighIns: 0, targets: 0),
        "cronometer-dailysummary-by-group.csv": Expected(format: "cronometer", rows: 935, days: 178, notLogged: 155, weighIns: 0, targets: 0),
        "cronometer-servings-with-time.csv": Expected(format: "cronometer-servings", rows: 116, days: 3, notLogged: 0, weighIns: 0, targets: 0),
        "macrofactor-daily-lbs.csv": Expected(format: "macrofactor", rows: 108, days: 72, notLogged: 36, weighIns: 57, targets: 8),
    ]

    @Test(.enabled(if: TestPaths.realDataTestsEnabled, Comment(rawValue: TestPaths.realDataSkipReason)))
    func allFourLoadWithZeroRejectsAndReloadChangesNothing() throws {
        let dir = try TestPaths.requireSharedRealData().appendingPathComponent("nutrition")
        let db = try TestDatabase.initialized(prefix: "realnutr"); defer { db.drop() }
        let c = try db.connect()
        let loader = NutritionLoader(connection: c)
        for (name, want) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let url = dir.appendingPathComponent(name)
            let athlete = String(name.dropLast(4))                  // one athlete per file
            let file = try NutritionFile.inspectNutrition(url)
            #expect(file.formatName == want.format, "\(name)")
            let s = try loader.load(file, options: .init(athleteId: athlete))
            #expect(s.rowsRejected == 0, "\(name)")
            #expect(s.rowsRead == want.rows && s.daysNew == want.days && s.daysNotLogged == want.notLogged, "\(name)")
            #expect(s.weighInsNew == want.weighIns && s.targetsWritten == want.targets, "\(name)")
            let again = try loader.load(try NutritionFile.inspectNutrition(url), options: .init(athleteId: athlete))
            #expect(again.daysUnchanged == want.days && again.daysNew + again.daysUpdated + again.entriesWritten + again.targetsWritten == 0, "\(name)")
            let means = try c.query("""
                SELECT count(*), round(avg(kcal), 1)::text, round(avg(protein_g), 1)::text
                FROM core.nutrition_days d JOIN core.athletes a USING (athlete_sk) WHERE a.athlete_id = $1
                """, [athlete]).rows[0]
            print("real nutrition \(name): \(s.daysLoaded) days loaded, \(s.daysNotLogged) not logged, \(s.weighIns) weigh-ins, "
                  + "\(s.targetsWritten) target rows, mean \(means[1] ?? "-") kcal and \(means[2] ?? "-") g protein a day")
        }
        // means over core.nutrition_days, checked against the independent count
        let mean = { (athlete: String) in
            try c.query("SELECT round(avg(kcal), 2)::text || '/' || round(avg(protein_g), 2)::text FROM core.nutrition_days JOIN core.athletes USING (athlete_sk) WHERE athlete_id = $1", [athlete]).scalar
        }
        #expect(try mean("myfitnesspal-nutrition-summary") == "2348.14/104.86")
        #expect(try mean("cronometer-dailysummary-by-group") == "2379.05/106.76")
        #expect(try mean("cronometer-servings-with-time") == "2417.17/119.38")
        #expect(try mean("macrofactor-daily-lbs") == "1348.66/128.66")
        #expect(try c.query("SELECT kcal::text FROM core.nutrition_days WHERE date = '2020-07-16'").scalar == "2479.57")
        #expect(try c.query("SELECT count(*) FROM raw.rejects").scalar == "0")
    }

    @Test func theSampleAthletesDietAndWeightLoadWithZeroRejects() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sample-\(UUID().uuidString.prefix(8))")
        let urls = try SampleAthlete(weeks: 8, seed: 7).write(to: dir)
        let again = try SampleAthlete(weeks: 8, seed: 7).write(to: dir.appendingPathComponent("again"))
        #expect(urls.map(\.lastPathComponent) == ["hevy_workouts.csv", "cronometer_dailysummary.csv", "body_weight.csv"])
        for (a, b) in zip(urls, again) { #expect(try Data(contentsOf: a) == Data(contentsOf: b)) }   // deterministic by seed
        let db = try TestDatabase.initialized(prefix: "samplenutr"); defer { db.drop() }
        let c = try db.connect()
        let loader = NutritionLoader(connection: c)
        let n = try loader.load(try NutritionFile.inspectNutrition(urls[1]), options: .init())
        #expect(n.format == "cronometer" && n.rowsRejected == 0)
        #expect(n.daysLoaded + n.daysNotLogged == 56 && n.daysNotLogged >= 7)     // a whole week and a few days not logged
        #expect(n.entriesWritten > 0)                                             // meal rows on some days
        let w = try loader.load(try NutritionFile.inspectBodyWeight(urls[2]), options: .init())
        #expect(w.rowsRejected == 0 && w.weighIns > 20 && w.weighIns < 56)
        // the meal rows add up to the Total row on every day that has them
        #expect(try c.query("""
            SELECT count(*) FROM core.nutrition_days d
            JOIN (SELECT date, sum(kcal) AS kcal FROM core.nutrition_entries GROUP BY date) e USING (date)
            WHERE d.kcal <> e.kcal
            """).scalar == "0")
    }
}
