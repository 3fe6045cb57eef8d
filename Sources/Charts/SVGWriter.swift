/// Accumulates SVG elements as text; every piece of text and every attribute value is escaped here.
struct SVGWriter {
    private(set) var output = ""

    /// Appends raw, already-safe markup (element names and numbers only).
    mutating func raw(_ markup: String) { output += markup }

    /// A `<text>` element holding `content` as text.
    mutating func text(_ content: String, x: Double, y: Double, size: Double = ChartStyle.labelSize,
                       anchor: String = "start", weight: String? = nil, fill: String = ChartStyle.textColor,
                       cssClass: String, rotate: Double? = nil, halo: Bool = false) {
        var attrs = "class=\"\(cssClass)\" x=\"\(c(x))\" y=\"\(c(y))\" font-size=\"\(c(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let weight { attrs += " font-weight=\"\(weight)\"" }
        if let rotate { attrs += " transform=\"rotate(\(c(rotate)) \(c(x)) \(c(y)))\"" }
        // A white outline under the glyphs keeps a label readable where it crosses lines or points.
        if halo { attrs += " stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"" }
        output += "<text \(attrs)>\(HTMLPage.escape(content))</text>"
    }

    /// A `<line>`.
    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil, cssClass: String) {
        output += "<line class=\"\(cssClass)\" x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(c(width))\""
        if let dash { output += " stroke-dasharray=\"\(dash)\"" }
        output += "/>"
    }

    /// An element `name` with `attributes` (values escaped) and an optional tooltip `<title>`.
    mutating func element(_ name: String, _ attributes: [(String, String)], tooltip: String? = nil) {
        output += "<\(name)"
        for (key, value) in attributes { output += " \(key)=\"\(HTMLPage.escape(value))\"" }
        if let tooltip { output += "><title>\(HTMLPage.escape(tooltip))</title></\(name)>" } else { output += "/>" }
    }

    /// A coordinate as SVG text.
    func c(_ value: Double) -> String { ChartFormat.coord(value) }
}
