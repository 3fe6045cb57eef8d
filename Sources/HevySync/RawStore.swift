import Foundation
import PostgresClient

/// Writes what arrived, as it arrived: `raw.hevy_api_payloads` and `raw.rejects`.
struct RawStore {
    /// One array element of a page as stored: its position, canonical text and content hash.
    struct Element {
        /// 1-based position in the page's array.
        let ordinal: Int
        /// The element as PostgreSQL's canonical jsonb text (numbers kept exactly).
        let json: String
        /// sha256 of `json`, hex.
        let sha256: String
        /// False when an identical payload was already stored for this athlete and type.
        let isNew: Bool
    }

    let connection: Connection
    let athleteID: String
    let loadID: Int64

    /// Stores every element of the array `body[itemsKey]`, deduplicated by sha256, and returns them in order.
    ///
    /// `objectIDPaths` are constant jsonb paths (`{id}`, `{workout,id}`, `{date}`) chosen by the caller,
    /// never input; the first one present gives `object_id`.
    func storeElements(body: String, itemsKey: String, endpoint: String, objectType: String,
                       objectIDPaths: [String]) throws -> [Element] {
        let idExpr = objectIDPaths.map { "e.elem #>> '\($0)'" }.joined(separator: ", ")
        let result = try connection.query("""
            WITH e AS (
                SELECT t.elem, t.ord, encode(sha256(convert_to(t.elem::text, 'UTF8')), 'hex') AS sha
                FROM jsonb_array_elements($1::jsonb -> $2) WITH ORDINALITY AS t(elem, ord)
            ), ins AS (
                INSERT INTO raw.hevy_api_payloads (athlete_id, endpoint, object_type, object_id, payload_sha256, payload)
                SELECT DISTINCT ON (e.sha) $3::text, $4::text, $5::text, coalesce(\(idExpr)), e.sha, e.elem FROM e
                ON CONFLICT (athlete_id, object_type, payload_sha256) DO NOTHING
                RETURNING payload_sha256
            )
            SELECT e.ord, e.elem::text, e.sha, e.sha IN (SELECT payload_sha256 FROM ins) FROM e ORDER BY e.ord
            """, [body, itemsKey, athleteID, endpoint, objectType])
        return result.rows.map { row in
            Element(ordinal: Int(row[0] ?? "0") ?? 0, json: row[1] ?? "null", sha256: row[2] ?? "",
                    isNew: row[3] == "t")
        }
    }

    /// Stores one whole response body as a single payload (e.g. a template fetched by id).
    func storeObject(body: String, endpoint: String, objectType: String, objectID: String) throws -> Element {
        let result = try connection.query("""
            WITH e AS (SELECT $1::jsonb AS elem),
            h AS (SELECT elem, encode(sha256(convert_to(elem::text, 'UTF8')), 'hex') AS sha FROM e),
            ins AS (
                INSERT INTO raw.hevy_api_payloads (athlete_id, endpoint, object_type, object_id, payload_sha256, payload)
                SELECT $2::text, $3::text, $4::text, $5::text, sha, elem FROM h
                ON CONFLICT (athlete_id, object_type, payload_sha256) DO NOTHING
                RETURNING payload_sha256
            )
            SELECT elem::text, sha, EXISTS (SELECT 1 FROM ins) FROM h
            """, [body, athleteID, endpoint, objectType, objectID])
        let row = result.rows.first ?? []
        return Element(ordinal: 1, json: row.first.flatMap { $0 } ?? "null",
                       sha256: row.count > 1 ? row[1] ?? "" : "", isNew: row.count > 2 && row[2] == "t")
    }

    /// Records a rejected response or element with the request URL as its source.
    @discardableResult
    func reject(url: String, field: String?, reason: String, record: String) throws -> Int64 {
        let id = try connection.query("""
            INSERT INTO raw.rejects (load_id, source_name, field, reason, raw_record)
            VALUES ($1, $2, $3, $4, $5) RETURNING reject_id
            """, [loadID, url, field, reason, record]).scalar
        return Int64(id ?? "0") ?? 0
    }
}
