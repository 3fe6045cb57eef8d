/// The parts every chart shares: the `<svg>` element, the title, the legend, the plot area, the y axis and the empty state.
struct ChartFrame {
    let title: String
    let titleLines: [String]
    let legendRows: [[LegendItem]]
    let yLabel: String
    let yTicks: NiceTicks
    /// Plot area edges.
    let left: Double, right: Double, top: Double, bottom: Double
    /// Height of the whole chart.
    let height: Double

    /// Lays out a chart with `legend`, y ticks `yTicks` and `bottomSpace` under the plot for x labels.
    init(title: String, legend: [LegendItem], yLabel: String, yTicks: NiceTicks, bottomSpace: Double) {
        self.title = title
        titleLines = ChartStyle.wrap(title, width: ChartStyle.width - 2 * ChartStyle.margin, size: ChartStyle.titleSize)
        legendRows = Legend.rows(legend)
        self.yLabel = yLabel
        self.yTicks = yTicks
        let tickWidth = yTicks.values.map { ChartStyle.textWidth(ChartFormat.number($0, decimals: yTicks.decimals), size: ChartStyle.labelSize) }.max() ?? 0
        left = ChartStyle.margin + ChartStyle.labelSize + 8 + tickWidth + 6
        right = ChartStyle.width - ChartStyle.margin - 6
        top = Self.legendTop(titleLines: titleLines.count) + Double(legendRows.count) * Legend.rowHeight + 4
        bottom = top + ChartStyle.plotHeight
        height = bottom + bottomSpace + ChartStyle.margin
    }

    /// Baseline of the first legend row.
    var legendTop: Double { Self.legendTop(titleLines: titleLines.count) }

    /// Baseline of the first legend row under `titleLines` lines of title.
    static func legendTop(titleLines: Int) -> Double { ChartStyle.margin + Double(titleLines) * ChartStyle.titleSize * 1.25 + 12 }

    /// The y scale from the ticks' domain onto the plot.
    var yScale: LinearScale { LinearScale(domain: (yTicks.low, yTicks.high), range: (bottom, top)) }

    /// `<svg …>` with the accessible title, the visible title and the legend; `kind` and `marks` become data attributes.
    func open(kind: String, marks: Int, into svg: inout SVGWriter) {
        svg.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-\(kind)\" data-chart=\"\(kind)\" data-marks=\"\(marks)\" ")
        svg.raw("viewBox=\"0 0 \(svg.c(ChartStyle.width)) \(svg.c(height))\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" ")
        svg.raw("role=\"img\" style=\"display:block;width:100%;height:auto;max-width:100%\" font-family=\"\(HTMLPage.escape(ChartStyle.fontFamily))\">")
        svg.raw("<title>\(HTMLPage.escape(title))</title>")
        svg.raw("<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(svg.c(ChartStyle.width))\" height=\"\(svg.c(height))\" fill=\"#fff\"/>")
        for (i, line) in titleLines.enumerated() {
            svg.text(line, x: ChartStyle.margin, y: ChartStyle.margin + ChartStyle.titleSize + Double(i) * ChartStyle.titleSize * 1.25,
                     size: ChartStyle.titleSize, weight: "600", cssClass: "chart-title")
        }
        Legend.draw(legendRows, top: legendTop, into: &svg)
    }

    /// Grid lines, tick labels and the rotated y-axis label.
    func drawYAxis(into svg: inout SVGWriter) {
        let y = yScale
        svg.raw("<g class=\"axis axis-y\">")
        for v in yTicks.values {
            let py = y(v)
            svg.line(x1: left, y1: py, x2: right, y2: py, stroke: ChartStyle.gridColor, cssClass: "grid")
            svg.text(ChartFormat.number(v, decimals: yTicks.decimals), x: left - 5, y: py + 4, anchor: "end",
                     fill: ChartStyle.mutedColor, cssClass: "tick-label")
        }
        let mid = (top + bottom) / 2
        svg.text(yLabel, x: ChartStyle.margin + ChartStyle.labelSize - 2, y: mid, anchor: "middle", fill: ChartStyle.mutedColor,
                 cssClass: "axis-label", rotate: -90)
        svg.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#888", cssClass: "baseline")
        svg.raw("</g>")
    }

    /// A dashed horizontal line at `value` with its label at the right end.
    func drawTarget(_ value: Double, label: String, into svg: inout SVGWriter) {
        let py = yScale(value)
        svg.raw("<g class=\"target\">")
        svg.line(x1: left, y1: py, x2: right, y2: py, stroke: ChartStyle.targetColor, width: 1.5, dash: "6 4", cssClass: "target-line")
        svg.text(label, x: right, y: py - 4, anchor: "end", weight: "600", fill: ChartStyle.targetColor, cssClass: "target-label", halo: true)
        svg.raw("</g>")
    }

    /// A whole chart that says there is nothing to draw: title, an outlined plot area and `message` in it.
    static func empty(title: String, kind: String, yLabel: String, message: String) -> String {
        let frame = ChartFrame(title: title, legend: [], yLabel: yLabel, yTicks: NiceTicks(min: 0, max: 1), bottomSpace: 12)
        var svg = SVGWriter()
        frame.open(kind: kind, marks: 0, into: &svg)
        svg.raw("<rect class=\"empty-area\" x=\"\(svg.c(ChartStyle.margin))\" y=\"\(svg.c(frame.top))\" width=\"\(svg.c(ChartStyle.width - 2 * ChartStyle.margin))\" height=\"\(svg.c(ChartStyle.plotHeight))\" fill=\"#f6f6f6\" stroke=\"#ccc\" stroke-dasharray=\"4 4\"/>")
        svg.text(message, x: ChartStyle.width / 2, y: frame.top + ChartStyle.plotHeight / 2 + 5, size: 14, anchor: "middle",
                 fill: ChartStyle.mutedColor, cssClass: "empty")
        svg.raw("</svg>")
        return svg.output
    }
}
