import FitDomain
/// The column layout of a Hevy workout export, read from its header by name.
public struct HevyCSVHeader: Sendable {

    /// Why a header is not a Hevy workout export.
    public enum HeaderError: Error, Equatable, CustomStringConvertible {
        case notHevy(missing: [String])
        case unknownColumns([String])
        case duplicateColumn(String)
        public var description: String {
            switch self {
            case .notHevy(let missing):
                return "not a Hevy workout export: missing column(s) \(missing.joined(separator: ", "))"
            case .unknownColumns(let c): return "unknown column(s) in header: \(c.joined(separator: ", "))"
            case .duplicateColumn(let c): return "column \(c) appears twice in the header"
            }
        }
    }

    public let fieldCount: Int
    /// The column names as read (trimmed, lower-case), by position.
    public let names: [String]
    public let title: Int, startTime: Int, endTime: Int, exerciseTitle: Int, setIndex: Int, setType: Int
    public let description: Int?, supersetId: Int?, exerciseNotes: Int?
    public let weight: Int?, reps: Int?, distance: Int?, duration: Int?, rpe: Int?
    public let weightUnit: WeightUnit
    public let distanceUnit: DistanceUnit

    static let required = ["title", "start_time", "end_time", "exercise_title", "set_index", "set_type"]
    static let optional = ["description", "superset_id", "exercise_notes", "reps", "duration_seconds", "rpe",
                           "weight_kg", "weight_lbs", "distance_km", "distance_miles"]

    /// Maps `fields` (the header record) to column positions; the unit comes from each column's suffix.
    public init(fields: [String]) throws {
        let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            if index[n] != nil { throw HeaderError.duplicateColumn(n) }
            index[n] = i
        }
        let missing = Self.required.filter { index[$0] == nil }
        if !missing.isEmpty { throw HeaderError.notHevy(missing: missing) }
        let unknown = names.filter { !Self.required.contains($0) && !Self.optional.contains($0) }
        if !unknown.isEmpty { throw HeaderError.unknownColumns(unknown) }
        if index["weight_kg"] != nil, index["weight_lbs"] != nil { throw HeaderError.duplicateColumn("weight_kg/weight_lbs") }
        if index["distance_km"] != nil, index["distance_miles"] != nil { throw HeaderError.duplicateColumn("distance_km/distance_miles") }
        fieldCount = names.count
        self.names = names
        title = index["title"]!; startTime = index["start_time"]!; endTime = index["end_time"]!
        exerciseTitle = index["exercise_title"]!; setIndex = index["set_index"]!; setType = index["set_type"]!
        description = index["description"]; supersetId = index["superset_id"]; exerciseNotes = index["exercise_notes"]
        reps = index["reps"]; duration = index["duration_seconds"]; rpe = index["rpe"]
        weight = index["weight_kg"] ?? index["weight_lbs"]
        weightUnit = index["weight_lbs"] != nil ? .lbs : .kg
        distance = index["distance_km"] ?? index["distance_miles"]
        distanceUnit = index["distance_miles"] != nil ? .miles : .km
    }

    /// The SQL numeric factor converting the weight column to kilograms (exact).
    public var kilogramsPerUnit: String { weightUnit.kilogramsPerUnit }
    /// The SQL numeric factor converting the distance column to metres (exact).
    public var metresPerUnit: String { distanceUnit.metresPerUnit }
}
