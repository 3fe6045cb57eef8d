/// The drawn point marks: a circle, or for marked points (PRs) a larger outlined diamond.
enum PointMark {
    /// An SVG path for a diamond centred on `x`, `y`.
    static func diamond(x: Double, y: Double, radius r: Double) -> String {
        let f = ChartFormat.coord
        return "M\(f(x)) \(f(y - r))L\(f(x + r)) \(f(y))L\(f(x)) \(f(y + r))L\(f(x - r)) \(f(y))Z"
    }
}

/// A series reduced to what can be drawn: points with a valid date and a finite value, in date order.
struct PlottedSeries {
    let name: String
    let points: [(day: Int, point: TimePoint)]

    init(_ series: LineSeries) {
        name = series.name
        points = series.points.compactMap { p -> (day: Int, point: TimePoint)? in
            guard p.value.isFinite, let d = CalendarDay(iso: p.date) else { return nil }
            return (d.number, p)
        }.sorted { $0.day < $1.day }
    }
}

extension LineChart {
    /// The number of point marks ``svg()`` draws: every point with an ISO date and a finite value.
    public var markCount: Int { series.reduce(0) { $0 + PlottedSeries($1).points.count } }

    /// The chart as one self-contained `<svg>` element (inline styles, no external assets).
    ///
    /// Every drawn point has `class="mark point"` (marked points also `pr`), series lines `series-line`,
    /// the target `target-line`; a chart with no drawable point shows ``emptyMessage`` instead.
    public func svg() -> String {
        let plotted = series.map(PlottedSeries.init)
        let all = plotted.flatMap(\.points)
        guard let firstDay = all.map(\.day).min(), let lastDay = all.map(\.day).max() else {
            return ChartFrame.empty(title: title, kind: "line", yLabel: yLabel, message: emptyMessage ?? "No data yet")
        }
        let target = self.target.flatMap { $0.isFinite ? $0 : nil }
        let values = all.map(\.point.value) + (target.map { [$0] } ?? [])
        let ticks = NiceTicks(min: values.min()!, max: values.max()!)
        var legend: [LegendItem] = []
        if plotted.count > 1 || target != nil || all.contains(where: \.point.marked) {
            legend = plotted.enumerated().map { .line(name: $0.element.name, color: ChartStyle.color($0.offset)) }
        }
        if all.contains(where: \.point.marked) { legend.append(.marked(name: markedLabel ?? "PR")) }
        if target != nil { legend.append(.target(name: targetLabel ?? "Target")) }
        let frame = ChartFrame(title: title, legend: legend, yLabel: yLabel, yTicks: ticks, bottomSpace: 20)

        let pad = firstDay == lastDay ? 3 : 0
        let x = LinearScale(domain: (Double(firstDay - pad), Double(lastDay + pad)), range: (frame.left + 6, frame.right - 6))
        let y = frame.yScale
        var svg = SVGWriter()
        frame.open(kind: "line", marks: all.count, into: &svg)
        frame.drawYAxis(into: &svg)

        let dateTicks = DateTicks(first: firstDay - pad, last: lastDay + pad, maxCount: max(Int((frame.right - frame.left) / 70), 2))
        svg.raw("<g class=\"axis axis-x\">")
        for tick in dateTicks.ticks {
            let px = x(Double(tick.day))
            svg.line(x1: px, y1: frame.bottom, x2: px, y2: frame.bottom + 4, stroke: "#888", cssClass: "tick")
            svg.text(tick.label, x: px, y: frame.bottom + 16, anchor: "middle", fill: ChartStyle.mutedColor, cssClass: "tick-label")
        }
        svg.raw("</g>")

        let radius = all.count > 80 ? 1.8 : 3
        for (index, s) in plotted.enumerated() where !s.points.isEmpty {
            let color = ChartStyle.color(index)
            svg.raw("<g class=\"series\" data-series=\"\(HTMLPage.escape(s.name))\">")
            if s.points.count > 1 {
                let d = s.points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(svg.c(x(Double($0.element.day)))) \(svg.c(y($0.element.point.value)))" }.joined()
                svg.element("path", [("class", "series-line"), ("d", d), ("fill", "none"), ("stroke", color), ("stroke-width", "2"),
                                     ("stroke-linejoin", "round")])
            }
            for (day, p) in s.points {
                let tip = "\(s.name), \(DateTicks.dayLabel(day)) \(CalendarDay(number: day).year): \(ChartFormat.value(p.value))\(p.marked ? " (PR)" : "")"
                let px = x(Double(day)), py = y(p.value)
                if p.marked {
                    svg.element("path", [("class", "mark point pr"), ("d", PointMark.diamond(x: px, y: py, radius: 6)),
                                         ("fill", ChartStyle.prColor), ("stroke", "#fff"), ("stroke-width", "1.2")], tooltip: tip)
                } else {
                    svg.element("circle", [("class", "mark point"), ("cx", svg.c(px)), ("cy", svg.c(py)), ("r", svg.c(radius)),
                                           ("fill", color)], tooltip: tip)
                }
            }
            svg.raw("</g>")
        }
        if let target { frame.drawTarget(target, label: targetLabel ?? "Target", into: &svg) }
        svg.raw("</svg>")
        return svg.output
    }
}
