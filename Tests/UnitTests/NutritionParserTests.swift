import Foundation
import Testing
@testable import FitLoader

/// Writes `text` to a temporary file exactly as given (line ends and BOM included).
func nutritionFixture(_ text: String, bom: Bool = false) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nutrition-\(UUID().uuidString.prefix(8)).csv")
    try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: url)
    return url
}

@Suite("Dates of nutrition exports")
struct CalendarDateTests {
    @Test func twoDigitYearsPivotAt69() {
        #expect(CalendarDate.parse("4/8/25")?.description == "2025-04-08")
        #expect(CalendarDate.parse("12/31/68")?.description == "2068-12-31")
        #expect(CalendarDate.parse("1/2/69")?.description == "1969-01-02")
        #expect(CalendarDate.parse("7/24/2025")?.description == "2025-07-24")
    }

    @Test func isoPaddedAndUnpadded() {
        #expect(CalendarDate.parse("2011-4-18")?.description == "2011-04-18")
        #expect(CalendarDate.parse(" 2024-02-29 ")?.description == "2024-02-29")
        #expect(CalendarDate.parse("2023-02-29") == nil)
        #expect(CalendarDate.parse("2024-13-01") == nil)
        #expect(CalendarDate.parse("24-01-01") == nil)
        #expect(CalendarDate.parse("4/8/125") == nil)
        #expect(CalendarDate.parse("") == nil)
    }

    @Test func slashOrderIsDecidedPerFile() throws {
        #expect(try SlashDateOrder.detect(["4/8/25", "4/9/25"]) == .monthFirst)
        #expect(try SlashDateOrder.detect(["4/8/25", "25/8/25"]) == .dayFirst)
        #expect(CalendarDate.parse("4/8/25", order: .dayFirst)?.description == "2025-08-04")
        #expect(throws: (any Error).self) { try SlashDateOrder.detect(["13/1/25", "1/13/25"]) }
    }
}

@Suite("Nutrition export parsers")
struct NutritionParserTests {
    func parse(_ text: String, bom: Bool = false, format: NutritionFormat? = nil) throws -> NutritionFile {
        try NutritionFile.inspectNutrition(try nutritionFixture(text, bom: bom), format: format)
    }

    static let mfpHeader = "Date,Meal,Calories,Fat (g),Saturated Fat,Polyunsaturated Fat,Monounsaturated Fat,Trans Fat,Cholesterol,Sodium (mg),Potassium,Carbohydrates (g),Fiber,Sugar,Protein (g),Vitamin A,Vitamin C,Calcium,Iron,Note"

    @Test func formatsAreDetectedFromTheHeader() throws {
        #expect(try parse(Self.mfpHeader + "\r\n").kind == .nutrition(.myfitnesspal))
        #expect(try parse("Date,Group,Energy (kcal),Protein (g),Completed\n").kind == .nutrition(.cronometer))
        #expect(try parse("Date,Energy (kcal),Protein (g)\n").kind == .nutrition(.cronometer))
        #expect(try parse("Day,Time,Group,Food Name,Amount,Energy (kcal),Category\n").kind == .nutrition(.cronometerServings))
        #expect(try parse("Date,Expenditure,Trend Weight (lbs),Weight (lbs),Steps,Calories (kcal),Protein (g),Fat (g),Carbs (g)\r\n").kind == .nutrition(.macrofactor))
        // µ (U+00B5) and μ (U+03BC) in a header are the same column
        #expect(NutritionHeader(["B12 (Cobalamin) (\u{00B5}g)"]).column("B12 (Cobalamin) (\u{03BC}g)") == 0)
    }

    @Test func unknownHeaderNamesTheFormatsAndTheHeader() throws {
        do {
            _ = try parse("date,weight_kg\n2024-01-01,80\n")
            Issue.record("a body-weight file is not a nutrition export")
        } catch let e as LoadError {
            #expect(e.description.contains("myfitnesspal, cronometer, cronometer-servings, macrofactor"))
            #expect(e.description.contains("header seen: date,weight_kg"))
        }
        #expect(throws: LoadError.self) { try parse(Self.mfpHeader + "\n", format: .cronometer) }
    }

