import Foundation
import Testing
import TestSupport

/// The browser harness can fail: a page with a script error, a failed request and an undrawn chart is reported as such.
@Suite("Browser harness")
struct BrowserHarnessTests {
    @Test(.enabled(if: BrowserCheck.enabled, Comment(rawValue: BrowserCheck.skipReason)))
    func aBrokenPageIsReported() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("broken.html")
        try """
            <!doctype html><html><head><meta charset="utf-8"><title>broken</title>
            <link rel="stylesheet" href="missing.css"></head><body>
            <svg class="chart" data-chart="bar" data-marks="2" viewBox="0 0 100 100"><title>Hidden bars</title>
              <rect class="mark bar" x="0" y="0" width="0" height="0"/><rect class="mark bar" x="0" y="0" width="10" height="10" style="display:none"/></svg>
            <svg class="chart" data-chart="bar" data-marks="1" viewBox="0 0 100 100"><title>One bar</title>
              <text font-size="12" x="0" y="20">label</text><rect class="mark bar" x="10" y="10" width="10" height="50"/></svg>
            <script>console.error("deliberate console error"); notDefined();</script>
            </body></html>
            """.write(to: page, atomically: true, encoding: .utf8)
        let report = try BrowserCheck.run(page)
        #expect(report.errors.contains { $0.contains("deliberate console error") })
        #expect(report.errors.contains { $0.contains("notDefined") })
        #expect(report.errors.contains { $0.contains("missing.css") })
        #expect(report.requests.contains { $0.hasSuffix("missing.css") })
        #expect(report.charts.map(\.title) == ["Hidden bars", "One bar"])
        #expect(report.charts.map(\.drawn_marks) == [0, 1])
        #expect(report.charts.map(\.declared_marks) == [2, 1])
        #expect(report.title == "broken")
    }
}
