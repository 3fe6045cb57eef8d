import CSVStream
import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// The five real public Hevy exports in ../shared load cleanly (runs in CI; skips with a reason elsewhere).
@Suite("Real Hevy exports")
struct RealExportsTests {
    /// Records and distinct (start_time, title) pairs, counted straight from the file.
    func expectedCounts(_ url: URL) throws -> (records: Int, workouts: Int) {
        let reader = try CSVReader(url: url)
        let header = try reader.next()!.fields
        let ti = header.firstIndex(of: "title")!, si = header.firstIndex(of: "start_time")!
        var n = 0
        var pairs = Set<[String]>()
        while let r = try reader.next() { n += 1; pairs.insert([r.fields[si], r.fields[ti]]) }
        return (n, pairs.count)
    }

    @Test(.enabled(if: TestPaths.realDataTestsEnabled, Comment(rawValue: TestPaths.realDataSkipReason)))
    func allFiveLoadWithZeroRejectsAndReloadAddsNothing() throws {
        let real = try TestPaths.requireSharedRealData()
        let dir = real.appendingPathComponent("hevy")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(files.count == 5)
        let db = try TestDatabase.initialized(prefix: "real"); defer { db.drop() }
        let c = try db.connect()
        let loader = HevyCSVLoader(connection: c)
        for name in files {
            let url = dir.appendingPathComponent(name)
            let athlete = String(name.split(separator: "-")[0])
            let expected = try expectedCounts(url)
            let s = try loader.load(try HevyCSVFile.inspect(url), options: .init(athleteId: athlete, timezone: "UTC"))
            #expect(s.rowsRejected == 0, "\(name)")
            #expect(s.rowsRead == expected.records, "\(name)")
            let sets = try c.query("""
                SELECT count(*) FROM core.sets s JOIN core.workout_exercises USING (workout_exercise_sk)
                JOIN core.workouts w USING (workout_sk) JOIN core.athletes a ON a.athlete_sk = w.athlete_sk WHERE a.athlete_id = $1
                """, [athlete]).scalar
            let workouts = try c.query("SELECT count(*) FROM core.workouts JOIN core.athletes a USING (athlete_sk) WHERE a.athlete_id = $1", [athlete]).scalar
            #expect(sets == String(expected.records), "\(name)")
            #expect(workouts == String(expected.workouts), "\(name)")
            let again = try loader.load(try HevyCSVFile.inspect(url), options: .init(athleteId: athlete))
            #expect(again.workoutsNew == 0 && again.workoutsUpdated == 0 && again.setsNew == 0 && again.setsRemoved == 0, "\(name)")
            #expect(again.setsUnchanged == expected.records, "\(name)")
            if name.contains("ptbr") { #expect(s.language == "pt") }
            if name.contains("nathan") { #expect(s.weightUnit == "lbs" && s.distanceUnit == "miles") }
            if name.contains("austin") { #expect(s.weightUnit == "kg" && s.distanceUnit == "miles") }
        }
        #expect(try c.query("SELECT count(*) FROM raw.rejects").scalar == "0")
        // the documented record counts (SOURCES.md) for two files
        let documented: Int = 9335 + 13650 + 9436 + 4476 + 4063
        #expect(try c.query("SELECT count(*) FROM core.sets").scalar == String(documented))
    }
}
