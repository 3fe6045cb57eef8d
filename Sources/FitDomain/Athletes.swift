import PostgresClient
import Synchronization

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
    /// Zones already accepted in this process (`pg_timezone_names` reads every zone file: about 60 ms a call).
    private static let accepted = Mutex<Set<String>>([])

    /// Throws ``DomainError/configuration(_:)`` when `zone` is not an IANA zone PostgreSQL knows, or when it is
    /// also a time-zone abbreviation other than UTC (`CET`, `EST`, …): `AT TIME ZONE` reads those as a fixed
    /// offset while the zone setting reads the zone's rules, and the loaders rely on the two agreeing.
    public static func validateTimezone(_ zone: String, on connection: Connection) throws {
        if accepted.withLock({ $0.contains(zone) }) { return }
        let row = try connection.query("""
            SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1),
                   EXISTS (SELECT 1 FROM pg_timezone_abbrevs WHERE abbrev = upper($1) AND utc_offset <> interval '0')
            """, [zone]).rows[0]
        if row[0] != "t" { throw DomainError.configuration("unknown time zone \"\(zone)\" (use an IANA name such as Europe/Lisbon)") }
        if row[1] == "t" {
            throw DomainError.configuration("""
                time zone "\(zone)" is also an abbreviation that PostgreSQL reads as a fixed UTC offset in places; \
                use an Area/City name such as Europe/Paris or America/New_York
                """)
        }
        _ = accepted.withLock { $0.insert(zone) }
    }

    /// The athlete `athleteID`, created with `timezone` (default UTC) when missing.
    public static func ensure(_ connection: Connection, athleteID: String, timezone: String?) throws -> AthleteRecord {
        if let timezone { try validateTimezone(timezone, on: connection) }
        try connection.query("""
            INSERT INTO core.athletes (athlete_id, timezone) VALUES ($1, coalesce($2, 'UTC'))
            ON CONFLICT (athlete_id) DO NOTHING
            """, [athleteID, timezone])
        var row = try connection.query("SELECT athlete_sk, timezone FROM core.athletes WHERE athlete_id = $1", [athleteID]).rows[0]
        let sk = Int64(row[0] ?? "0") ?? 0
        // The zone changes only while the athlete has no workouts. Two statements rather than one UPDATE reading
        // workouts: on Citus, athletes is a reference table and workouts a distributed one, and Citus refuses an
        // UPDATE of a reference table that reads a distributed table.
        if let timezone, row[1] != timezone,
           try connection.query("SELECT EXISTS (SELECT 1 FROM core.workouts WHERE athlete_sk = $1)", [sk]).scalar == "f" {
            row = try connection.query("""
                UPDATE core.athletes SET timezone = $2, updated_at = now() WHERE athlete_sk = $1 RETURNING athlete_sk, timezone
                """, [sk, timezone]).rows[0]
        }
        return AthleteRecord(sk: sk, id: athleteID, timezone: row[1] ?? "UTC")
    }
}
