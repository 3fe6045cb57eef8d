import Foundation

/// A number in the model's text that no fact backs.
public struct UnverifiedNumber: Sendable, Equatable, Codable {
    /// The number as written, with its unit when one follows (`2,700 kcal`).
    public var text: String
    /// The sentence around it, trimmed to about 80 characters.
    public var context: String
}

/// Checks every number in report text against the facts (see docs/report.md, *Grounding check*).
///
/// A number is verified when some value backs it: a fact, a documented derived value (differences and percentage
/// changes between weeks of one metric, this week against the mean of the previous four, intake against its target,
/// days from adherence, counts) or a documented constant, in the dimension its unit names (kg, lb = kg × 2.20462,
/// g = protein g or kg × 1000, kcal, kJ = kcal × 4.184, %), rounded to the decimals written (an integer written with
/// trailing zeros and at least 1000, `2,600`, may be rounded to tens or hundreds, keeping 2 significant digits). Signs are ignored (a loss of 0.3 kg is a change of −0.3).
public struct GroundingCheck: Sendable {
    /// What a backing value measures; the unit after a number picks which values may back it.
    enum Dimension: Sendable { case kg, grams, kcal, percent, count }

    let values: [Dimension: [Double]]
    /// The ISO years of the five weeks: a bare 4-digit number equal to one of them is a year, not a claim.
    let years: Set<String>

    /// Constants the report's definitions use: 2 weigh-ins, 3 main lifts, 4 previous weeks, 5 weeks, 7 days,
    /// 10 % calorie tolerance, 12 weeks for main lifts, 100 %, 7700 kcal per kg.
    static let constants: [(Double, Dimension)] = [
        (2, .count), (3, .count), (4, .count), (5, .count), (7, .count), (10, .percent), (12, .count), (100, .percent), (7700, .kcal),
    ]

    public init(facts: WeeklyFacts) {
        var v: [Dimension: [Double]] = [:]
        func add(_ x: Double?, _ d: Dimension) { if let x, x.isFinite { v[d, default: []].append(abs(x)) } }
        /// A metric over the five weeks: each value, the differences and percentage changes between any two weeks,
        /// the mean of the previous weeks and this week against it.
        func series(_ xs: [Double?], _ d: Dimension) {
            for x in xs { add(x, d) }
            for i in xs.indices {
                for j in xs.indices where i != j {
                    guard let a = xs[i], let b = xs[j] else { continue }
                    add(a - b, d)
                    if b != 0 { add(100 * (a - b) / b, .percent) }
                }
            }
            let prev = xs.dropFirst().compactMap { $0 }
            if !prev.isEmpty {
                let mean = prev.reduce(0, +) / Double(prev.count)
                add(mean, d)
                if let a = xs.first ?? nil {
                    add(a - mean, d)
                    if mean != 0 { add(100 * (a - mean) / mean, .percent) }
                }
            }
        }
        /// A value against its target: the gap, the ratio and the gap in percent.
        func target(_ x: Double?, _ t: Double?, _ d: Dimension) {
            guard let x, let t else { return }
            add(x - t, d)
            if t != 0 { add(100 * x / t, .percent); add(100 * (x - t) / t, .percent) }
        }
        let w = facts.weeks
        series(w.map { $0.sessions.map(Double.init) }, .count)
        series(w.map(\.targetSessions), .count)
        series(w.map(\.sessionAdherencePct), .percent)
        series(w.map { $0.hardSets.map(Double.init) }, .count)
        series(w.map(\.tonnageKg), .kg)
        series(w.map { $0.prs.map(Double.init) }, .count)
        series(w.map(\.avgKcal), .kcal)
        series(w.map(\.targetKcal), .kcal)
        series(w.map(\.avgProteinG), .grams)
        series(w.map(\.targetProteinG), .grams)
        series(w.map { $0.daysLogged.map(Double.init) }, .count)
        series(w.map(\.dietAdherencePct), .percent)
        series(w.map(\.proteinAdherencePct), .percent)
        series(w.map { $0.weighIns.map(Double.init) }, .count)
        series(w.map(\.trendWeightKg), .kg)
        series(w.map(\.trendWeightChangeKg), .kg)
        series(w.map(\.energyBalanceKcalPerDay), .kcal)
        series(w.map(\.estimatedMaintenanceKcal), .kcal)
        for week in w {
            target(week.sessions.map(Double.init), week.targetSessions, .count)
            target(week.avgKcal, week.targetKcal, .kcal)
            target(week.avgProteinG, week.targetProteinG, .grams)
            if let d = week.daysLogged { add(Double(7 - d), .count) }
            if let a = week.dietAdherencePct { add(a * 7 / 100, .count) }
            if let a = week.proteinAdherencePct { add(a * 7 / 100, .count) }
        }
        for m in facts.muscleGroups { series(m.hardSets.map { Optional($0) }, .count) }
        for l in facts.mainLifts { series(l.e1rmKg, .kg); add(l.e1rmChangeKg, .kg) }
        for p in facts.personalRecords {
            add(p.e1rmKg, .kg); add(p.topSetWeightKg, .kg); add(p.topSetReps.map(Double.init), .count)
        }
        for d in facts.days {
            add(d.kcal, .kcal); add(d.targetKcal, .kcal); add(d.proteinG, .grams); add(d.targetProteinG, .grams)
            add(d.weightKg, .kg); add(d.trendKg, .kg)
        }
        add(Double(facts.mainLifts.count), .count)
        add(Double(facts.personalRecords.count), .count)
        add(Double(facts.muscleGroups.count), .count)
        for (c, d) in Self.constants { add(c, d) }
        values = v
        years = Set(facts.weeks.map { String($0.isoWeek.prefix(4)) } + [String(facts.isoWeek.prefix(4))])
    }

