import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// Writes a nutrition fixture exactly as given (line ends and BOM included).
func writeNutritionFile(_ text: String, bom: Bool = false, name: String = "nutrition") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8)).csv")
    try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: url)
    return url
}

@Suite("Nutrition and body-weight loaders against a real server")
struct NutritionLoaderTests {
    static let mfpHeader = "Date,Meal,Calories,Fat (g),Carbohydrates (g),Fiber,Protein (g),Iron,Note"
    static let mfp = [mfpHeader,
                      "2024-01-01,Breakfast,500.0,10.0,60.0,5.0,30.0,12.0,",
                      "2024-01-01,Dinner,700.5,20.0,80.0,6.0,50.0,3.0,",
                      "2024-01-02,Lunch,900.0,30.0,90.0,,40.0,260.0,"].joined(separator: "\r\n") + "\r\n"

    func load(_ url: URL, _ c: Connection, athlete: String = "me", maxRejects: Int? = nil,
              format: NutritionFormat? = nil) throws -> NutritionLoadSummary {
        try NutritionLoader(connection: c).load(try NutritionFile.inspectNutrition(url, format: format),
                                                options: .init(athleteId: athlete, maxRejects: maxRejects))
    }

    /// Every nutrition-related row, with its update time: equal before and after means nothing changed.
    static let fingerprint = """
        SELECT coalesce((SELECT string_agg(concat_ws('|', date, source, kcal, protein_g, carbs_g, fat_g, fiber_g, extra, updated_at), ';' ORDER BY date, source) FROM core.nutrition_days), '')
            || '#' || coalesce((SELECT string_agg(concat_ws('|', date, source, position, meal, food, kcal, extra, updated_at), ';' ORDER BY date, source, position) FROM core.nutrition_entries), '')
            || '#' || coalesce((SELECT string_agg(concat_ws('|', date, source, weight_kg, extra, updated_at), ';' ORDER BY date, source) FROM core.body_measurements), '')
            || '#' || coalesce((SELECT string_agg(concat_ws('|', effective_from, kcal, protein_g, sessions_per_week, source, updated_at), ';' ORDER BY effective_from) FROM core.athlete_targets), '')
        """

    @Test func myFitnessPalDaysAreSummedAndReloadChangesNothing() throws {
        let db = try TestDatabase.initialized(prefix: "nutr"); defer { db.drop() }
        let c = try db.connect()
        let url = try writeNutritionFile(Self.mfp, bom: true)
        let s = try load(url, c)
        #expect(s.rowsRead == 3 && s.rowsRejected == 0 && s.daysNew == 2)
        let day = try c.query("SELECT kcal::text, protein_g::text, fiber_g::text, extra->>'Iron' FROM core.nutrition_days WHERE date = '2024-01-01' AND source = 'myfitnesspal'").rows[0]
        #expect(day == ["1200.5", "80.0", "11.0", "15"])
        #expect(try c.query("SELECT fiber_g FROM core.nutrition_days WHERE date = '2024-01-02'").scalar == nil)   // unknown, not 0
        #expect(try c.query("SELECT count(*) FROM core.nutrition_entries").scalar == "3")
        let before = try c.query(Self.fingerprint).scalar
        let again = try load(url, c)
        #expect(again.daysUnchanged == 2 && again.daysNew == 0 && again.daysUpdated == 0 && again.entriesWritten == 0)
        #expect(try c.query(Self.fingerprint).scalar == before)
        #expect(try c.query("SELECT count(*) FROM raw.files WHERE kind = 'nutrition'").scalar == "1")
        #expect(try c.query("SELECT count(*) FROM meta.loads WHERE kind = 'nutrition' AND status = 'succeeded'").scalar == "2")
    }

