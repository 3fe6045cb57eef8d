import Charts

/// The report's four charts, drawn from the facts: e1RM of the main lifts per week, weekly hard sets per muscle
/// group, daily intake against the calorie target, body weight (weigh-ins) and its trend.
enum ReportCharts {
    static func e1rm(_ f: WeeklyFacts, _ s: ReportStrings) -> LineChart? {
        let series = f.mainLifts.map { lift in
            LineSeries(name: lift.exerciseTitle, points: f.weeks.indices.reversed().compactMap { i in
                guard i < lift.e1rmKg.count, let v = lift.e1rmKg[i] else { return nil }
                return TimePoint(date: f.weeks[i].weekStart, value: v,
                                 marked: i == 0 && f.personalRecords.contains { $0.exerciseTitle == lift.exerciseTitle && $0.kinds.contains("e1rm") })
            })
        }.filter { !$0.points.isEmpty }
        guard !series.isEmpty else { return nil }
        return LineChart(title: s.chartE1RM, yLabel: "e1RM (kg)", series: series, markedLabel: s.prMark)
    }

    static func muscles(_ f: WeeklyFacts, _ s: ReportStrings) -> BarChart? {
        guard !f.muscleGroups.isEmpty else { return nil }
        let order = Array(f.weeks.indices.reversed())
        return BarChart(title: s.chartMuscles, xLabel: s.muscleGroup, yLabel: s.hardSets,
                        categories: f.muscleGroups.map(\.muscleGroup),
                        series: order.map { i in
                            BarSeries(name: f.weeks[i].isoWeek, values: f.muscleGroups.map { i < $0.hardSets.count ? $0.hardSets[i] : nil })
                        })
    }

    static func intake(_ f: WeeklyFacts, _ s: ReportStrings) -> LineChart? {
        let points = f.days.compactMap { d in d.kcal.map { TimePoint(date: d.date, value: $0) } }
        guard !points.isEmpty else { return nil }
        let targets = f.days.compactMap { d in d.targetKcal.map { TimePoint(date: d.date, value: $0) } }
        var series = [LineSeries(name: s.intake, points: points)]
        let distinct = Set(targets.map(\.value))
        if distinct.count > 1 { series.append(LineSeries(name: s.target, points: targets)) }
        return LineChart(title: s.chartIntake, yLabel: "kcal", series: series,
                         target: distinct.count == 1 ? distinct.first : nil, targetLabel: distinct.count == 1 ? s.target : nil)
    }

    static func weight(_ f: WeeklyFacts, _ s: ReportStrings) -> LineChart? {
        let trend = f.days.compactMap { d in d.trendKg.map { TimePoint(date: d.date, value: $0) } }
        let weighIns = f.days.compactMap { d in d.weightKg.map { TimePoint(date: d.date, value: $0) } }
        guard !trend.isEmpty || !weighIns.isEmpty else { return nil }
        return LineChart(title: s.chartWeight, yLabel: s.trendWeight.replacingOccurrences(of: " (kg)", with: "") + " (kg)",
                         series: [LineSeries(name: s.trend, points: trend), LineSeries(name: s.weighIn, points: weighIns)].filter { !$0.points.isEmpty })
    }

    /// The charts that have data, as inline `<svg>` elements with their titles.
    static func svgs(_ f: WeeklyFacts, language: ReportLanguage) -> [String] {
        let s = ReportStrings.of(language)
        return [e1rm(f, s)?.svg(), muscles(f, s)?.svg(), intake(f, s)?.svg(), weight(f, s)?.svg()].compactMap { $0 }
    }
}
