import Foundation
import HevySync
import PostgresClient

/// The sync step: one Hevy sync of the athlete (``SyncEngine``), with its own locks and watermark rules.
struct SyncStep {
    let configuration: SyncConfiguration
    let connection: Connection
    let log: @Sendable (String) -> Void

    func run(_ record: inout StepRecord) {
        do {
            let r = try SyncEngine(connection: connection, configuration: configuration, log: log).run()
            record.counts = ["workouts_new": r.workoutsInserted, "workouts_updated": r.workoutsUpdated + r.workoutsMergedWithCSV,
                             "workouts_deleted": r.workoutsDeleted + r.workoutsNoLongerListed, "templates": r.templatesWritten,
                             "body_measurements": r.bodyMeasurementsWritten, "rejected": r.rejected, "requests": r.requests]
            record.note = r.summaryLine
            record.finish(.ok)
        } catch let e as HevySyncError {
            record.isConfiguration = e.exitCode == 2
            record.finish(.failed, error: e.description)
        } catch {
            record.finish(.failed, error: "\(error)")
        }
    }
}