    @Test func aNewerExportReplacesItsDaysAndKeepsTheOthers() throws {
        let db = try TestDatabase.initialized(prefix: "nutr"); defer { db.drop() }
        let c = try db.connect()
        _ = try load(try writeNutritionFile(Self.mfp), c)
        // the newer export: 2024-01-02 edited (a meal added), 2024-01-03 new, 2024-01-01 absent
        let newer = [Self.mfpHeader,
                     "2024-01-02,Breakfast,100.0,1.0,10.0,1.0,10.0,,",
                     "2024-01-02,Lunch,900.0,30.0,90.0,,40.0,260.0,",
                     "2024-01-03,Lunch,800.0,30.0,90.0,2.0,40.0,,"].joined(separator: "\r\n")
        let s = try load(try writeNutritionFile(newer), c)
        #expect(s.daysNew == 1 && s.daysUpdated == 1 && s.daysUnchanged == 0)
        let days = try c.query("SELECT date::text, kcal::text FROM core.nutrition_days ORDER BY date").rows
        #expect(days == [["2024-01-01", "1200.5"], ["2024-01-02", "1000.0"], ["2024-01-03", "800.0"]])
        let entries = try c.query("SELECT date::text, position, meal FROM core.nutrition_entries WHERE date = '2024-01-02' ORDER BY position").rows
        #expect(entries == [["2024-01-02", "0", "Breakfast"], ["2024-01-02", "1", "Lunch"]])
        #expect(try c.query("SELECT count(*) FROM core.nutrition_entries WHERE date = '2024-01-01'").scalar == "2")
    }

    @Test func rejectsLandWithLineAndFieldAndMaxRejectsRollsBack() throws {
        let db = try TestDatabase.initialized(prefix: "nutr"); defer { db.drop() }
        let c = try db.connect()
        let text = [Self.mfpHeader, "2024-01-01,Breakfast,500.0,10.0,60.0,5.0,30.0,,",
                    "2024-01-02,Lunch,abc,30.0,90.0,,40.0,,"].joined(separator: "\n")
        let url = try writeNutritionFile(text)
        #expect(throws: LoadError.self) { try load(url, c, maxRejects: 0) }
        #expect(try c.query("SELECT count(*) FROM core.nutrition_days").scalar == "0")
        #expect(try c.query("SELECT count(*) FROM raw.rejects").scalar == "0")
        #expect(try c.query("SELECT status FROM meta.loads").scalar == "failed")
        let s = try load(url, c, maxRejects: 1)
        #expect(s.rowsRejected == 1 && s.daysNew == 1)
        let r = try c.query("SELECT line_number, field, reason, raw_record FROM raw.rejects WHERE load_id = $1", [s.loadId]).rows
        #expect(r.count == 1 && r[0][0] == "3" && r[0][1] == "Calories" && r[0][3] == "2024-01-02,Lunch,abc,30.0,90.0,,40.0,,")
        #expect(r[0][2]?.contains("\"abc\" is not a number") == true)
    }

    @Test func cronometerTotalsNotGroupsBlankDaysSkipped() throws {
        let db = try TestDatabase.initialized(prefix: "nutr"); defer { db.drop() }
        let c = try db.connect()
        let text = ["Date,Group,Energy (kcal),Protein (g),Carbs (g),Fat (g),Fiber (g),Completed",
                    "2024-06-12,\"Total\",,,,,,false",
                    "2024-06-13,\"Breakfast\",500.00,30.00,50.00,10.00,5.00,true",
                    "2024-06-13,\"Total\",1500.00,90.00,150.00,40.00,20.00,true",
                    "2024-06-13,\"Dinner\",1000.00,60.00,100.00,30.00,15.00,true"].joined(separator: "\n") + "\n"
        let s = try load(try writeNutritionFile(text), c)
        #expect(s.daysNew == 1 && s.daysNotLogged == 1 && s.rowsRejected == 0 && s.entriesWritten == 2)
        #expect(try c.query("SELECT kcal::text FROM core.nutrition_days").rows == [["1500.00"]])
    }

