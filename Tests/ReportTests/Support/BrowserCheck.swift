import Foundation
import TestSupport

/// Loads a local HTML page in headless Chromium (scripts/browser_check.py) and reports console errors, requests and
/// the marks each chart drew; for the dashboard's and the report's HTML tests.
///
/// Use as `@Test(.enabled(if: BrowserCheck.enabled, Comment(rawValue: BrowserCheck.skipReason)))`: without Chromium the
/// test shows as skipped with the reason outside CI; in CI it runs and ``run(_:width:height:)`` fails it.
enum BrowserCheck {
    /// What the page did in the browser.
    struct Report: Decodable, Sendable {
        /// Console errors, uncaught exceptions and browser log errors (failed loads, blocked requests).
        let errors: [String]
        /// URLs the page asked for besides itself (a self-contained page asks for none).
        let requests: [String]
        let charts: [Chart]
        let title: String
        /// The page's width against the viewport's: wider means sideways scrolling.
        let scroll_width: Double
        let viewport_width: Double
    }

    /// One `<svg class="chart">` as drawn.
    struct Chart: Decodable, Sendable {
        let title: String
        let kind: String
        /// The chart's `data-marks`: how many marks its data calls for.
        let declared_marks: Int
        /// Elements of class `mark` with a non-empty box inside the chart, displayed and visible.
        let drawn_marks: Int
        /// The smallest text of the chart as rendered, in CSS pixels.
        let min_font_px: Double?
    }

    /// A browser check that could not run.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The Chromium executable (`CHROMIUM`, else `chromium` on the PATH), or nil.
    static var chromium: String? {
        if let c = ProcessInfo.processInfo.environment["CHROMIUM"] { return c }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether browser tests run: Chromium is installed, or always in CI (where a missing one fails the test).
    static var enabled: Bool { TestPaths.isCI || chromium != nil }
    static let skipReason = "chromium is not installed (apt-get install chromium; scripts/deps.sh does): browser tests skipped"

    /// Checks `page` at `width` x `height` CSS pixels; throws when the harness itself fails (no browser, timeout).
    static func run(_ page: URL, width: Int = 1280, height: Int = 900) throws -> Report {
        guard chromium != nil else { throw Failure(description: skipReason) }
        let run = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                       ["python3", TestPaths.repoRoot.appendingPathComponent("scripts/browser_check.py").path, page.path,
                                        "--width", String(width), "--height", String(height), "--timeout", "120"])
        guard run.status == 0 else {
            throw Failure(description: "browser_check.py exited \(run.status): \(run.stderr)")
        }
        let o = Data(run.stdout.utf8)
        do { return try JSONDecoder().decode(Report.self, from: o) }
        catch { throw Failure(description: "browser_check.py printed no report (\(error)): \(String(decoding: o, as: UTF8.self).prefix(500))") }
    }
}
