/// What one Hevy CSV load did, for the command's summary and `meta.loads`.
public struct HevyCSVLoadSummary: Sendable, Codable, Equatable {
    public var file: String
    public var loadId: Int = 0
    public var rowsRead = 0
    public var rowsRejected = 0
    public var workoutsNew = 0, workoutsUpdated = 0, workoutsUnchanged = 0, workoutsKeptFromAPI = 0
    public var setsNew = 0, setsUpdated = 0, setsUnchanged = 0, setsRemoved = 0
    public var language = ""
    /// How the file was read: "one" (an initial load) or "two (why)"; see the loader.
    public var passes = "one"
    public var weightUnit = ""
    public var distanceUnit = ""
    /// Set when --timezone differed from the zone the athlete's existing workouts use (which is kept).
    public var timezoneKept: String?

    /// Rows staged (read minus rejected): every read row is either here or in the rejects.
    public var rowsStaged: Int { rowsRead - rowsRejected }

    /// A one-paragraph human summary.
    public var text: String {
        """
        \(file): \(rowsRead) rows read, \(rowsStaged) loaded, \(rowsRejected) rejected \
        (language \(language), weight \(weightUnit), distance \(distanceUnit))
          workouts: \(workoutsNew) new, \(workoutsUpdated) updated, \(workoutsUnchanged) unchanged\
        \(workoutsKeptFromAPI > 0 ? ", \(workoutsKeptFromAPI) kept from the API" : "")
          sets: \(setsNew) new, \(setsUpdated) updated, \(setsUnchanged) unchanged, \(setsRemoved) removed\
        \(timezoneKept.map { "\n  warning: the athlete keeps its time zone \($0) (--timezone applies only to athletes without workouts)" } ?? "")
        """
    }
}