    @Test func myFitnessPalMealsAreSummedToDaysAndUnitlessColumnsKeptRaw() throws {
        let text = [Self.mfpHeader,
                    "2018-10-15,Breakfast,1003.0,24.0,6.7,1.8,5.1,0.0,573.3,424.8,177.0,49.8,3.0,22.9,23.0,0.0,0.0,2.0,10.0,",
                    "2018-10-15,Dinner,788.8,34.3,9.8,7.3,13.3,0.0,480.4,794.0,484.4,56.4,0.0,0.3,57.4,9.5,0.0,9.9,22.6,",
                    "2018-10-16,Lunch,250.0,20.0,17.0,0.0,0.0,0.0,15.0,200.0,100.0,36.0,5.0,4.0,19.0,24.0,0.0,7.0,8.0,"]
            .joined(separator: "\r\n") + "\r\n"
        let f = try parse(text, bom: true)
        let p = f.parse
        #expect(p.rowsRead == 3 && p.rejects.isEmpty)
        #expect(p.days.map(\.date.description) == ["2018-10-15", "2018-10-16"])
        let d = p.days[0].nutrients
        #expect(d.kcal?.value == Decimal(string: "1791.8"))       // 1003.0 + 788.8
        #expect(d.proteinG?.value == Decimal(string: "80.4"))     // 23.0 + 57.4
        #expect(d.carbsG?.value == Decimal(string: "106.2"))      // 49.8 + 56.4
        #expect(d.fatG?.value == Decimal(string: "58.3"))         // 24.0 + 34.3
        #expect(d.fiberG?.value == Decimal(string: "3"))          // 3.0 + 0.0
        #expect(p.entries.count == 3 && p.entries[1].meal == "Dinner" && p.entries[1].position == 1)
        let iron = p.entries[0].extra.first { $0.0 == "Iron" }?.1
        #expect(iron == .number("10"))
        #expect(p.entries[0].extra.contains { $0.0 == "Note" } == false)   // empty cells are not kept
        // no stray \r in the last field, and the BOM is not part of the first column's name
        #expect(p.days[1].nutrients.kcal?.text == "250.0")
    }

    @Test func myFitnessPalTwelveHourTimes() throws {
        let f = try parse("Date,Meal,Time,Calories,Protein (g)\n2024-01-02,Breakfast,8:00 AM,95,1\n2024-01-02,Breakfast,12:30 PM,5,2\n2024-01-02,Dinner,,1,1")
        #expect(f.parse.entries.map(\.time) == ["08:00", "12:30", nil])
        #expect(f.parse.days.first?.nutrients.kcal?.value == 101)
    }

    static let cronometerHeader = "Date,Group,Energy (kcal),Protein (g),Carbs (g),Fat (g),Fiber (g),Water (g),Completed"

    @Test func cronometerUsesTotalRowsNotGroupsAndBlankDaysAreNotLogged() throws {
        let f = try parse([Self.cronometerHeader,
                           "2024-06-12,\"Total\",,,,,,,false",
                           "2024-06-13,\"Breakfast\",500.00,30.00,50.00,10.00,5.00,100.00,true",
                           "2024-06-13,\"Total\",1500.00,90.00,150.00,40.00,20.00,300.00,true",
                           "2024-06-13,\"Dinner\",1000.00,60.00,100.00,30.00,15.00,200.00,true",
                           "2024-06-14,\"Total\",2000.00,100.00,,60.00,,,true",
                           "2024-06-15,\"Lunch\",700.00,40.00,,,,,true"].joined(separator: "\n") + "\n")
        let p = f.parse
        #expect(p.rejects.isEmpty)
        #expect(p.notLogged == [CalendarDate(year: 2024, month: 6, day: 12)!])
        #expect(p.days.map(\.date.description) == ["2024-06-13", "2024-06-14", "2024-06-15"])
        #expect(p.days[0].nutrients.kcal?.value == 1500)                // the Total row, not 1500 + 1500
        #expect(p.days[1].nutrients.carbsG == nil)                      // empty is unknown, never 0
        #expect(p.days[2].nutrients.kcal?.value == 700)                 // a date with groups and no Total: their sum
        #expect(p.entries.map(\.meal) == ["Breakfast", "Dinner", "Lunch"])
        #expect(p.days[0].extra.first { $0.0 == "Completed" }?.1 == .text("true"))
    }

    @Test func cronometerServingsAreSummedAndAmountsKeptAsText() throws {
        let f = try parse("""
            Day,Time,Group,Food Name,Amount,Energy (kcal),Protein (g),Carbs (g),Fat (g),Fiber (g),Category
            2020-07-15,05:17,Drinks,"Jasmine Tea","600.00 g",6.00,0.00,1.80,0.00,0.00,""
            2020-07-15,,Breakfast,"Egg, whole, raw","107.00 g",153.01,13.46,0.77,10.18,,"Dairy and Egg Products"
            2020-7-16,09:36,Breakfast,"Oatmeal","45.00 g",170.55,5.92,30.47,2.93,4.55,"Breakfast Cereals"
            """)
        let p = f.parse
        #expect(p.rejects.isEmpty && p.days.count == 2)
        #expect(p.days[0].nutrients.kcal?.value == Decimal(string: "159.01"))
        #expect(p.days[0].nutrients.fiberG?.value == 0)
        #expect(p.entries[1].food == "Egg, whole, raw" && p.entries[1].amount == "107.00 g" && p.entries[1].time == nil)
        #expect(p.entries[0].time == "05:17")
        #expect(p.days[1].date.description == "2020-07-16")
    }

