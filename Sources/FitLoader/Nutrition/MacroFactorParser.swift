import FitDomain
import Foundation

/// Reads a MacroFactor daily sheet saved as CSV (`M/D/YY` dates, weights in `(lbs)` or `(kg)`).
///
/// A row with any of calories, protein, fat or carbs is a logged day (`core.nutrition_days`, source
/// `macrofactor`; `Expenditure`, `Trend Weight`, `Steps` and the targets kept in `extra`); a row
/// without them was not logged and is skipped. A `Weight` value is a weigh-in
/// (`core.body_measurements`, source `macrofactor`). `Target Calories` / `Target Protein` become
/// target points, where `0` means "no target".
enum MacroFactorParser {
    /// Limits of `core.athlete_targets` (its CHECK constraints), checked here so a bad value is a reject.
    static let maxKcal: Decimal = 20_000, maxProtein: Decimal = 1_000

    static func parse(_ table: ExportTable) throws -> NutritionParse {
        let h = table.header
        let date = h.column("Date")!
        let weight = h.column(prefix: "Weight (")
        let unit = weight.flatMap { WeightUnit.of(header: h.names[$0]) }
        if let weight, unit == nil {
            throw LoadError.configuration("column \"\(h.names[weight])\": the unit must be (kg) or (lbs)")
        }
        let trend = h.column(prefix: "Trend Weight (")
        let targetKcal = h.column("Target Calories (kcal)"), targetProtein = h.column("Target Protein (g)")
        let nutrients = NutrientColumns(h, kcal: "Calories (kcal)", protein: "Protein (g)", carbs: "Carbs (g)",
                                        fat: "Fat (g)", fiber: "Fiber (g)")
        let extra = ExtraColumns(h, excluding: nutrients.positions.union([date, weight].compactMap { $0 }))
        return try table.dailyRows(date: date) { day, row, parse throws(RejectedRecord) in
            let values = try nutrients.read(row)
            let weighed = try row.bodyWeight(weight, unit: unit)
            let kcalTarget = try target(row, targetKcal, limit: maxKcal)
            let proteinTarget = try target(row, targetProtein, limit: maxProtein)
            if values.isEmpty { parse.notLogged.insert(day) } else {
                parse.days.append(NutritionDay(date: day, nutrients: values, extra: extra.read(row)))
            }
            if let weighed, let unit {
                let trendValue = trend.flatMap { JSONValue.cell(row.text($0)) }.map { [(h.names[trend!], $0)] } ?? []
                parse.weighIns.append(WeighIn(date: day, weight: weighed, unit: unit, fatPercent: nil, extra: trendValue))
            }
            // a row with either target cell filled states the plan of that day (an empty cell: no target)
            if kcalTarget != nil || proteinTarget != nil {
                parse.targets.append(TargetPoint(date: day, kcal: kcalTarget?.value ?? nil, proteinG: proteinTarget?.value ?? nil))
            }
        }
    }

    /// A target cell: nil when empty (unknown), `.some(nil)` for `0` (no target), else the target.
    private static func target(_ row: ExportRow, _ column: Int?, limit: Decimal) throws(RejectedRecord) -> TargetCell? {
        guard let q = try row.amount(column) else { return nil }
        if q.value == 0 { return TargetCell(value: nil) }
        if q.value >= limit { throw row.reject(column, "target \(q.text) is not below \(limit)") }
        return TargetCell(value: q)
    }

    /// A target cell that was filled in.
    private struct TargetCell { let value: Quantity? }
}
