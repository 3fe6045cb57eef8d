/// Reads a Cronometer "Servings" export: one row per food (optional `Time`, `Group`, `Category`),
/// summed to days. `Amount` (`"107.00 g"`, `"2.00 x 9.0 crackers"`) is kept as text; the food and its
/// group are kept in `core.nutrition_entries`.
enum CronometerServingsParser {
    static func parse(_ table: ExportTable) throws -> NutritionParse {
        let h = table.header
        let day = h.column("Day")!, time = h.column("Time"), group = h.column("Group")
        let food = h.column("Food Name"), amount = h.column("Amount")
        let nutrients = CronometerColumns.nutrients(h)
        let extra = ExtraColumns(h, excluding: nutrients.positions.union([day, time, group, food, amount].compactMap { $0 }))
        return try table.summedEntries(date: day, extra: extra) { date, row throws(RejectedRecord) in
            NutritionEntry(date: date, position: 0, meal: nonEmpty(row.text(group)), time: try row.time(time),
                           food: nonEmpty(row.text(food)), amount: nonEmpty(row.text(amount)),
                           nutrients: try nutrients.read(row), extra: extra.read(row))
        }
    }
}

/// The nutrient columns both Cronometer exports share.
enum CronometerColumns {
    static func nutrients(_ h: NutritionHeader) -> NutrientColumns {
        NutrientColumns(h, kcal: "Energy (kcal)", protein: "Protein (g)", carbs: "Carbs (g)", fat: "Fat (g)", fiber: "Fiber (g)")
    }
}
