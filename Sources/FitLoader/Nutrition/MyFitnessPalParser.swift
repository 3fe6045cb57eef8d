/// Reads a MyFitnessPal "Nutrition-Summary" export: one row per date × meal (newer exports: × time),
/// summed to days. `Calories` is kcal; `Fat (g)`, `Carbohydrates (g)`, `Protein (g)` and `Fiber`
/// (g by MyFitnessPal's convention) are mapped; every other column, including the unit-less
/// `Vitamin A`, `Vitamin C`, `Calcium`, `Iron`, is kept raw in `extra` and not used in analytics.
enum MyFitnessPalParser {
    static func parse(_ table: ExportTable) throws -> NutritionParse {
        let h = table.header
        let date = h.column("Date")!, meal = h.column("Meal"), time = h.column("Time")
        let nutrients = NutrientColumns(h, kcal: "Calories", protein: "Protein (g)", carbs: "Carbohydrates (g)",
                                        fat: "Fat (g)", fiber: "Fiber")
        let extra = ExtraColumns(h, excluding: nutrients.positions.union([date, meal, time].compactMap { $0 }))
        return try table.summedEntries(date: date, extra: extra) { day, row throws(RejectedRecord) in
            NutritionEntry(date: day, position: 0, meal: nonEmpty(row.text(meal)), time: try row.time(time),
                           food: nil, amount: nil, nutrients: try nutrients.read(row), extra: extra.read(row))
        }
    }
}

/// `s`, or nil when empty.
func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }
