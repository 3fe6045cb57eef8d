import Foundation
import PostgresClient

/// The athlete row the sync writes for.
struct Athlete {
    let sk: Int64
    let id: String
    let timezone: String

    /// Finds `athleteID`, creating it with `timezone` (default UTC) when missing; validates the zone.
    /// The zone of an existing athlete changes only while it has no workouts (local dates depend on it).
    static func ensure(_ connection: Connection, athleteID: String, timezone: String?) throws -> Athlete {
        if let timezone {
            do { try connection.query("SELECT now() AT TIME ZONE $1", [timezone]) }
            catch { throw HevySyncError.configuration("unknown time zone \(timezone) (use an IANA name such as Europe/Lisbon)") }
        }
        try connection.query("""
            INSERT INTO core.athletes (athlete_id, timezone) VALUES ($1, coalesce($2, 'UTC'))
            ON CONFLICT (athlete_id) DO NOTHING
            """, [athleteID, timezone])
        if let timezone {
            // an athlete without workouts yet (e.g. created by a failed first run) can still take the zone
            try connection.query("""
                UPDATE core.athletes a SET timezone = $2, updated_at = now()
                WHERE a.athlete_id = $1 AND a.timezone <> $2
                  AND NOT EXISTS (SELECT 1 FROM core.workouts w WHERE w.athlete_sk = a.athlete_sk)
                """, [athleteID, timezone])
        }
        let row = try connection.query("SELECT athlete_sk, timezone FROM core.athletes WHERE athlete_id = $1", [athleteID]).rows[0]
        return Athlete(sk: Int64(row[0] ?? "0") ?? 0, id: athleteID, timezone: row[1] ?? "UTC")
    }
}