    @Test func macroFactorWritesDaysWeighInsInKilogramsAndTargetChanges() throws {
        let db = try TestDatabase.initialized(prefix: "nutr"); defer { db.drop() }
        let c = try db.connect()
        try c.query("INSERT INTO core.athletes (athlete_id) VALUES ('me')")
        _ = try AthleteTargets.set(c, athleteId: "me", from: "2025-01-01", kcal: "2000", proteinG: "120", sessionsPerWeek: "4")
        let header = "Date,Expenditure,Trend Weight (lbs),Weight (lbs),Steps,Calories (kcal),Protein (g),Fat (g),Carbs (g),Target Calories (kcal),Target Protein (g),Target Fat (g),Target Carbs (g)"
        let rows = ["4/8/25,,,,10130,,,,,,,,",
                    "7/21/25,1930,166.40,166.0,9000,1300,150,30,90,1250,141,0,0",
                    "7/22/25,1924,166.39,165.8,13578,1349.23,149.13,25.8,98.12,1250,141,0,0",
                    "7/23/25,1917,166.34,,10601,1239.72,151.08,45.41,87.08,0,141,41,77"]
        let url = try writeNutritionFile(([header] + rows).joined(separator: "\r\n"))
        let s = try load(url, c)
        #expect(s.daysNew == 3 && s.daysNotLogged == 1 && s.weighInsNew == 2 && s.targetsWritten == 2)
        #expect(try c.query("SELECT weight_kg::text FROM core.body_measurements WHERE date = '2025-07-22' AND source = 'macrofactor'").scalar
                == "75.205614946")                                            // 165.8 × 0.45359237, exact
        let targets = try c.query("SELECT effective_from::text, kcal::text, protein_g::text, sessions_per_week::text, source FROM core.athlete_targets ORDER BY 1").rows
        #expect(targets == [["2025-01-01", "2000", "120", "4", "cli"],
                            ["2025-07-21", "1250", "141", "4", "macrofactor"],      // sessions carried over
                            ["2025-07-23", nil, "141", "4", "macrofactor"]])         // 0 = no calorie target
        let before = try c.query(Self.fingerprint).scalar
        let again = try load(url, c)
        #expect(again.targetsWritten == 0 && again.weighInsUnchanged == 2 && again.daysUnchanged == 3)
        #expect(try c.query(Self.fingerprint).scalar == before)
    }

    @Test func bodyWeightCSVLoadsPoundsAndReplacesItsDays() throws {
        let db = try TestDatabase.initialized(prefix: "nutr"); defer { db.drop() }
        let c = try db.connect()
        let loader = NutritionLoader(connection: c)
        let first = try writeNutritionFile("date,weight_lbs\n2024-01-01,176.4\n2024-01-02,\n1/3/24,177\n")
        let s = try loader.load(try NutritionFile.inspectBodyWeight(first), options: .init())
        #expect(s.weighInsNew == 2 && s.daysNotLogged == 1 && s.rowsRejected == 0)
        #expect(try c.query("SELECT date::text, weight_kg::text FROM core.body_measurements WHERE source = 'csv' ORDER BY 1").rows
                == [["2024-01-01", "80.013694068"], ["2024-01-03", "80.28584949"]])
        let newer = try writeNutritionFile("date,weight_kg\n2024-01-03,80.5\n")
        let s2 = try loader.load(try NutritionFile.inspectBodyWeight(newer), options: .init())
        #expect(s2.weighInsUpdated == 1)
        #expect(try c.query("SELECT count(*) FROM core.body_measurements").scalar == "2")
    }

    /// A NUL byte or invalid UTF-8 in a row is a reject naming line and column, with the row's original bytes.
    @Test func badBytesAreRejectsKeepingTheOriginalBytes() throws {
        let db = try TestDatabase.initialized(prefix: "nutr"); defer { db.drop() }
        let c = try db.connect()
        let bad1: [UInt8] = Array("2024-01-02,80.".utf8) + [0xFF, 0x35]     // invalid UTF-8 in weight_kg
        let bad2: [UInt8] = Array("2024-01-03,8".utf8) + [0x00] + Array("1".utf8)   // a NUL in weight_kg
        let bytes = Array("date,weight_kg\n2024-01-01,80.1\n".utf8) + bad1 + [0x0A] + bad2 + [0x0A]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bw-\(UUID().uuidString.prefix(8)).csv")
        try Data(bytes).write(to: url)
        let s = try NutritionLoader(connection: c).load(try NutritionFile.inspectBodyWeight(url), options: .init())
        #expect(s.weighInsNew == 1 && s.rowsRejected == 2)
        let rejects = try c.query("SELECT line_number, field, reason, encode(raw_bytes, 'hex') FROM raw.rejects ORDER BY line_number").rows
        #expect(rejects.count == 2)
        #expect(rejects.first == ["3", "weight_kg", "weight_kg is not valid UTF-8", bad1.map { String(format: "%02x", $0) }.joined()])
        #expect(rejects.last == ["4", "weight_kg", "weight_kg contains a NUL byte", bad2.map { String(format: "%02x", $0) }.joined()])
    }
}

