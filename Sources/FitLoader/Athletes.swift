import PostgresClient

/// The athlete a load or sync writes for, with the time zone its local times are read in.
public struct AthleteRecord: Sendable {
    public let sk: Int64
    public let id: String
    public let timezone: String
}

/// Finds or creates athletes; the one place that decides an athlete's time zone.
///
/// A zone given for a new athlete, or for one with no workouts yet, is stored. An athlete with
/// workouts keeps its zone: their local dates and natural keys were computed in it, whichever
/// source (CSV or API) wrote them. Callers warn when a different zone was asked for.
public enum Athletes {
    /// Throws ``LoadError/configuration(_:)`` when `zone` is not an IANA zone PostgreSQL knows.
    public static func validateTimezone(_ zone: String, on connection: Connection) throws {
        let known = try connection.query("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)", [zone]).scalar == "t"
        if !known { throw LoadError.configuration("unknown time zone \"\(zone)\" (use an IANA name such as Europe/Lisbon)") }
    }

    /// The athlete `athleteID`, created with `timezone` (default UTC) when missing.
    public static func ensure(_ connection: Connection, athleteID: String, timezone: String?) throws -> AthleteRecord {
        if let timezone { try validateTimezone(timezone, on: connection) }
        try connection.query("""
            INSERT INTO core.athletes (athlete_id, timezone) VALUES ($1, coalesce($2, 'UTC'))
            ON CONFLICT (athlete_id) DO NOTHING
            """, [athleteID, timezone])
        if let timezone {
            try connection.query("""
                UPDATE core.athletes a SET timezone = $2, updated_at = now()
                WHERE a.athlete_id = $1 AND a.timezone <> $2
                  AND NOT EXISTS (SELECT 1 FROM core.workouts w WHERE w.athlete_sk = a.athlete_sk)
                """, [athleteID, timezone])
        }
        let row = try connection.query("SELECT athlete_sk, timezone FROM core.athletes WHERE athlete_id = $1", [athleteID]).rows[0]
        return AthleteRecord(sk: Int64(row[0] ?? "0") ?? 0, id: athleteID, timezone: row[1] ?? "UTC")
    }
}
