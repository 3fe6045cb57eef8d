import Foundation
import PostgresClient

/// The session advisory lock that lets one pipeline run at a time on a database.
///
/// It is a key of its own (``key``), held by the run's control connection, which never holds the data lock
/// (``DataLock``): the steps take the data lock on their own connections as `load`, `sync` and `build` always do,
/// so a pipeline waits for a build like any load does and no step waits for its own pipeline. Only pipelines take
/// this key; the server releases it when the holder's connection ends (a killed run frees it).
public enum PipelineLock {
    /// FNV-1a 64 of `fitdata:pipeline`, as a signed bigint.
    public static let key: Int64 = {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in "fitdata:pipeline".utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: h)
    }()

    /// Takes the lock on `connection`, waiting up to `timeout` seconds; `onWait` gets the holder once, before waiting.
    /// Throws ``PipelineError/lockTimeout(holder:seconds:)`` naming the holder.
    public static func acquire(_ connection: Connection, timeout: Double, onWait: @escaping (String) -> Void) throws {
        var holder = ""
        do {
            try connection.advisoryLock(key, timeout: timeout) { _ in
                holder = (try? describeHolder(connection)) ?? "unknown holder"
                onWait(holder)
            }
        } catch PostgresClientError.lockTimeout {
            if holder.isEmpty { holder = (try? describeHolder(connection)) ?? "unknown holder" }
            throw PipelineError.lockTimeout(holder: holder, seconds: timeout)
        }
    }

    /// Releases the lock.
    public static func release(_ connection: Connection) {
        _ = try? connection.advisoryUnlock(key)
    }

    /// The run holding the lock, e.g. `run 12 (daily, athlete 'me', started 2026-12-01 05:00:02+00, pid 4242)`.
    static func describeHolder(_ connection: Connection) throws -> String {
        let row = try connection.query("""
            SELECT l.pid::text, r.run_id::text, r.kind, r.athlete_id, to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC'
              FROM pg_locks l
              LEFT JOIN LATERAL (SELECT * FROM meta.pipeline_runs p WHERE p.backend_pid = l.pid AND p.outcome = 'running'
                                 ORDER BY p.run_id DESC LIMIT 1) r ON true
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid = (($1::bigint >> 32) & 4294967295)::oid AND l.objid = ($1::bigint & 4294967295)::oid
             LIMIT 1
            """, [key]).rows.first
        guard let row, let pid = row[0] else { return "a session that just released it" }
        guard let run = row[1] else { return "a pipeline in backend pid \(pid) that has not recorded its run yet" }
        return "run \(run) (\(row[2] ?? "?"), athlete '\(row[3] ?? "?")', started \(row[4] ?? "?"), backend pid \(pid))"
    }
}
