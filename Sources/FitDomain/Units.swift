/// Units of the exports and their exact SI factors (the one home of the pound and mile definitions).
///
/// Factors are decimal text so that loaders can multiply exactly (in `numeric`, or with the CSV loader's
/// exact decimal arithmetic): 1 lb = 0.45359237 kg and 1 mile = 1609.344 m by international definition.
public enum WeightUnit: String, Sendable, Codable {
    case kg, lbs

    /// Kilograms per unit, as exact decimal text.
    public var kilogramsPerUnit: String { self == .lbs ? "0.45359237" : "1" }
    /// Kilograms per unit, as a `Double` (for plausibility checks only, never for stored values).
    public var approximateKilogramsPerUnit: Double { self == .lbs ? 0.45359237 : 1 }
}

/// The unit of a distance column.
public enum DistanceUnit: String, Sendable, Codable {
    case km, miles

    /// Metres per unit, as exact decimal text.
    public var metresPerUnit: String { self == .miles ? "1609.344" : "1000" }
}
