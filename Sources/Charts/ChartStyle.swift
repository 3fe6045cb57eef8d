/// Sizes, fonts and colours shared by every chart, in viewBox units (the SVG scales to its container's width).
///
/// The viewBox is 400 units wide; on a 360 px phone the page leaves 338 px for a chart (``HTMLPage``), so one unit
/// is 0.845 px: 12-unit labels draw at 10.1 px and 15-unit titles at 12.7 px.
enum ChartStyle {
    static let width = 400.0
    static let plotHeight = 170.0
    static let margin = 10.0
    static let titleSize = 15.0
    static let labelSize = 12.0
    /// Average glyph width as a fraction of the font size (sans-serif), for laying out text before a browser measures it.
    static let glyphWidth = 0.6
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
    static let textColor = "#222"
    static let mutedColor = "#555"
    static let gridColor = "#ddd"
    static let targetColor = "#b00020"
    static let prColor = "#d62728"
    /// Okabe–Ito colours (distinguishable with colour-vision deficiencies), in series order.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999"]

    /// The colour of series number `index`.
    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// Estimated width of `text` at `size`.
    static func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * size * glyphWidth }

    /// `text` broken at spaces into lines of at most `width` units at `size` (a word longer than a line stays whole).
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        let maxChars = max(Int(width / (size * glyphWidth)), 8)
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty { current = String(word) }
            else if current.count + 1 + word.count <= maxChars { current += " " + word }
            else { lines.append(current); current = String(word) }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}
