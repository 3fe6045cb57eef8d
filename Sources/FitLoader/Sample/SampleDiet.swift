import Foundation

/// The synthetic athlete's diet and scale: a Cronometer "Daily Nutrition" export (with a `Group`
/// column: a `Total` row every day, meal rows on some days, blank rows on days not logged) and a
/// body-weight CSV (`date,weight_kg`), for the same days as the training.
///
/// A lean bulk: intake about 2,850 kcal against a maintenance near 2,650, so the weight drifts up by
/// about 0.2 kg a week; weekends run higher. Logging has gaps (a few random days, and one whole
/// week in the middle); the scale is used on about two days in three.
struct SampleDiet {
    let days: [DateComponents]
    let seed: UInt64

    static let cronometerHeader = "Date,Group,Energy (kcal),Protein (g),Carbs (g),Fat (g),Fiber (g),Sodium (mg),Completed"
    static let meals = [("Breakfast", 25), ("Lunch", 30), ("Dinner", 35), ("Snacks", 10)]   // percent of the day

    /// The Cronometer export text: LF line ends and a final newline, as Cronometer writes it.
    func cronometerCSV() -> String {
        var rng = SeededRandom(seed: seed &+ 101)
        let gapWeek = (days.count / 7) / 2
        var lines = [Self.cronometerHeader]
        for (i, day) in days.enumerated() {
            let date = Self.iso(day)
            let weekend = i % 7 >= 5
            let logged = i / 7 != gapWeek && !rng.chance(0.08)
            guard logged else {
                lines.append(date + ",\"Total\"" + String(repeating: ",", count: 6) + ",false")
                continue
            }
            // amounts in hundredths, so the meal rows add up to the Total row exactly
            let kcal = Int((2_850 + (weekend ? 350 : 0) + Double.random(in: -300...300, using: &rng)) * 100)
            let protein = Int(Double.random(in: 145...195, using: &rng) * 100)
            let carbs = Int(Double(kcal) * 0.45 / 4)
            let fat = (kcal - protein * 4 - carbs * 4) / 9
            let fiber = Int(Double.random(in: 22...40, using: &rng) * 100)
            let sodium = Int(Double.random(in: 1_800...3_400, using: &rng) * 100)
            let total = [kcal, protein, carbs, fat, fiber, sodium]
            lines.append(date + ",\"Total\"," + total.map(Self.cents).joined(separator: ",") + ",true")
            guard rng.chance(0.4) else { continue }
            var left = total
            for (m, (meal, share)) in Self.meals.enumerated() {
                let part = m == Self.meals.count - 1 ? left : total.map { $0 * share / 100 }
                for k in left.indices { left[k] -= part[k] }
                lines.append(date + ",\"\(meal)\"," + part.map(Self.cents).joined(separator: ",") + ",true")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The body-weight CSV: about two weigh-ins in three days, one decimal, a slow upward trend.
    func bodyWeightCSV() -> String {
        var rng = SeededRandom(seed: seed &+ 202)
        var lines = ["date,weight_kg"]
        for (i, day) in days.enumerated() where rng.chance(0.67) {
            let trend = 80.0 + 0.03 * Double(i)
            let weight = trend + Double.random(in: -0.7...0.7, using: &rng)
            lines.append("\(Self.iso(day)),\(String(format: "%.1f", weight))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func iso(_ d: DateComponents) -> String { String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!) }

    /// Hundredths as a 2-decimal number, as Cronometer writes them.
    static func cents(_ v: Int) -> String { String(format: "%d.%02d", v / 100, v % 100) }
}
