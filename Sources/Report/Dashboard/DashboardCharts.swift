import Charts

/// The dashboard's charts, built from ``DashboardData`` with the shared chart code.
public enum DashboardCharts {
    /// One progression chart per main lift: weekly best e1RM and top-set weight, PR weeks marked.
    public static func lifts(_ data: DashboardData) -> [LineChart] {
        data.lifts.map { lift in
            LineChart(title: "\(lift.title): e1RM and top set", yLabel: "Load (kg)", series: [
                LineSeries(name: "Best e1RM", points: lift.weeks.compactMap { w in
                    w.e1rmKg.map { TimePoint(date: w.weekStart, value: $0, marked: w.isE1rmPR) } }),
                LineSeries(name: "Top set", points: lift.weeks.compactMap { w in
                    w.topSetKg.map { TimePoint(date: w.weekStart, value: $0, marked: w.isWeightPR) } }),
            ], emptyMessage: "No weighted sets logged")
        }
    }

    /// Weighted hard sets per muscle group, one bar per recent week.
    public static func muscleSets(_ data: DashboardData) -> BarChart {
        BarChart(title: "Hard sets per muscle group, last \(data.muscleWeeks.count) weeks", xLabel: "Muscle group",
                 yLabel: "Hard sets (weighted)", categories: data.muscleSets.map { $0.muscleGroup.replacingUnderscores },
                 series: data.muscleWeeks.enumerated().map { i, week in BarSeries(name: week, values: data.muscleSets.map { $0.sets[i] }) },
                 emptyMessage: "No hard sets logged")
    }

    /// Sessions per week against the target sessions.
    public static func sessions(_ data: DashboardData) -> BarChart {
        var chart = BarChart(title: "Sessions per week vs target", xLabel: "ISO week", yLabel: "Sessions",
                             categories: data.weeks.map(\.isoWeek),
                             series: [BarSeries(name: "Sessions", values: data.weeks.map { Double($0.sessions) })],
                             emptyMessage: "No weeks with data")
        let targets = data.weeks.map(\.targetSessions)
        if let constant = constantTarget(targets) {
            chart.target = constant
            chart.targetLabel = "Target \(ChartFormat.number(constant, decimals: constant == constant.rounded() ? 0 : 1))/week"
        } else if targets.contains(where: { $0 != nil }) {
            chart.series.append(BarSeries(name: "Target", values: targets))
        }
        return chart
    }

    /// Tonnage per week.
    public static func tonnage(_ data: DashboardData) -> BarChart {
        BarChart(title: "Weekly tonnage", xLabel: "ISO week", yLabel: "Tonnage (kg)", categories: data.weeks.map(\.isoWeek),
                 series: [BarSeries(name: "Tonnage", values: data.weeks.map { $0.tonnageKg ?? 0 })], emptyMessage: "No weeks with data")
    }

    /// Daily energy intake against the calorie target.
    public static func energy(_ data: DashboardData) -> LineChart {
        daily(title: "Daily energy intake vs target", yLabel: "Energy (kcal)", name: "Intake", unit: "kcal", data.intake.map { ($0.date, $0.kcal, $0.targetKcal) })
    }

    /// Daily protein against the protein target.
    public static func protein(_ data: DashboardData) -> LineChart {
        daily(title: "Daily protein vs target", yLabel: "Protein (g)", name: "Protein", unit: "g",
              data.intake.compactMap { d in d.proteinG.map { (d.date, $0, d.targetProteinG) } })
    }

    /// Weigh-ins and the smoothed trend.
    public static func bodyWeight(_ data: DashboardData) -> LineChart {
        LineChart(title: "Body weight and trend", yLabel: "Body weight (kg)", series: [
            LineSeries(name: "Weigh-ins", points: data.bodyWeight.compactMap { d in d.weightKg.map { TimePoint(date: d.date, value: $0) } }),
            LineSeries(name: "Trend", points: data.bodyWeight.map { TimePoint(date: $0.date, value: $0.trendKg) }),
        ], emptyMessage: "No weigh-ins logged")
    }

    /// A daily series with its target: a dashed line when the target never changed, else a second series.
    static func daily(title: String, yLabel: String, name: String, unit: String, _ days: [(date: String, value: Double, target: Double?)]) -> LineChart {
        var chart = LineChart(title: title, yLabel: yLabel, series: [LineSeries(name: name, points: days.map { TimePoint(date: $0.date, value: $0.value) })],
                              emptyMessage: "No intake logged")
        if let constant = constantTarget(days.map(\.target)) {
            chart.target = constant
            chart.targetLabel = "Target \(ChartFormat.number(constant)) \(unit)"
        } else if days.contains(where: { $0.target != nil }) {
            chart.series.append(LineSeries(name: "Target", points: days.compactMap { d in d.target.map { TimePoint(date: d.date, value: $0) } }))
        }
        return chart
    }

    /// The target when every known value is the same one; nil when none is known or it changed.
    static func constantTarget(_ values: [Double?]) -> Double? {
        let known = values.compactMap { $0 }
        guard let first = known.first, known.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}

extension String {
    /// `lower_back` → `lower back`.
    var replacingUnderscores: String { split(separator: "_").joined(separator: " ") }
}
