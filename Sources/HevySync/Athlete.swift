import FitDomain
import Foundation
import PostgresClient

/// The athlete row the sync writes for (see ``Athletes`` for the time-zone rule it shares with the CSV loader).
struct Athlete {
    let sk: Int64
    let id: String
    let timezone: String

    /// Finds `athleteID`, creating it with `timezone` (default UTC) when missing; validates the zone.
    static func ensure(_ connection: Connection, athleteID: String, timezone: String?) throws -> Athlete {
        do {
            let a = try Athletes.ensure(connection, athleteID: athleteID, timezone: timezone)
            return Athlete(sk: a.sk, id: a.id, timezone: a.timezone)
        } catch let DomainError.configuration(message) {
            throw HevySyncError.configuration(message)
        }
    }
}
