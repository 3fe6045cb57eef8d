import Foundation
import PostgresClient

/// The report step of `fitdata pipeline weekly`, supplied by the caller: the CLI connects it to the entry point
/// of `fitdata report weekly`, so the pipeline writes exactly what that command writes.
public protocol WeeklyReportStep: Sendable {
    /// Writes the weekly report (and the dashboard) of `athleteID` for the last complete ISO week in the athlete's
    /// time zone (the report's `--week latest`), reading the marts on `connection`. Rerunning replaces that week's
    /// report. Throws when nothing was written.
    func run(athleteID: String, connection: Connection) throws -> WeeklyReportOutput
}

/// What the report step wrote, for the step's log line.
public struct WeeklyReportOutput: Sendable, Equatable {
    /// `YYYY-Www`.
    public var week: String
    /// Files or `s3://` objects written.
    public var locations: [String]

    public init(week: String, locations: [String]) {
        self.week = week
        self.locations = locations
    }
}
