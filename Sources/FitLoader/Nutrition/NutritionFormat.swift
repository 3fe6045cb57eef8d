/// The nutrition export formats `fitdata load nutrition` reads, and how a header picks one.
public enum NutritionFormat: String, CaseIterable, Sendable, Codable {
    /// MyFitnessPal "Nutrition-Summary": one row per date × meal (optionally × time).
    case myfitnesspal
    /// Cronometer "Daily Nutrition" (`dailysummary.csv`), with or without a `Group` column.
    case cronometer
    /// Cronometer "Servings" (`servings.csv`): one row per food.
    case cronometerServings = "cronometer-servings"
    /// A MacroFactor daily sheet saved as CSV (intake, weigh-ins, targets, expenditure, steps).
    case macrofactor

    /// The value of `core.nutrition_days.source` this format writes.
    public var source: String {
        switch self {
        case .myfitnesspal: return "myfitnesspal"
        case .cronometer: return "cronometer"
        case .cronometerServings: return "cronometer_servings"
        case .macrofactor: return "macrofactor"
        }
    }

    /// The formats as listed in messages and `--format`.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// True when `header` has the columns this format needs.
    func matches(_ h: NutritionHeader) -> Bool {
        switch self {
        case .myfitnesspal:
            return h.has("Date", "Meal", "Calories")
        case .cronometerServings:
            return h.has("Day", "Food Name", "Energy (kcal)")
        case .cronometer:
            return h.has("Date", "Energy (kcal)") && h.column("Food Name") == nil
        case .macrofactor:
            return h.has("Date", "Calories (kcal)", "Protein (g)")
                && (h.column("Expenditure") != nil || h.column(prefix: "Weight (") != nil)
        }
    }

    /// The one format `header` matches, or nil.
    public static func detect(_ header: NutritionHeader) -> NutritionFormat? {
        let hits = allCases.filter { $0.matches(header) }
        return hits.count == 1 ? hits[0] : nil
    }
}
