import Foundation

/// How category labels fit under the bars: horizontal, or rotated with only every `step`-th label shown.
struct CategoryLabels {
    let rotated: Bool
    let step: Int
    /// Space the labels take under the plot.
    let height: Double

    static let angle = -40.0

    init(_ labels: [String], band: Double) {
        let size = ChartStyle.labelSize
        let widest = labels.map { ChartStyle.textWidth($0, size: size) }.max() ?? 0
        if widest <= band - 4 {
            rotated = false; step = 1; height = size + 6
        } else {
            rotated = true
            step = max(1, Int((size * 1.4 / band).rounded(.up)))
            let rad = -Self.angle * Double.pi / 180
            height = min(widest, 110) * sin(rad) + size * cos(rad) + 6
        }
    }
}

extension BarChart {
    /// The number of bar marks ``svg()`` draws: every finite value of every series within the categories.
    public var markCount: Int {
        series.reduce(0) { $0 + $1.values.prefix(categories.count).filter { $0?.isFinite == true }.count }
    }

    /// The chart as one self-contained `<svg>` element (inline styles, no external assets).
    ///
    /// Every drawn bar has `class="mark bar"` (a zero value is a 1-unit sliver, so it still shows); a nil value draws
    /// no bar; a chart with no bar shows ``emptyMessage`` instead.
    public func svg() -> String {
        let n = categories.count
        let values = series.flatMap { $0.values.prefix(n).compactMap { $0 }.filter(\.isFinite) }
        guard n > 0, !values.isEmpty else {
            return ChartFrame.empty(title: title, kind: "bar", yLabel: yLabel, message: emptyMessage ?? "No data yet")
        }
        let target = self.target.flatMap { $0.isFinite ? $0 : nil }
        let all = values + (target.map { [$0] } ?? [])
        let ticks = NiceTicks(min: min(0, all.min()!), max: max(0, all.max()!))
        var legend: [LegendItem] = []
        if series.count > 1 { legend = series.enumerated().map { .swatch(name: $0.element.name, color: ChartStyle.color($0.offset)) } }
        if target != nil { legend.append(.target(name: targetLabel ?? "Target")) }

        // The plot width depends on the y tick labels, the label layout on the band: lay out once to learn the band.
        let probe = ChartFrame(title: title, legend: legend, yLabel: yLabel, yTicks: ticks, bottomSpace: 0)
        let labels = CategoryLabels(categories, band: (probe.right - probe.left) / Double(n))
        let frame = ChartFrame(title: title, legend: legend, yLabel: yLabel, yTicks: ticks,
                               bottomSpace: labels.height + ChartStyle.labelSize + 8)
        let band = (frame.right - frame.left) / Double(n)
        let y = frame.yScale
        var svg = SVGWriter()
        frame.open(kind: "bar", marks: markCount, into: &svg)
        frame.drawYAxis(into: &svg)

        svg.raw("<g class=\"axis axis-x\">")
        for (i, label) in categories.enumerated() where i % labels.step == 0 {
            let px = frame.left + band * (Double(i) + 0.5)
            if labels.rotated {
                svg.text(label, x: px + 3, y: frame.bottom + 12, anchor: "end", fill: ChartStyle.mutedColor, cssClass: "tick-label",
                         rotate: CategoryLabels.angle)
            } else {
                svg.text(label, x: px, y: frame.bottom + 16, anchor: "middle", fill: ChartStyle.mutedColor, cssClass: "tick-label")
            }
        }
        svg.text(xLabel, x: (frame.left + frame.right) / 2, y: frame.bottom + labels.height + ChartStyle.labelSize + 4,
                 anchor: "middle", fill: ChartStyle.mutedColor, cssClass: "axis-label")
        svg.raw("</g>")

        let groupWidth = band * 0.8
        let barWidth = groupWidth / Double(max(series.count, 1))
        let zero = y(0)
        for (s, bars) in series.enumerated() {
            svg.raw("<g class=\"series\" data-series=\"\(HTMLPage.escape(bars.name))\">")
            for (i, value) in bars.values.prefix(n).enumerated() {
                guard let value, value.isFinite else { continue }
                let px = frame.left + band * Double(i) + (band - groupWidth) / 2 + barWidth * Double(s)
                let py = y(value)
                let height = max(abs(zero - py), 1)
                let top = value >= 0 ? min(py, zero - height) : zero
                svg.element("rect", [("class", "mark bar"), ("x", svg.c(px)), ("y", svg.c(top)), ("width", svg.c(max(barWidth - 1, 1))),
                                     ("height", svg.c(height)), ("fill", ChartStyle.color(s))],
                            tooltip: "\(bars.name), \(categories[i]): \(ChartFormat.value(value))")
            }
            svg.raw("</g>")
        }
        if let target { frame.drawTarget(target, label: targetLabel ?? "Target", into: &svg) }
        svg.raw("</svg>")
        return svg.output
    }
}
