import Foundation
import PostgresClient

/// The per-athlete position of the events feed in `meta.sync_watermarks` (source `hevy_api`).
enum Watermark {
    static let source = "hevy_api"

    /// The stored watermark as an API `since` value (`YYYY-MM-DDTHH:MM:SSZ`), or nil before the first run.
    static func read(_ connection: Connection, athleteID: String) throws -> String? {
        try connection.query("""
            SELECT to_char(watermark AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM meta.sync_watermarks WHERE athlete_id = $1 AND source = $2
            """, [athleteID, source]).scalar
    }

    /// Moves the watermark to `date` (never backwards); call inside the run's final transaction.
    static func advance(_ connection: Connection, athleteID: String, to date: Date) throws {
        try connection.query("""
            INSERT INTO meta.sync_watermarks (athlete_id, source, watermark) VALUES ($1, $2, date_trunc('second', $3::timestamptz))
            ON CONFLICT (athlete_id, source) DO UPDATE
            SET watermark = GREATEST(meta.sync_watermarks.watermark, EXCLUDED.watermark), updated_at = now()
            """, [athleteID, source, date])
    }

    /// `date` as an API `since` value.
    static func apiString(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
