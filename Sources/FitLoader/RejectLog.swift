import Foundation
import PostgresClient

/// Writes a load's rejected records to `raw.rejects`, and a rolled-back load's `meta.loads` row.
///
/// Shared by the file loaders (Hevy CSV, nutrition, body weight): the one place rejects are written.
enum RejectLog {
    /// Copies `rejects` into `raw.rejects` under `loadId` / `fileId`.
    static func write(_ rejects: [RejectedRecord], loadId: String, fileId: String, sourceName: String, on connection: Connection) throws {
        guard !rejects.isEmpty else { return }
        try connection.copyIn("COPY raw.rejects (load_id, file_id, source_name, line_number, field, reason, raw_record, raw_bytes) FROM STDIN") { w in
            var row = CopyTextRow()
            for r in rejects {
                row.reset()
                row.add(loadId); row.add(fileId); row.add(sourceName); row.add(r.line)
                row.add(r.field); row.add(r.reason); row.add(r.raw); row.add(bytea: r.bytes)
                row.endRow()
                try w.write(bytes: row.bytes)
            }
        }
    }

    /// Records a rolled-back load in its own transaction, so the attempt stays visible.
    static func recordFailure(kind: String, athleteId: String, rowsRead: Int, rowsRejected: Int, summaryJSON: Data?,
                              reason: String, on connection: Connection) {
        let json = summaryJSON.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        _ = try? connection.query("""
            INSERT INTO meta.loads (kind, athlete_id, finished_at, status, rows_read, rows_rejected, summary)
            VALUES ($1, $2, now(), 'failed', $3, $4, jsonb_set($5::jsonb, '{error}', to_jsonb($6::text)))
            """, [kind, athleteId, rowsRead, rowsRejected, json, reason])
    }
}
