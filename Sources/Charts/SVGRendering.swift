// PLACEHOLDER (replaced by the charts work): the signatures the report and the dashboard call.

extension LineChart {
    /// The chart as one self-contained `<svg>` element (inline styles, no external assets).
    public func svg() -> String { "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"><title>\(title)</title></svg>" }
}

extension BarChart {
    /// The chart as one self-contained `<svg>` element (inline styles, no external assets).
    public func svg() -> String { "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"><title>\(title)</title></svg>" }
}

/// A whole HTML document around already-rendered body HTML: inline CSS, no external assets, readable at phone width.
public enum HTMLPage {
    /// `<!doctype html>` … with `title`, `lang` and `body` (trusted HTML; escape text with ``escape(_:)``).
    public static func render(title: String, language: String, body: String) -> String {
        "<!doctype html><html lang=\"\(language)\"><head><meta charset=\"utf-8\"><title>\(escape(title))</title></head><body>\(body)</body></html>"
    }

    /// `text` with `& < > " '` escaped for HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
