import Charts

/// The report as one self-contained HTML page: the prose (escaped, minimal Markdown), inline SVG charts, the facts
/// tables and last "could not verify"; everything but the prose comes from the facts.
enum HTMLReport {
    static func render(facts f: WeeklyFacts, prose: String, unverified: [UnverifiedNumber], byline: ReportByline) -> String {
        let s = ReportStrings.of(byline.language)
        let e = HTMLPage.escape
        var body = ["<header><h1>\(e(s.title)) · \(e(f.athleteId)) · \(e(f.isoWeek))</h1>",
                    "<p class=\"byline\">\(e(f.weekStart)) – \(e(f.weekEnd)) (\(e(f.timezone))). \(e(byline.text))</p></header>",
                    "<section class=\"prose\">", MiniMarkdown.html(prose), "</section>"]
        let charts = ReportCharts.svgs(f, language: byline.language)
        if !charts.isEmpty {
            body.append("<h2>\(e(s.chartsHeading))</h2><section class=\"charts\">")
            body += charts.map { "<figure class=\"chart\">\($0)</figure>" }
            body.append("</section>")
        }
        body.append("<section class=\"facts\"><h2>\(e(s.tablesHeading))</h2>")
        for t in FactsTables.all(f, language: byline.language) {
            body.append("<h3>\(e(t.title))</h3><div class=\"table-wrap\"><table><thead><tr>"
                        + t.header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>")
            body += t.rows.map { r in "<tr>" + r.enumerated().map { $0.offset == 0 ? "<th scope=\"row\">\(e($0.element))</th>" : "<td>\(e($0.element))</td>" }.joined() + "</tr>" }
            body.append("</tbody></table></div>")
        }
        let missing = FactsTables.missingLines(f, language: byline.language)
        if !missing.isEmpty {
            body.append("<h3>\(e(s.missingHeading))</h3><ul class=\"missing\">" + missing.map { "<li>\(e($0))</li>" }.joined() + "</ul>")
        }
        body.append("</section>")
        if !unverified.isEmpty {
            body.append("<section class=\"unverified\"><h2>\(e(s.couldNotVerify))</h2><p>\(e(s.couldNotVerifyIntro))</p><ul>")
            body += unverified.map { "<li><code>\(e($0.text))</code>: “\(e($0.context))”</li>" }
            body.append("</ul></section>")
        }
        return HTMLPage.render(title: "\(s.title) · \(f.athleteId) · \(f.isoWeek)", language: byline.language.rawValue,
                               body: body.joined(separator: "\n"))
    }
}
