import Foundation
import PostgresClient

/// Writes a load's rejected records to `raw.rejects`, and a rolled-back load's `meta.loads` row.
///
/// Shared by the file loaders (the Hevy CSV loader keeps its own copy for now: another change is
/// editing it; it can call these).
enum RejectLog {
    /// Copies `rejects` into `raw.rejects` under `loadId` / `fileId`.
    static func write(_ rejects: [RejectedRecord], loadId: String, fileId: String, sourceName: String, on connection: Connection) throws {
        guard !rejects.isEmpty else { return }
        try connection.copyIn("COPY raw.rejects (load_id, file_id, source_name, line_number, field, reason, raw_record) FROM STDIN") { w in
            for r in rejects {
                var row = CopyTextRow()
                row.add(loadId); row.add(fileId); row.add(sourceName); row.add(r.line)
                row.add(r.field); row.add(r.reason); row.add(r.raw)
                try w.write(row.line)
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
