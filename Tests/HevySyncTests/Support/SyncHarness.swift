import FitSchema
import Foundation
import HevySync
import PostgresClient
import TestSupport
import HTTPKit

/// Collects log lines from concurrent writers.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    func append(_ line: String) { lock.lock(); storage.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return storage }
    var text: String { lines.joined(separator: "\n") }
}

/// A fresh database (`db init` applied) plus a fake Hevy server; one per test.
final class SyncHarness: @unchecked Sendable {
    let database: TestDatabase
    let server: FakeHevyServer
    let apiKey: String
    let logs = LogCapture()
    private let connection: Connection

    private init(database: TestDatabase, server: FakeHevyServer, apiKey: String, connection: Connection) {
        self.database = database
        self.server = server
        self.apiKey = apiKey
        self.connection = connection
    }

    /// Creates the database and starts the server (off the cooperative pool).
    static func make(workouts: Int = 23, templates: Int = 120, bodyMeasurements: Int = 15) async throws -> SyncHarness {
        try await onThread {
            let key = "hevy-test-key-\(UUID().uuidString.lowercased())"
            let db = try TestDatabase(prefix: "hevysync")
            do {
                let conn = try db.connect()
                _ = try SchemaManager(connection: conn, sqlDirectory: TestPaths.repoRoot.appendingPathComponent("sql")).initialize()
                let server = try FakeHevyServer(apiKey: key, workouts: workouts, templates: templates, bodyMeasurements: bodyMeasurements)
                return SyncHarness(database: db, server: server, apiKey: key, connection: conn)
            } catch {
                db.drop()
                throw error
            }
        }
    }

    /// Stops the server and drops the database.
    func close() {
        server.stop()
        connection.close()
        database.drop()
    }

    /// A configuration for this server with fast retries and no politeness delay.
    func configuration(_ adjust: (inout SyncConfiguration) -> Void = { _ in }) -> SyncConfiguration {
        var c = SyncConfiguration(baseURL: server.baseURL, apiKey: apiKey)
        c.requestDelay = 0
        c.requestTimeout = 5
        c.lockTimeout = 5
        c.retry = RetryPolicy(maxAttempts: 4, baseDelay: 0.02, maxDelay: 0.1, maxRetryAfter: 5)
        adjust(&c)
        return c
    }

    /// Runs one sync on its own connection, as a separate `fitdata` process would.
    func sync(_ adjust: @escaping @Sendable (inout SyncConfiguration) -> Void = { _ in }) async throws -> SyncReport {
        let config = configuration(adjust)
        let logs = self.logs
        let info = database.conninfo
        return try await onThread {
            let conn = try Connection(conninfo: info)
            defer { conn.close() }
            return try SyncEngine(connection: conn, configuration: config, log: { logs.append($0) }).run()
        }
    }

    /// Runs a sync expected to fail and returns its error.
    func syncFailure(_ adjust: @escaping @Sendable (inout SyncConfiguration) -> Void = { _ in }) async throws -> HevySyncError {
        do {
            let report = try await sync(adjust)
            throw UnexpectedSuccess(report: report)
        } catch let e as HevySyncError {
            logs.append("error: \(e)")
            return e
        }
    }

    /// Runs SQL on the harness connection and returns the rows.
    func rows(_ sql: String, _ params: [any SQLParameter] = []) async throws -> [[String?]] {
        let conn = connection
        let p = Unchecked(value: params)
        return try await onThread { try conn.query(sql, p.value).rows }
    }

    /// The first column of the first row.
    func scalar(_ sql: String, _ params: [any SQLParameter] = []) async throws -> String? {
        try await rows(sql, params).first?.first ?? nil
    }

    /// The first column of the first row as an integer (0 when NULL).
    func int(_ sql: String, _ params: [any SQLParameter] = []) async throws -> Int {
        Int(try await scalar(sql, params) ?? "0") ?? 0
    }

    /// Executes statements without results.
    func execute(_ sql: String, _ params: [any SQLParameter] = []) async throws {
        _ = try await rows(sql, params)
    }

    /// A digest of everything the sync writes to `core`, to show that a run changed nothing.
    func coreDigest() async throws -> String {
        try await scalar("""
            SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
                SELECT concat_ws(',', workout_sk, source, hevy_workout_id, title, start_local, started_at, ended_at,
                       local_date, content_sha256, csv_file_id, api_updated_at, updated_at, deleted_at) AS x FROM core.workouts
                UNION ALL SELECT concat_ws(',', 'we', workout_exercise_sk, workout_sk, position, exercise_sk, superset_id, notes)
                FROM core.workout_exercises
                UNION ALL SELECT concat_ws(',', 's', set_sk, workout_exercise_sk, position, set_index, set_type, weight_kg, reps, rpe)
                FROM core.sets
                UNION ALL SELECT concat_ws(',', 'e', exercise_sk, title, hevy_template_id, exercise_type, updated_at) FROM core.exercises
                UNION ALL SELECT concat_ws(',', 'b', date, weight_kg, fat_percent, extra::text, updated_at) FROM core.body_measurements
            ) t
            """) ?? ""
    }

    /// Runs server control calls off the cooperative pool.
    func onServer(_ body: @escaping @Sendable (FakeHevyServer) throws -> Void) async throws {
        let server = self.server
        try await onThread { try body(server) }
    }

    /// The API requests the server saw.
    func requestLog() async throws -> [[String: Any]] {
        let server = self.server
        return try await onThread { Unchecked(value: try server.requestLog()) }.value
    }
}

struct UnexpectedSuccess: Error, CustomStringConvertible {
    let report: SyncReport
    var description: String { "the sync succeeded but a failure was expected: \(report.summaryLine)" }
}

/// Carries a non-Sendable value across the thread hop (used only where one side waits for the other).
struct Unchecked<T>: @unchecked Sendable { let value: T }
