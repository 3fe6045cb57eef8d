import FitDomain
import Foundation

/// Calories and the four macronutrients of a day, meal or food; nil = unknown (never 0).
struct Nutrients: Equatable, Sendable {
    var kcal: Quantity?, proteinG: Quantity?, carbsG: Quantity?, fatG: Quantity?, fiberG: Quantity?

    /// True when nothing is known.
    var isEmpty: Bool { [kcal, proteinG, carbsG, fatG, fiberG].allSatisfy { $0 == nil } }

    /// The per-field sums of `parts` (a field stays unknown when no part knows it).
    static func sum(_ parts: [Nutrients]) -> Nutrients {
        Nutrients(kcal: Quantity.sum(parts.map(\.kcal)), proteinG: Quantity.sum(parts.map(\.proteinG)),
                  carbsG: Quantity.sum(parts.map(\.carbsG)), fatG: Quantity.sum(parts.map(\.fatG)),
                  fiberG: Quantity.sum(parts.map(\.fiberG)))
    }
}

/// One logged day of one source (a row of `core.nutrition_days`).
struct NutritionDay: Sendable {
    var date: CalendarDate
    var nutrients: Nutrients
    /// Every other column by header name: the export's own values, or for summed days the sums of the numeric ones.
    var extra: [(String, JSONValue)]
}

/// One meal or food row behind a day (a row of `core.nutrition_entries`).
struct NutritionEntry: Sendable {
    var date: CalendarDate
    var position: Int
    var meal: String?
    /// `HH:MM`, 24-hour.
    var time: String?
    var food: String?
    var amount: String?
    var nutrients: Nutrients
    var extra: [(String, JSONValue)]
}

/// One weigh-in (a row of `core.body_measurements`); the weight is converted to kg in SQL, exactly.
struct WeighIn: Sendable {
    var date: CalendarDate
    var weight: Quantity
    var unit: WeightUnit
    var fatPercent: Quantity?
    var extra: [(String, JSONValue)]
}

/// Reading a weight column's unit from its header (the factors live in FitDomain's ``WeightUnit``).
extension WeightUnit {
    /// Reads the unit of a header such as `weight_lbs`, `Weight (kg)`, `Trend Weight (lbs)`.
    static func of(header name: String) -> WeightUnit? {
        var k = NutritionHeader.key(name)
        if k.hasSuffix(")") { k.removeLast() }
        if k.hasSuffix("lbs") || k.hasSuffix("lb") { return .lbs }
        return k.hasSuffix("kg") ? .kg : nil
    }

    /// True when `value` in this unit is a plausible body weight (the `core.body_measurements` CHECK: 0–500 kg).
    func isPlausible(_ value: Quantity) -> Bool {
        let kg = NSDecimalNumber(decimal: value.value).doubleValue * approximateKilogramsPerUnit
        return kg > 0 && kg < 500
    }
}

/// A target the export shows from a date on; nil = no target of that kind (MacroFactor writes `0`).
struct TargetPoint: Equatable, Sendable {
    var date: CalendarDate
    var kcal: Quantity?
    var proteinG: Quantity?
}

/// Everything a nutrition or body-weight file holds, checked row by row and ready to write.
struct NutritionParse: Sendable {
    var rowsRead = 0
    var days: [NutritionDay] = []
    var entries: [NutritionEntry] = []
    var weighIns: [WeighIn] = []
    var targets: [TargetPoint] = []
    /// Days the file lists with nothing logged (blank rows): skipped, not rejected, and not zero.
    var notLogged: Set<CalendarDate> = []
    var rejects: [RejectedRecord] = []
    /// The first and last date of any readable row.
    var span: ClosedRange<CalendarDate>?

    mutating func noteDate(_ d: CalendarDate) {
        span = span.map { min($0.lowerBound, d)...max($0.upperBound, d) } ?? d...d
    }
}
