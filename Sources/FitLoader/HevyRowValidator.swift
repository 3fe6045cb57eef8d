/// A set row that passed validation, ready to stage (values still in the file's units).
struct ValidSetRow {
    var line: Int
    var title: String
    var start: LocalDateTime
    var end: LocalDateTime
    var description: String?
    var exerciseTitle: String
    var supersetId: Int?
    var notes: String?
    var setIndex: Int
    var setType: String
    var weight: String?
    var reps: Int?
    var distance: String?
    var duration: Int?
    var rpe: String?
}

/// A rejected input record, kept verbatim with why.
public struct RejectedRecord: Error, Sendable {
    public var line: Int
    public var field: String?
    public var reason: String
    public var raw: String
}

/// Checks one Hevy CSV record field by field, producing a staged row or a rejection.
struct HevyRowValidator {
    let header: HevyCSVHeader
    /// Display forms of titles seen (NFC is costly; titles repeat on every set row).
    let titles = TitleCache()
    /// Parsed start/end times, one entry per distinct string in the file (nil = unreadable).
    let dates: [String: LocalDateTime?]

    static let setTypes: Set<String> = ["warmup", "normal", "failure", "dropset"]
    static let rpeValues: Set<Double> = [6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10]

    func validate(_ record: CSVRecord) -> Result<ValidSetRow, RejectedRecord> {
        func reject(_ field: String?, _ reason: String) -> Result<ValidSetRow, RejectedRecord> {
            .failure(RejectedRecord(line: record.line, field: field, reason: reason, raw: record.raw))
        }
        let f = record.fields
        guard f.count == header.fieldCount else {
            return reject(nil, "expected \(header.fieldCount) fields, found \(f.count)")
        }
        func value(_ i: Int?) -> String? {
            guard let i else { return nil }
            let v = FieldParsing.trimmed(f[i])
            return v.isEmpty ? nil : v
        }
        guard let startText = value(header.startTime) else { return reject("start_time", "start_time is empty") }
        guard let start = dates[startText] ?? nil else { return reject("start_time", "unreadable date \"\(startText)\"") }
        guard let endText = value(header.endTime) else { return reject("end_time", "end_time is empty") }
        guard let end = dates[endText] ?? nil else { return reject("end_time", "unreadable date \"\(endText)\"") }
        guard let exercise = value(header.exerciseTitle) else { return reject("exercise_title", "exercise_title is empty") }
        guard let setIndexText = value(header.setIndex) else { return reject("set_index", "set_index is empty") }
        guard let setIndex = Int(setIndexText), setIndex >= 0 else {
            return reject("set_index", "set_index \"\(setIndexText)\" is not a non-negative integer")
        }
        let setType = (value(header.setType) ?? "").lowercased()
        guard Self.setTypes.contains(setType) else {
            return reject("set_type", "unknown set_type \"\(f[header.setType])\" (expected warmup, normal, failure or dropset)")
        }
        var superset: Int?
        if let s = value(header.supersetId) {
            guard let v = Int(s), v >= 0 else { return reject("superset_id", "superset_id \"\(s)\" is not a non-negative integer") }
            superset = v
        }
        let weightName = header.weightUnit == .lbs ? "weight_lbs" : "weight_kg"
        var weight: String?
        if let w = value(header.weight) {
            guard let d = FieldParsing.decimal(w) else { return reject(weightName, "\(weightName) \"\(w)\" is not a number") }
            let kg = header.weightUnit == .lbs ? d * 0.45359237 : d
            guard kg > -1000, kg < 10000 else { return reject(weightName, "\(weightName) \(w) is out of range") }
            weight = w
        }
        var reps: Int?
        if let r = value(header.reps) {
            guard let v = FieldParsing.integer(r), v >= 0, v < 100_000 else {
                return reject("reps", "reps \"\(r)\" is not a non-negative integer")
            }
            reps = v
        }
        let distanceName = header.distanceUnit == .miles ? "distance_miles" : "distance_km"
        var distance: String?
        if let d = value(header.distance) {
            guard let v = FieldParsing.decimal(d), v >= 0, v < 100_000 else {
                return reject(distanceName, "\(distanceName) \"\(d)\" is not a non-negative number")
            }
            distance = d
        }
        var duration: Int?
        if let d = value(header.duration) {
            guard let v = FieldParsing.integer(d), v >= 0 else {
                return reject("duration_seconds", "duration_seconds \"\(d)\" is not a non-negative integer")
            }
            duration = v
        }
        var rpe: String?
        if let r = value(header.rpe) {
            guard let v = FieldParsing.decimal(r), Self.rpeValues.contains(v) else {
                return reject("rpe", "rpe \"\(r)\" is not one of 6, 6.5, 7 … 10")
            }
            rpe = r
        }
        return .success(ValidSetRow(
            line: record.line, title: titles.display(f[header.title]), start: start, end: end,
            description: value(header.description), exerciseTitle: titles.display(exercise),
            supersetId: superset, notes: value(header.exerciseNotes), setIndex: setIndex, setType: setType,
            weight: weight, reps: reps, distance: distance, duration: duration, rpe: rpe))
    }
}

/// Memoizes ``TitleNormalizer`` results for the few hundred distinct titles of a file.
final class TitleCache {
    private var display: [String: String] = [:]
    private var keys: [String: String] = [:]

    /// The stored display form of `raw`.
    func display(_ raw: String) -> String {
        if let d = display[raw] { return d }
        let d = TitleNormalizer.display(raw)
        if display.count < 100_000 { display[raw] = d }
        return d
    }

    /// The matching key of a display title.
    func key(_ title: String) -> String {
        if let k = keys[title] { return k }
        let k = TitleNormalizer.key(title)
        if keys.count < 100_000 { keys[title] = k }
        return k
    }
}
