/// One entry of a chart's legend.
enum LegendItem {
    /// A data series drawn as a line with points.
    case line(name: String, color: String)
    /// A data series drawn as bars.
    case swatch(name: String, color: String)
    /// The dashed target line.
    case target(name: String)
    /// Marked points (PRs).
    case marked(name: String)

    var name: String {
        switch self { case .line(let n, _), .swatch(let n, _), .target(let n), .marked(let n): return n }
    }

    /// Width the entry takes: symbol, gap, text, spacing.
    var width: Double { 20 + ChartStyle.textWidth(name, size: ChartStyle.labelSize) + 12 }
}

/// Lays legend entries out in rows under the title and draws them.
enum Legend {
    static let rowHeight = 17.0

    /// The entries' rows, each fitting the chart width.
    static func rows(_ items: [LegendItem]) -> [[LegendItem]] {
        let available = ChartStyle.width - 2 * ChartStyle.margin
        var rows: [[LegendItem]] = [], row: [LegendItem] = [], used = 0.0
        for item in items {
            if !row.isEmpty && used + item.width > available { rows.append(row); row = []; used = 0 }
            row.append(item); used += item.width
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    /// Draws `rows` with the first row's baseline at `top`.
    static func draw(_ rows: [[LegendItem]], top: Double, into svg: inout SVGWriter) {
        svg.raw("<g class=\"legend\">")
        for (r, row) in rows.enumerated() {
            var x = ChartStyle.margin
            let y = top + Double(r) * rowHeight
            for item in row {
                let mid = y - 4
                switch item {
                case .line(_, let color):
                    svg.line(x1: x, y1: mid, x2: x + 14, y2: mid, stroke: color, width: 2, cssClass: "legend-symbol")
                    svg.element("circle", [("class", "legend-symbol"), ("cx", svg.c(x + 7)), ("cy", svg.c(mid)), ("r", "2.5"), ("fill", color)])
                case .swatch(_, let color):
                    svg.element("rect", [("class", "legend-symbol"), ("x", svg.c(x + 2)), ("y", svg.c(mid - 5)), ("width", "10"), ("height", "10"), ("fill", color)])
                case .target:
                    svg.line(x1: x, y1: mid, x2: x + 14, y2: mid, stroke: ChartStyle.targetColor, width: 1.5, dash: "4 3", cssClass: "legend-symbol")
                case .marked:
                    svg.element("path", [("class", "legend-symbol"), ("d", PointMark.diamond(x: x + 7, y: mid, radius: 5)),
                                         ("fill", ChartStyle.prColor), ("stroke", "#fff"), ("stroke-width", "1")])
                }
                svg.text(item.name, x: x + 18, y: y, cssClass: "legend-label")
                x += item.width
            }
        }
        svg.raw("</g>")
    }
}
