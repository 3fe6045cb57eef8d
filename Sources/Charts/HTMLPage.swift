/// A whole HTML document around already-rendered body HTML: inline CSS, no external assets, readable at phone width.
public enum HTMLPage {
    /// The page's style sheet: one column on phones, a grid of chart cards on wider screens, tables that scroll sideways.
    /// On a 360 px phone the padding leaves a chart 338 px wide, so 12-unit labels draw at 10 px (see ``ChartStyle``).
    static let css = """
    :root{color-scheme:light}
    *{box-sizing:border-box}
    body{margin:0;padding:12px;font-family:\(ChartStyle.fontFamily);color:#222;background:#f4f5f7;line-height:1.45;font-size:16px}
    main{max-width:1200px;margin:0 auto}
    h1{font-size:1.5rem;margin:.4em 0}
    h2{font-size:1.2rem;margin:1.2em 0 .5em}
    p{margin:.4em 0}
    .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,380px),1fr));gap:12px}
    figure{margin:0;background:#fff;border:1px solid #e2e4e8;border-radius:8px;padding:6px;min-width:0}
    figcaption{font-size:.85rem;color:#555;padding:2px 6px}
    .table-wrap{overflow-x:auto;background:#fff;border:1px solid #e2e4e8;border-radius:8px}
    table{border-collapse:collapse;font-size:.9rem;width:100%}
    th,td{padding:6px 8px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
    th:first-child,td:first-child{text-align:left}
    thead th{background:#f0f2f5;position:sticky;top:0}
    .muted{color:#666}
    @media (max-width:480px){body{padding:8px}figure{padding:2px;border-radius:6px}}
    """

    /// `<!doctype html>` … with `title`, `lang` and `body` (trusted HTML; escape text with ``escape(_:)``).
    public static func render(title: String, language: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(escape(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// `text` with `& < > " '` escaped for HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
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
