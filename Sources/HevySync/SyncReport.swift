import Foundation

/// What one sync run did; printed by the CLI and stored in `meta.loads.summary`.
public struct SyncReport: Sendable {
    /// `full` (listings) or `incremental` (events feed).
    public var mode = "incremental"
    /// The `since` sent to the events feed, when it was read.
    public var eventsSince: String?
    /// The `meta.loads` row of this run.
    public var loadID: Int64 = 0

    public var workoutsInserted = 0
    public var workoutsUpdated = 0
    /// CSV-loaded workouts the API version took over (same athlete, start minute and title).
    public var workoutsMergedWithCSV = 0
    public var workoutsUnchanged = 0
    /// Older versions of a workout than the stored one (replayed or out-of-order events).
    public var workoutsStale = 0
    public var workoutsDeleted = 0
    /// Live workouts here that a full listing lacked and the API answered 404 for: marked deleted.
    public var workoutsNoLongerListed = 0
    /// Workouts marked deleted here that the full listing still has: live again.
    public var workoutsUndeleted = 0
    /// Deleted events for workouts never seen here.
    public var deletesUnknown = 0
    public var templatesWritten = 0
    public var bodyMeasurementsWritten = 0
    /// Elements and responses put into `raw.rejects`.
    public var rejected = 0
    /// Payloads stored in `raw.hevy_api_payloads` for the first time.
    public var newRawPayloads = 0
    public var pagesCommitted = 0
    public var requests = 0
    public var retries = 0
    /// `GET /v1/workouts/count` after the run, when it answered.
    public var apiWorkoutCount: Int?
    /// Non-deleted API workouts of the athlete in `core` after the run.
    public var coreWorkoutCount: Int?
    /// The watermark stored at the end (API `since` format).
    public var newWatermark: String?
    /// Problems that did not fail the run (count mismatch, unknown event types, missing templates).
    public var warnings: [String] = []

    public init() {}

    /// Elements read from the API.
    public var objectsRead: Int {
        workoutsInserted + workoutsUpdated + workoutsMergedWithCSV + workoutsUnchanged + workoutsStale
            + workoutsDeleted + workoutsUndeleted + deletesUnknown + templatesWritten + bodyMeasurementsWritten + rejected
    }

    /// Elements that changed `core`.
    public var objectsWritten: Int {
        workoutsInserted + workoutsUpdated + workoutsMergedWithCSV + workoutsDeleted + workoutsNoLongerListed
            + workoutsUndeleted + templatesWritten + bodyMeasurementsWritten
    }

    /// One line for people.
    public var summaryLine: String {
        var s = "\(mode) sync: workouts \(workoutsInserted) new, \(workoutsUpdated) updated, "
            + "\(workoutsMergedWithCSV) merged with CSV history, \(workoutsDeleted) deleted, \(workoutsUnchanged) unchanged"
        if workoutsStale > 0 { s += ", \(workoutsStale) older versions skipped" }
        if workoutsNoLongerListed > 0 { s += ", \(workoutsNoLongerListed) no longer in Hevy (marked deleted)" }
        if workoutsUndeleted > 0 { s += ", \(workoutsUndeleted) listed again (deletion undone)" }
        s += "; \(templatesWritten) exercise templates; \(bodyMeasurementsWritten) body measurements"
        s += "; \(rejected) rejected; \(requests) requests (\(retries) retries)"
        if let w = newWatermark { s += "; watermark \(w)" }
        return s
    }

    /// The counts as a JSON object for `meta.loads.summary`.
    func summaryJSON(error: String?) -> String {
        var d: [String: Any] = [
            "mode": mode, "workouts_inserted": workoutsInserted, "workouts_updated": workoutsUpdated,
            "workouts_merged_with_csv": workoutsMergedWithCSV, "workouts_unchanged": workoutsUnchanged,
            "workouts_stale": workoutsStale, "workouts_deleted": workoutsDeleted, "deletes_unknown": deletesUnknown,
            "workouts_no_longer_listed": workoutsNoLongerListed, "workouts_undeleted": workoutsUndeleted,
            "templates": templatesWritten, "body_measurements": bodyMeasurementsWritten,
            "new_raw_payloads": newRawPayloads, "pages": pagesCommitted, "requests": requests,
            "retries": retries, "warnings": warnings,
        ]
        if let eventsSince { d["events_since"] = eventsSince }
        if let apiWorkoutCount { d["api_workout_count"] = apiWorkoutCount }
        if let coreWorkoutCount { d["core_workout_count"] = coreWorkoutCount }
        if let newWatermark { d["watermark"] = newWatermark }
        if let error { d["error"] = error }
        let data = (try? JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