    /// The values a number followed by `unit` may match, converted to that unit.
    func backing(unit: String?) -> [Double] {
        let kg = values[.kg] ?? []
        switch unit {
        case "kg": return kg
        case "lb": return kg.map { $0 * 2.20462 }
        case "g": return (values[.grams] ?? []) + kg.map { $0 * 1000 }
        case "kcal", "cal": return values[.kcal] ?? []
        case "kj": return (values[.kcal] ?? []).map { $0 * 4.184 }
        case "%": return values[.percent] ?? []
        default: return values.values.flatMap { $0 }
        }
    }

    /// True when `value`, written with `decimals` decimals, is one of `candidates` rounded to that precision.
    static func matches(_ value: Double, decimals: Int, in candidates: [Double]) -> Bool {
        var steps = [pow(10, -Double(decimals))]
        if decimals == 0, value >= 1000 {
            var k = 10.0
            while value.truncatingRemainder(dividingBy: k) == 0, value / k >= 10 { steps.append(k); k *= 10 }
        }
        for step in steps {
            let tolerance = step / 2 + 1e-9 * max(1, abs(value))
            if candidates.contains(where: { abs($0 - value) <= tolerance }) { return true }
        }
        return false
    }

    /// The numbers in `text` that no backing value matches, in order.
    public func unverified(in text: String) -> [UnverifiedNumber] {
        let chars = Array(text)
        return NumberScanner.scan(text).compactMap { n in
            if n.unit == nil, years.contains(n.text) { return nil }
            let candidates = backing(unit: n.unit)
            if n.readings.contains(where: { Self.matches($0.value, decimals: $0.decimals, in: candidates) }) { return nil }
            return UnverifiedNumber(text: n.text + (n.unit.map { $0 == "%" ? "%" : " " + $0 } ?? ""),
                                    context: Self.context(chars, around: n.range))
        }
    }

    /// The line around `range`, at most about 80 characters.
    static func context(_ c: [Character], around range: Range<Int>) -> String {
        var s = range.lowerBound, e = range.upperBound
        while s > 0, c[s - 1] != "\n", range.lowerBound - s < 40 { s -= 1 }
        while e < c.count, c[e] != "\n", e - range.upperBound < 40 { e += 1 }
        return String(c[s..<e]).trimmingCharacters(in: .whitespaces)
    }
}
