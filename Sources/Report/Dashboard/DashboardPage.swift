import Charts

/// The dashboard as one self-contained HTML page: inline CSS and SVG, no script, no external asset.
public enum DashboardPage {
    /// The whole page for `data`.
    public static func render(_ data: DashboardData) -> String {
        let e = HTMLPage.escape
        var body = "<h1>Training and diet dashboard: \(e(data.athlete))</h1>\n"
        var facts: [String] = []
        if let last = data.lastDate { facts.append("Data through \(e(last))") }
        if let tz = data.timezone { facts.append("dates in \(e(tz))") }
        facts.append("drawn from the marts by fitdata")
        body += "<p class=\"muted\">\(facts.joined(separator: "; ")).</p>\n"

        body += section("Main lifts", note: "Weekly best estimated one-rep max (e1RM) and heaviest working set; diamonds mark PR weeks.",
                        DashboardCharts.lifts(data).map { $0.svg() },
                        empty: "No main lifts yet: they are the exercises with the most hard sets over the last 12 weeks that have an e1RM.")
        body += section("Training volume", note: nil, [DashboardCharts.muscleSets(data).svg(), DashboardCharts.sessions(data).svg(),
                                                        DashboardCharts.tonnage(data).svg()], empty: "")
        body += section("Diet and body weight", note: nil, [DashboardCharts.energy(data).svg(), DashboardCharts.protein(data).svg(),
                                                             DashboardCharts.bodyWeight(data).svg()], empty: "")
        body += "<h2>Training × diet by week</h2>\n" + WeeklyTable.html(data.weeks)
        return HTMLPage.render(title: "Dashboard: \(data.athlete)", language: "en", body: body)
    }

    /// A titled grid of charts, or `empty` as a paragraph when there is none.
    static func section(_ title: String, note: String?, _ charts: [String], empty: String) -> String {
        var html = "<h2>\(HTMLPage.escape(title))</h2>\n"
        if let note { html += "<p class=\"muted\">\(HTMLPage.escape(note))</p>\n" }
        guard !charts.isEmpty else { return html + "<p>\(HTMLPage.escape(empty))</p>\n" }
        html += "<div class=\"charts\">\n"
        for chart in charts { html += "<figure>\(chart)</figure>\n" }
        return html + "</div>\n"
    }
}

/// The training × diet table: one row per ISO week, newest first.
enum WeeklyTable {
    /// Column heading and how a week's cell reads.
    static let columns: [(String, @Sendable (WeekRow) -> String)] = [
        ("Week", { $0.isoWeek }),
        ("Sessions", { w in "\(w.sessions)" + (w.targetSessions.map { " / " + num($0) } ?? "") }),
        ("Hard sets", { num($0.hardSets) }),
        ("Tonnage (kg)", { num($0.tonnageKg) }),
        ("Avg kcal", { num($0.avgKcal) }),
        ("Target kcal", { num($0.targetKcal) }),
        ("Avg protein (g)", { num($0.avgProteinG) }),
        ("Target protein (g)", { num($0.targetProteinG) }),
        ("Days logged", { "\($0.daysLogged)" }),
        ("Diet adherence (%)", { num($0.dietAdherencePct, decimals: 1) }),
        ("Weigh-ins", { "\($0.weighIns)" }),
        ("Trend weight (kg)", { num($0.trendWeightKg, decimals: 2) }),
        ("Trend change (kg)", { signed($0.trendWeightChangeKg, decimals: 2) }),
        ("Energy balance (kcal/day)", { signed($0.energyBalanceKcalPerDay, decimals: 0) }),
    ]

    /// The table, or a paragraph when there is no week.
    static func html(_ weeks: [WeekRow]) -> String {
        guard !weeks.isEmpty else { return "<p>No weeks with data yet.</p>\n" }
        var html = "<div class=\"table-wrap\"><table class=\"weekly\">\n<thead><tr>"
        for (title, _) in columns { html += "<th scope=\"col\">\(HTMLPage.escape(title))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for week in weeks.reversed() {
            html += "<tr>"
            for (i, (_, cell)) in columns.enumerated() {
                html += i == 0 ? "<th scope=\"row\">\(HTMLPage.escape(cell(week)))</th>" : "<td>\(HTMLPage.escape(cell(week)))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    /// A number, or an en dash when missing.
    static func num(_ value: Double?, decimals: Int = 0) -> String {
        value.map { ChartFormat.number($0, decimals: decimals) } ?? "–"
    }

    /// A change with its sign (`+0.25`, `-0.10`), or an en dash.
    static func signed(_ value: Double?, decimals: Int) -> String {
        guard let value else { return "–" }
        let text = ChartFormat.number(value, decimals: decimals)
        return value > 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "+" + text : text
    }
}