@Suite("fitdata load nutrition / body-weight / targets set (CLI)")
struct NutritionCLITests {
    @Test func unknownFormatIsExitTwoNamingFormatsAndHeaderAndLoadsNothing() throws {
        let db = try TestDatabase.initialized(prefix: "nutrcli"); defer { db.drop() }
        let good = try writeNutritionFile(NutritionLoaderTests.mfp)
        let bad = try writeNutritionFile("When,What,How much\n2024-01-01,bread,1\n")
        let out = try FitdataProcess.run(["load", "nutrition", good.path, bad.path, "--database-url", db.conninfo])
        #expect(out.status == 2)
        #expect(out.stderr.contains("matches no nutrition format (myfitnesspal, cronometer, cronometer-servings, macrofactor)"))
        #expect(out.stderr.contains("header seen: When,What,How much"))
        #expect(out.stderr.split(separator: "\n").count == 1)
        let c = try db.connect()
        #expect(try c.query("SELECT count(*) FROM meta.loads").scalar == "0")
        let wrongFormat = try FitdataProcess.run(["load", "nutrition", good.path, "--format", "cronometer", "--database-url", db.conninfo])
        #expect(wrongFormat.status == 2 && wrongFormat.stderr.contains("not a cronometer export"))
        let ok = try FitdataProcess.run(["load", "nutrition", good.path, "--database-url", db.conninfo])
        #expect(ok.status == 0 && ok.stdout.contains("(myfitnesspal): 3 rows read, 0 rejected; days: 2 loaded (2 new"))
    }

    @Test func tooManyRejectsIsExitOne() throws {
        let db = try TestDatabase.initialized(prefix: "nutrcli"); defer { db.drop() }
        let url = try writeNutritionFile("date,weight_kg\n2024-01-01,80\n2024-01-02,heavy\n")
        let out = try FitdataProcess.run(["load", "body-weight", url.path, "--max-rejects", "0", "--database-url", db.conninfo])
        #expect(out.status == 1 && out.stderr.contains("rolled back"))
        #expect(try db.connect().query("SELECT count(*) FROM core.body_measurements").scalar == "0")
    }

    @Test func targetsSetUpsertsCarriesOverAndValidates() throws {
        let db = try TestDatabase.initialized(prefix: "nutrcli"); defer { db.drop() }
        func run(_ args: [String]) throws -> FitdataProcess.Output {
            try FitdataProcess.run(["targets", "set"] + args + ["--database-url", db.conninfo])
        }
        let a = try run(["--athlete", "me", "--from", "2026-01-05", "--kcal", "2500", "--protein-g", "160", "--sessions-per-week", "4"])
        #expect(a.status == 0 && a.stdout.contains("kcal 2500, protein 160 g, sessions/week 4"))
        let b = try run(["--athlete", "me", "--from", "2026-02-02", "--kcal", "2300"])
        #expect(b.status == 0 && b.stdout.contains("kcal 2300, protein 160 g, sessions/week 4"))
        let again = try run(["--athlete", "me", "--from", "2026-02-02", "--sessions-per-week", "5"])
        #expect(again.status == 0 && again.stdout.contains("kcal 2300, protein 160 g, sessions/week 5"))
        let c = try db.connect()
        #expect(try c.query("SELECT count(*) FROM core.athlete_targets").scalar == "2")
        for bad in [["--from", "2026-13-01", "--kcal", "2000"], ["--from", "2026-01-01"], ["--from", "2026-01-01", "--kcal", "-5"],
                    ["--from", "2026-01-01", "--protein-g", "1,5"], ["--from", "2026-01-01", "--sessions-per-week", "22"]] {
            let out = try run(["--athlete", "me"] + bad)
            #expect(out.status == 2, "\(bad)")
            #expect(!out.stderr.isEmpty)
        }
        #expect(try c.query("SELECT count(*) FROM core.athlete_targets").scalar == "2")
    }
}
