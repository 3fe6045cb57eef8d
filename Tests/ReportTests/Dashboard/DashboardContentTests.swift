import Foundation
import PostgresClient
@testable import Report
import Testing
import TestSupport

/// What the dashboard reads from the marts and how `fitdata dashboard` fails.
@Suite("Dashboard content")
struct DashboardContentTests {
    @Test func theDataMatchesTheMarts() throws {
        let f = try DashboardFixture.shared.get()
        let c = try f.connect(); defer { c.close() }
        let data = try DashboardQueries.load(athlete: "me", connection: c)
        let weeks = try c.query("SELECT iso_week, sessions FROM marts.mart_weekly_training_diet WHERE athlete_id = $1 ORDER BY week_start", ["me"])
        #expect(data.weeks.map(\.isoWeek) == weeks.rows.map { $0[0] ?? "" })
        #expect(data.weeks.map(\.sessions) == weeks.rows.map { Int($0[1] ?? "") ?? -1 })
        let mainLifts = try c.query("""
            SELECT l->>'exercise_title' FROM (SELECT main_lifts FROM marts.mart_weekly_report WHERE athlete_id = $1
            ORDER BY week_start DESC LIMIT 1) r, jsonb_array_elements(r.main_lifts) l ORDER BY (l->>'rank')::int
            """, ["me"]).rows.map { $0[0] ?? "" }
        #expect(data.lifts.map(\.title) == mainLifts)
        #expect(data.lifts.count == 3)
        // PR weeks come through as the mart flags them, and the sample has some.
        for lift in data.lifts {
            let prWeeks = try c.query("""
                SELECT week_start::text FROM marts.mart_exercise_progression
                WHERE athlete_id = $1 AND exercise_id = $2 AND is_e1rm_pr ORDER BY week_start
                """, ["me", lift.exerciseId]).rows.map { $0[0] ?? "" }
            #expect(lift.weeks.filter(\.isE1rmPR).map(\.weekStart) == prWeeks, "\(lift.title)")
        }
        #expect(data.lifts.contains { $0.weeks.contains(where: \.isE1rmPR) })
        #expect(data.muscleWeeks.count == DashboardQueries.muscleWeekCount)
        #expect(!data.muscleSets.isEmpty && data.muscleSets.allSatisfy { $0.sets.count == data.muscleWeeks.count })
        #expect(data.intake.count == Int(try c.query("SELECT count(*) FROM marts.fct_nutrition_daily WHERE athlete_id = 'me'").scalar ?? ""))

        let html = DashboardPage.render(data)
        let latest = try #require(data.weeks.last)
        #expect(html.contains("<th scope=\"row\">\(latest.isoWeek)</th>"))
        #expect(!html.contains("<script"))
        // Self-contained: the only URL is the SVG namespace name, which is never fetched.
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        #expect(!html.contains(" src=") && !html.contains(" href="))
    }

    @Test func anUnknownAthleteFailsNamingTheAthletesThatExist() throws {
        let f = try DashboardFixture.shared.get()
        let out = try FitdataProcess.run(["dashboard", "--athlete", "nobody", "--out", f.sampleDir.appendingPathComponent("x").path],
                                         environment: ["DATABASE_URL": f.db.conninfo])
        #expect(out.status == 2)
        #expect(out.stderr.contains("athlete 'nobody' is not in marts.dim_athlete (athletes: me)"))
        #expect(!FileManager.default.fileExists(atPath: f.sampleDir.appendingPathComponent("x/nobody").path))
    }

    @Test func withoutBuiltMartsItSaysToBuildThem() throws {
        let db = try TestDatabase.initialized(prefix: "dashnomarts"); defer { db.drop() }
        let out = try FitdataProcess.run(["dashboard", "--out", FileManager.default.temporaryDirectory.path],
                                         environment: ["DATABASE_URL": db.conninfo])
        #expect(out.status == 2)
        #expect(out.stderr.contains("the marts are not built"))
        #expect(out.stderr.contains("fitdata build"))
    }

    @Test func athleteIdsThatCannotNameAFolderAreRefused() {
        for bad in ["", ".", "..", "a/b", "..\\x", "a\u{0}b"] {
            #expect(throws: DashboardError.unusableAthleteId(bad)) { try Dashboard.checkUsableAsFolder(bad) }
        }
        #expect(throws: Never.self) { try Dashboard.checkUsableAsFolder("me") }
        #expect(throws: Never.self) { try Dashboard.checkUsableAsFolder("ana.silva") }
    }

    @Test func anEmptyAthleteGetsMessagesNotBrokenCharts() {
        let data = DashboardData(athlete: "new<b>", timezone: nil, lastDate: nil, lifts: [], muscleWeeks: [], muscleSets: [],
                                 weeks: [], intake: [], bodyWeight: [])
        let html = DashboardPage.render(data)
        #expect(html.contains("No main lifts yet"))
        #expect(html.contains("No weeks with data yet."))
        #expect(html.components(separatedBy: "class=\"empty\"").count - 1 == 6)
        #expect(!html.contains("class=\"mark"))
        #expect(html.contains("new&lt;b&gt;") && !html.contains("new<b>"))
    }

    @Test func aTargetThatChangedIsDrawnAsASeriesAndAConstantOneAsALine() {
        var data = DashboardData(athlete: "me", timezone: nil, lastDate: nil, lifts: [], muscleWeeks: [], muscleSets: [],
                                 weeks: [], intake: [
                                    IntakeDay(date: "2026-01-05", kcal: 2000, proteinG: 150, targetKcal: 2200, targetProteinG: 160),
                                    IntakeDay(date: "2026-01-06", kcal: 2100, proteinG: 150, targetKcal: 2200, targetProteinG: 160)],
                                 bodyWeight: [])
        let constant = DashboardCharts.energy(data)
        #expect(constant.target == 2200 && constant.series.count == 1)
        data.intake[1].targetKcal = 2400
        let changed = DashboardCharts.energy(data)
        #expect(changed.target == nil && changed.series.map(\.name) == ["Intake", "Target"])
        #expect(changed.markCount == 4)
    }
}
