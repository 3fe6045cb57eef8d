/// A table drawn from the facts (never from model text): a title, a header row and body rows of cell text.
public struct FactsTable: Sendable, Equatable {
    public var title: String
    public var header: [String]
    public var rows: [[String]]
}

/// The report's tables, built from ``WeeklyFacts`` only: the weekly overview, hard sets per muscle group, main lifts,
/// this week's PRs. Weeks run oldest to newest, the report week last, then its change from the week before.
enum FactsTables {
    static func all(_ f: WeeklyFacts, language: ReportLanguage) -> [FactsTable] {
        let s = ReportStrings.of(language)
        let order = Array(f.weeks.indices.reversed())            // oldest first
        let weekHeader = order.map { f.weeks[$0].isoWeek + ($0 == 0 ? " (\(s.thisWeek))" : "") }
        let delta = language == .pt ? "Δ semana anterior" : "Δ vs previous week"
        func cell(_ v: Double?, _ d: Int) -> String { v.map { NumberText.format($0, decimals: d, language: language) } ?? s.noValue }
        func row(_ label: String, _ d: Int, _ value: (WeekFacts) -> Double?) -> [String] {
            let cells = order.map { cell(value(f.weeks[$0]), d) }
            let change: String
            if let a = value(f.weeks[0]), let b = value(f.weeks[1]) {
                change = NumberText.signed(a - b, decimals: d, language: language)
            } else { change = s.noValue }
            return [label] + cells + [change]
        }
        var tables: [FactsTable] = []
        tables.append(FactsTable(title: s.summary, header: [s.metric] + weekHeader + [delta], rows: [
            row(s.sessions, 0) { $0.sessions.map(Double.init) },
            row(s.targetSessions, 1) { $0.targetSessions },
            row(s.sessionAdherence, 1) { $0.sessionAdherencePct },
            row(s.hardSets, 0) { $0.hardSets.map(Double.init) },
            row(s.tonnage, 0) { $0.tonnageKg },
            row(s.prSessions, 0) { $0.prs.map(Double.init) },
            row(s.avgKcal, 0) { $0.avgKcal },
            row(s.targetKcal, 0) { $0.targetKcal },
            row(s.avgProtein, 0) { $0.avgProteinG },
            row(s.targetProtein, 0) { $0.targetProteinG },
            row(s.daysLogged, 0) { $0.daysLogged.map(Double.init) },
            row(s.dietAdherence, 1) { $0.dietAdherencePct },
            row(s.proteinAdherence, 1) { $0.proteinAdherencePct },
            row(s.weighIns, 0) { $0.weighIns.map(Double.init) },
            row(s.trendWeight, 2) { $0.trendWeightKg },
            row(s.trendChange, 2) { $0.trendWeightChangeKg },
            row(s.energyBalance, 0) { $0.energyBalanceKcalPerDay },
            row(s.maintenance, 0) { $0.estimatedMaintenanceKcal },
        ]))
        if !f.muscleGroups.isEmpty {
            tables.append(FactsTable(title: s.muscleHeading, header: [s.muscleGroup] + weekHeader + [delta], rows: f.muscleGroups.map { m in
                let v = { (i: Int) -> Double? in i < m.hardSets.count ? m.hardSets[i] : nil }
                let change = (v(0) != nil && v(1) != nil) ? NumberText.signed(v(0)! - v(1)!, decimals: 1, language: language) : s.noValue
                return [m.muscleGroup] + order.map { cell(v($0), 1) } + [change]
            }))
        }
        if !f.mainLifts.isEmpty {
            tables.append(FactsTable(title: s.liftHeading, header: [s.lift] + weekHeader + [s.change4w], rows: f.mainLifts.map { l in
                [l.exerciseTitle] + order.map { cell($0 < l.e1rmKg.count ? l.e1rmKg[$0] : nil, 2) }
                    + [l.e1rmChangeKg.map { NumberText.signed($0, decimals: 2, language: language) } ?? s.noValue]
            }))
        }
        if !f.personalRecords.isEmpty {
            tables.append(FactsTable(title: s.prHeading, header: [s.exercise, s.prKinds, "e1RM (kg)", s.topSet], rows: f.personalRecords.map { p in
                let top = p.topSetWeightKg.map { NumberText.kg($0, language) + " kg" + (p.topSetReps.map { " × \($0)" } ?? "") } ?? s.noValue
                return [p.exerciseTitle, p.kinds.map { s.prKind($0, language: language) }.joined(separator: ", "),
                        cell(p.e1rmKg, 2), top]
            }))
        }
        return tables
    }

    /// The missing-data lines, the report week first.
    static func missingLines(_ f: WeeklyFacts, language: ReportLanguage) -> [String] {
        let s = ReportStrings.of(language)
        return f.missing.map { s.missing($0, language: language) }
    }

    /// `table` as a GitHub-flavoured Markdown table (pipes in cells escaped).
    static func markdown(_ table: FactsTable) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var out = [line(table.header), "|" + table.header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|"]
        out += table.rows.map(line)
        return out.joined(separator: "\n")
    }
}
