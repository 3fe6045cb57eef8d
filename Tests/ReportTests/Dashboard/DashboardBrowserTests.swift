import Foundation
import PostgresClient
import Testing
import TestSupport

/// The sample athlete's dashboard, written by `fitdata dashboard` from real marts, in headless Chromium.
@Suite("Dashboard in the browser")
struct DashboardBrowserTests {
    /// Writes the dashboard into a fresh folder and returns the printed path.
    func writeDashboard(_ f: DashboardFixture) throws -> URL {
        let out = f.sampleDir.appendingPathComponent("out-\(UUID().uuidString)")
        let printed = try f.run(["dashboard", "--athlete", "me", "--out", out.path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed == out.appendingPathComponent("me/dashboard.html").path)
        return URL(fileURLWithPath: printed)
    }

    @Test(.enabled(if: BrowserCheck.enabled, Comment(rawValue: BrowserCheck.skipReason)))
    func theSampleDashboardLoadsCleanlyAndEveryChartHasDrawnMarks() throws {
        let f = try DashboardFixture.shared.get()
        let page = try writeDashboard(f)
        let desktop = try BrowserCheck.run(page, width: 1280, height: 900)
        #expect(desktop.errors == [])
        #expect(desktop.requests == [])
        #expect(desktop.title == "Dashboard: me")
        // 3 main lifts, muscle sets, sessions, tonnage, energy, protein, body weight.
        #expect(desktop.charts.count == 9)
        for chart in desktop.charts {
            #expect(chart.drawn_marks > 0, "\(chart.title)")
            #expect(chart.drawn_marks == chart.declared_marks, "\(chart.title)")
        }

        // At phone width: the same, every label at least 10 px, no sideways scrolling of the page.
        let phone = try BrowserCheck.run(page, width: 360, height: 800)
        #expect(phone.errors == [])
        #expect(phone.charts.count == 9)
        #expect(phone.scroll_width <= phone.viewport_width)
        for chart in phone.charts {
            #expect(chart.drawn_marks == chart.declared_marks && chart.drawn_marks > 0, "\(chart.title)")
            #expect((chart.min_font_px ?? 0) >= 10, "\(chart.title): \(chart.min_font_px ?? 0) px")
        }
    }

    @Test(.enabled(if: BrowserCheck.enabled, Comment(rawValue: BrowserCheck.skipReason)))
    func chartsDrawOneMarkPerMartRow() throws {
        let f = try DashboardFixture.shared.get()
        let report = try BrowserCheck.run(try writeDashboard(f))
        let c = try f.connect(); defer { c.close() }
        func count(_ sql: String) throws -> Int { Int(try c.query(sql, ["me"]).scalar ?? "") ?? -1 }
        func marks(_ title: String) -> Int? { report.charts.first { $0.title == title }?.drawn_marks }
        #expect(marks("Body weight and trend") == (try count("SELECT count(*) + count(weight_kg) FROM marts.fct_body_weight_daily WHERE athlete_id = $1")))
        #expect(marks("Weekly tonnage") == (try count("SELECT count(*) FROM marts.mart_weekly_training_diet WHERE athlete_id = $1")))
        // Intake: one point per logged day, plus one per day of a target series when the target changed.
        let days = try count("SELECT count(*) FROM marts.fct_nutrition_daily WHERE athlete_id = $1")
        let targetDays = try count("SELECT CASE WHEN count(DISTINCT target_kcal) > 1 THEN count(target_kcal) ELSE 0 END FROM marts.fct_nutrition_daily WHERE athlete_id = $1")
        #expect(marks("Daily energy intake vs target") == days + targetDays)
        #expect(days > 0)
    }
}