    @Test func macroFactorPoundsTwoDigitYearsTargetsAndUnloggedDays() throws {
        let f = try parse("""
            Date,Expenditure,Trend Weight (lbs),Weight (lbs),Steps,Calories (kcal),Protein (g),Fat (g),Carbs (g),Target Calories (kcal),Target Protein (g),Target Fat (g),Target Carbs (g)\r
            4/8/25,,,,10130,,,,,,,,\r
            7/22/25,1924,166.39,165.8,13578,1349.23,149.13,25.8,98.12,1250,141,0,0\r
            7/23/25,1917,166.34,,10601,1239.72,151.08,45.41,87.08,0,141,41,77
            """)
        let p = f.parse
        #expect(p.rejects.isEmpty)
        #expect(p.notLogged == [CalendarDate(year: 2025, month: 4, day: 8)!])
        #expect(p.days.map(\.date.description) == ["2025-07-22", "2025-07-23"])
        #expect(p.days[0].extra.first { $0.0 == "Steps" }?.1 == .number("13578"))
        #expect(p.days[0].extra.first { $0.0 == "Target Fat (g)" }?.1 == .number("0"))
        #expect(p.weighIns.count == 1 && p.weighIns[0].unit == .lbs && p.weighIns[0].weight.text == "165.8")
        #expect(p.targets.count == 2)
        #expect(p.targets[0].kcal?.text == "1250" && p.targets[0].proteinG?.text == "141")
        #expect(p.targets[1].kcal == nil)                                // 0 = no target
    }

    @Test func rejectsNameLineAndFieldAndADayIsWholeOrNothing() throws {
        let f = try parse([Self.mfpHeader,
                           "2018-10-15,Breakfast,1003.0,24.0,6.7,1.8,5.1,0.0,573.3,424.8,177.0,49.8,3.0,22.9,23.0,0.0,0.0,2.0,10.0,",
                           "2018-10-15,Dinner,\"1,050\",34.3,9.8,7.3,13.3,0.0,480.4,794.0,484.4,56.4,0.0,0.3,57.4,9.5,0.0,9.9,22.6,",
                           "2018-10-16,Lunch,250.0,20.0,17.0,0.0,0.0,0.0,15.0,200.0,100.0,36.0,5.0,4.0,-19.0,24.0,0.0,7.0,8.0,",
                           "2018-13-16,Lunch,250.0,20.0,17.0,0.0,0.0,0.0,15.0,200.0,100.0,36.0,5.0,4.0,19.0,24.0,0.0,7.0,8.0,",
                           "2018-10-17,Lunch,250.0",
                           "2018-10-18,Lunch,250.0,20.0,17.0,0.0,0.0,0.0,15.0,200.0,100.0,36.0,5.0,4.0,19.0,24.0,0.0,7.0,8.0,"]
            .joined(separator: "\n"))
        let p = f.parse
        #expect(p.days.map(\.date.description) == ["2018-10-18"])
        let byLine = Dictionary(p.rejects.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(p.rejects.count == 5)
        #expect(byLine[3]?.field == "Calories" && byLine[3]!.reason.contains("1,050"))
        #expect(byLine[2]?.field == nil && byLine[2]!.reason.contains("line 3"))       // the other row of that day
        #expect(byLine[4]?.field == "Protein (g)" && byLine[4]!.reason.contains("negative"))
        #expect(byLine[5]?.field == "Date")
        #expect(byLine[6]?.reason.contains("3 fields") == true && byLine[6]?.raw == "2018-10-17,Lunch,250.0")
    }

    @Test func bodyWeightCSVInPoundsOrKilograms() throws {
        let f = try NutritionFile.inspectBodyWeight(try nutritionFixture("date,weight_lbs,note\r\n2024-01-01,176.4,morning\r\n2024-01-02,,\r\n2024-01-03,0,\r\n"))
        #expect(f.parse.weighIns.count == 1 && f.parse.weighIns[0].unit == .lbs)
        #expect(f.parse.notLogged.count == 1)
        #expect(f.parse.rejects.first?.field == "weight_lbs")
        #expect(throws: LoadError.self) { try NutritionFile.inspectBodyWeight(try nutritionFixture("date,weight\n2024-01-01,80\n")) }
    }
}
