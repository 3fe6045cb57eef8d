/// What one nutrition or body-weight load did, for the command's summary line and `meta.loads`.
public struct NutritionLoadSummary: Sendable, Codable, Equatable {
    public var file: String
    public var format: String
    public var loadId = 0
    public var rowsRead = 0
    public var rowsRejected = 0
    public var daysNew = 0, daysUpdated = 0, daysUnchanged = 0
    /// Days the file lists with nothing logged (skipped: not rejects, not zero).
    public var daysNotLogged = 0
    /// Meal or food rows written (new or changed) to `core.nutrition_entries`.
    public var entriesWritten = 0
    public var weighInsNew = 0, weighInsUpdated = 0, weighInsUnchanged = 0
    /// Target rows written to `core.athlete_targets` (MacroFactor).
    public var targetsWritten = 0
    public var firstDate: String?
    public var lastDate: String?

    public var daysLoaded: Int { daysNew + daysUpdated + daysUnchanged }
    public var weighIns: Int { weighInsNew + weighInsUpdated + weighInsUnchanged }

    /// One line (two when the file has weigh-ins besides days).
    public var text: String {
        var parts = ["\(file) (\(format)): \(rowsRead) rows read, \(rowsRejected) rejected"]
        if format != "body-weight-csv" {
            parts.append("days: \(daysLoaded) loaded (\(daysNew) new, \(daysUpdated) updated, \(daysUnchanged) unchanged), \(daysNotLogged) not logged")
        }
        if weighIns > 0 || format == "body-weight-csv" {
            parts.append("weigh-ins: \(weighIns) (\(weighInsNew) new, \(weighInsUpdated) updated, \(weighInsUnchanged) unchanged)"
                         + (format == "body-weight-csv" ? ", \(daysNotLogged) days without a weight" : ""))
        }
        if targetsWritten > 0 { parts.append("targets: \(targetsWritten) written") }
        return parts.joined(separator: "; ")
    }
}
