import Foundation
import PostgresClient

/// Upserts a day's body measurements into `core.body_measurements` (source `hevy_api`).
///
/// `weight_kg` and `fat_percent` get columns; every other non-null field goes to `extra` by its
/// API name. Entries are never deleted because the API has no deletion feed for them.
struct BodyMeasurementWriter {
    let connection: Connection
    let athlete: Athlete

    /// Writes one entry; `json` is its canonical payload. Returns false when nothing changed.
    @discardableResult
    func write(_ entry: HevyBodyMeasurement, json: String) throws -> Bool {
        try connection.query("""
            INSERT INTO core.body_measurements (athlete_sk, date, source, weight_kg, fat_percent, extra)
            VALUES ($1, $2::date, 'hevy_api', $3::numeric, $4::numeric,
                    jsonb_strip_nulls($5::jsonb - 'date' - 'weight_kg' - 'fat_percent'))
            ON CONFLICT (athlete_sk, date, source) DO UPDATE
            SET weight_kg = EXCLUDED.weight_kg, fat_percent = EXCLUDED.fat_percent, extra = EXCLUDED.extra,
                updated_at = EXCLUDED.updated_at
            WHERE (core.body_measurements.weight_kg, core.body_measurements.fat_percent, core.body_measurements.extra)
                  IS DISTINCT FROM (EXCLUDED.weight_kg, EXCLUDED.fat_percent, EXCLUDED.extra)
            """, [athlete.sk, entry.date, SQLNumber(entry.weightKg), SQLNumber(entry.fatPercent), json]).affectedRows > 0
    }
}
