@testable import Charts
import Foundation
import Testing

/// What the SVG charts draw: marks per data point, escaping, the empty state, PRs, the target line, readability.
@Suite("Chart rendering")
struct RenderingTests {
    /// Occurrences of `needle` in `text`.
    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    let e1rm = LineChart(title: "Squat e1RM", yLabel: "e1RM (kg)", series: [
        LineSeries(name: "e1RM", points: [
            TimePoint(date: "2026-01-05", value: 100), TimePoint(date: "2026-01-12", value: 102.5, marked: true),
            TimePoint(date: "2026-01-19", value: 101), TimePoint(date: "2026-01-26", value: 105, marked: true),
        ]),
        LineSeries(name: "Top set", points: [TimePoint(date: "2026-01-05", value: 90), TimePoint(date: "2026-01-26", value: 95)]),
    ])

    @Test func aLineChartDrawsOneMarkPerPointAndMarksPRsDistinctly() {
        let svg = e1rm.svg()
        #expect(count("class=\"mark ", in: svg) == 6)
        #expect(e1rm.markCount == 6)
        #expect(svg.contains("data-marks=\"6\""))
        #expect(count("class=\"mark point pr\"", in: svg) == 2)
        #expect(count("<circle class=\"mark point\"", in: svg) == 4)
        #expect(count("class=\"series-line\"", in: svg) == 2)
        #expect(svg.contains(">PR</text>"))
        #expect(svg.contains(">e1RM (kg)</text>"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("viewBox=\"0 0 400 "))
    }

    @Test func pointsWithoutADateOrAFiniteValueAreNotDrawnOrCounted() {
        let chart = LineChart(title: "t", yLabel: "kg", series: [LineSeries(name: "a", points: [
            TimePoint(date: "2026-01-05", value: 1), TimePoint(date: "bad", value: 2), TimePoint(date: "2026-01-06", value: .nan),
        ])])
        #expect(chart.markCount == 1)
        #expect(count("class=\"mark ", in: chart.svg()) == 1)
    }

    @Test func aBarChartDrawsOneMarkPerValueAndNoneForNil() {
        let chart = BarChart(title: "Hard sets", xLabel: "Muscle group", yLabel: "Hard sets", categories: ["chest", "lats", "quadriceps"],
                             series: [BarSeries(name: "2026-W01", values: [10, nil, 0]), BarSeries(name: "2026-W02", values: [12, 8, 14, 99])],
                             target: 10, targetLabel: "Target 10")
        let svg = chart.svg()
        #expect(chart.markCount == 5)  // nil draws nothing; a fourth value beyond the categories is not drawn
        #expect(count("class=\"mark bar\"", in: svg) == 5)
        #expect(svg.contains("data-marks=\"5\""))
        #expect(svg.contains("class=\"target-line\""))
        #expect(svg.contains("stroke-dasharray=\"6 4\""))
        #expect(svg.contains(">Target 10</text>"))
        #expect(svg.contains(">Muscle group</text>") && svg.contains(">Hard sets</text>"))
        // The zero bar is still visible (height 1), so a browser counts it as drawn.
        #expect(!svg.contains("height=\"0\""))
    }

    @Test func aTitleWithMarkupStaysText() {
        let hostile = "<script>alert('x')</script> & \"quotes\""
        for svg in [LineChart(title: hostile, yLabel: hostile, series: [LineSeries(name: hostile, points: [TimePoint(date: "2026-01-05", value: 1)])],
                              target: 1, targetLabel: hostile).svg(),
                    BarChart(title: hostile, xLabel: hostile, yLabel: hostile, categories: [hostile], series: [BarSeries(name: hostile, values: [1])]).svg(),
                    LineChart(title: hostile, yLabel: "kg", series: []).svg()] {
            #expect(!svg.contains("<script>"))
            #expect(!svg.contains("alert('x')"))
            #expect(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        }
        let page = HTMLPage.render(title: hostile, language: "en\" onload=\"x", body: "<p>ok</p>")
        #expect(!page.contains("<script>"))
        #expect(page.contains("lang=\"en&quot; onload=&quot;x\""))
    }

    @Test func emptyDataDrawsAMessageNotABrokenChart() {
        for (svg, message) in [(LineChart(title: "Body weight", yLabel: "kg", series: []).svg(), "No data yet"),
                               (LineChart(title: "Body weight", yLabel: "kg", series: [LineSeries(name: "a", points: [])],
                                          emptyMessage: "No weigh-ins logged").svg(), "No weigh-ins logged"),
                               (BarChart(title: "Sets", xLabel: "Week", yLabel: "Sets", categories: ["W1"], series: [BarSeries(name: "s", values: [nil])]).svg(), "No data yet"),
                               (BarChart(title: "Sets", xLabel: "Week", yLabel: "Sets", categories: [], series: []).svg(), "No data yet")] {
            #expect(svg.contains("class=\"empty\""))
            #expect(svg.contains(">\(message)</text>"))
            #expect(svg.contains("data-marks=\"0\""))
            #expect(!svg.contains("class=\"mark"))
            #expect(!svg.contains("nan") && !svg.contains("inf"))
            #expect(svg.hasSuffix("</svg>"))
        }
    }

    @Test func aTargetWidensTheAxisSoItIsDrawnInsideThePlot() {
        let chart = LineChart(title: "Intake", yLabel: "Energy (kcal)", series: [LineSeries(name: "kcal", points: [
            TimePoint(date: "2026-01-05", value: 1_800), TimePoint(date: "2026-01-06", value: 1_900)])], target: 2_500, targetLabel: "Target")
        let svg = chart.svg()
        #expect(svg.contains(">2,500</text>") || svg.contains(">2,600</text>") || svg.contains(">3,000</text>"))
        #expect(svg.contains("class=\"target-line\""))
    }

    @Test func labelsDrawAtTenPixelsOrMoreOnAPhone() {
        // HTMLPage leaves a chart 338 px on a 360 px phone; the viewBox is ChartStyle.width units wide.
        // (DashboardBrowserTests measures the same in Chromium.)
        let scale = 338 / ChartStyle.width
        #expect(ChartStyle.labelSize * scale >= 10)
        #expect(ChartStyle.titleSize * scale >= 12)
    }

    @Test func manyCategoriesRotateTheirLabelsAndThinThemOut() {
        let weeks = (1...26).map { String(format: "2026-W%02d", $0) }
        let chart = BarChart(title: "Tonnage", xLabel: "ISO week", yLabel: "Tonnage (kg)", categories: weeks,
                             series: [BarSeries(name: "t", values: weeks.map { _ in 10_000 })])
        let svg = chart.svg()
        #expect(count("class=\"mark bar\"", in: svg) == 26)
        #expect(svg.contains("rotate(-40"))
        #expect(count("class=\"tick-label\" ", in: svg) - NiceTicks(min: 0, max: 10_000).values.count < 26)
    }
}
