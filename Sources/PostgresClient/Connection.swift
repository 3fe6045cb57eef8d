import CLibPQ
import Foundation

/// A blocking connection to PostgreSQL over libpq.
///
/// libpq calls block the calling thread, so a `Connection` must not be used from Swift
/// concurrency's cooperative pool; use it from a plain thread, or through ``ConnectionExecutor``.
/// A connection is not safe for concurrent use: one thread at a time.
public final class Connection: @unchecked Sendable {
    private var handle: OpaquePointer?

    /// Opens a connection.
    ///
    /// - Parameter conninfo: a `postgres://` URL, a `key=value` conninfo string, or nil/empty
    ///   to use libpq's own defaults (`PG*` variables, `PGSERVICE`, `~/.pgpass`).
    public init(conninfo: String? = nil, applicationName: String = "fitdata") throws {
        var info = conninfo ?? ""
        if info.isEmpty, ProcessInfo.processInfo.environment["PGAPPNAME"] == nil {
            info = "application_name=\(applicationName)"
        }
        let conn = PQconnectdb(info)
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let message = conn.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            if let conn { PQfinish(conn) }
            // libpq echoes parts of a malformed conninfo (a whole URL, a bad %-escape): never its password.
            var safe = ConninfoRedaction.redact(message, conninfo: info).trimmingCharacters(in: .whitespacesAndNewlines)
            if let hint = TLSFailureHint.hint(for: safe) { safe += "\nHINT: \(hint)" }
            throw PostgresClientError.connectionFailed(safe)
        }
        // Silence NOTICE messages ("schema already exists, skipping") instead of libpq's stderr default.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        handle = conn
    }

    deinit { close() }

    /// Closes the connection; further use throws.
    public func close() {
        if let h = handle { PQfinish(h) }
        handle = nil
    }

    /// Whether the connection is still up (false after the server closed it or ``close()``).
    ///
    /// libpq notices a lost server only when it next talks to it: this is reliable after a failed statement.
    public var isConnected: Bool {
        guard let h = handle else { return false }
        return PQstatus(h) == CONNECTION_OK
    }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int {
        guard let h = handle else { return 0 }
        return Int(PQserverVersion(h))
    }

    private func conn() throws -> OpaquePointer {
        guard let h = handle else { throw PostgresClientError.protocolError("connection is closed") }
        return h
    }

    /// Runs one statement with bound text parameters ($1, $2, …) and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any SQLParameter] = []) throws -> QueryResult {
        let c = try conn()
        let texts: [String?] = parameters.map { $0.sqlText }
        var cStrings: [UnsafeMutablePointer<CChar>?] = texts.map { $0.map { strdup($0) } ?? nil }
        defer { cStrings.forEach { free($0) } }
        let result: OpaquePointer? = cStrings.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(buf.count, 1)) { ptr in
                PQexecParams(c, sql, Int32(texts.count), nil, texts.isEmpty ? nil : ptr, nil, nil, 0)
            }
        }
        return try consume(result)
    }

    /// Runs one or more statements without parameters (the simple query protocol).
    /// Returns the last statement's result.
    @discardableResult
    public func execute(_ sql: String) throws -> QueryResult {
        let c = try conn()
        return try consume(PQexec(c, sql))
    }

    private func consume(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else {
            throw PostgresClientError.protocolError(String(cString: PQerrorMessage(try conn())))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return Self.decode(result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            throw PostgresClientError.server(PostgresServerError(result: result))
        default:
            throw PostgresClientError.protocolError("unexpected result status \(PQresultStatus(result).rawValue)")
        }
    }

    static func decode(_ result: OpaquePointer) -> QueryResult {
        let nFields = Int(PQnfields(result))
        let nRows = Int(PQntuples(result))
        var columns: [String] = []
        columns.reserveCapacity(nFields)
        for f in 0..<nFields { columns.append(String(cString: PQfname(result, Int32(f)))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(nRows)
        for r in 0..<nRows {
            var row: [String?] = []
            row.reserveCapacity(nFields)
            for f in 0..<nFields {
                if PQgetisnull(result, Int32(r), Int32(f)) == 1 {
                    row.append(nil)
                } else {
                    row.append(String(cString: PQgetvalue(result, Int32(r), Int32(f))))
                }
            }
            rows.append(row)
        }
        let tag = String(cString: PQcmdStatus(result))
        let affected = Int(String(cString: PQcmdTuples(result))) ?? nRows
        return QueryResult(columns: columns, rows: rows, affectedRows: affected, commandTag: tag)
    }

    /// Streams data into a `COPY … FROM STDIN` statement.
    ///
    /// `body` receives a writer; every chunk handed to it goes to the server as it is produced.
    /// If `body` throws, the COPY is aborted and the error rethrown.
    /// - Returns: the number of rows copied.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (CopyWriter) throws -> Void) throws -> Int {
        let c = try conn()
        let start = PQexec(c, sql)
        guard let start else { throw PostgresClientError.protocolError(String(cString: PQerrorMessage(c))) }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            if status == PGRES_FATAL_ERROR { throw PostgresClientError.server(PostgresServerError(result: start)) }
            throw PostgresClientError.protocolError("statement did not start COPY FROM STDIN")
        }
        PQclear(start)
        let writer = CopyWriter(conn: c)
        var bodyError: Error?
        do {
            try body(writer)
            try writer.flush()
        } catch {
            bodyError = error
        }
        let endResult: Int32 = bodyError == nil ? PQputCopyEnd(c, nil) : PQputCopyEnd(c, "aborted by client")
        if endResult != 1 { throw PostgresClientError.protocolError(String(cString: PQerrorMessage(c))) }
        var rows = 0
        var serverError: Error?
        while let r = PQgetResult(c) {
            if PQresultStatus(r) == PGRES_FATAL_ERROR, serverError == nil {
                serverError = PostgresClientError.server(PostgresServerError(result: r))
            } else if PQresultStatus(r) == PGRES_COMMAND_OK {
                rows = Int(String(cString: PQcmdTuples(r))) ?? 0
            }
            PQclear(r)
        }
        if let bodyError { throw bodyError }
        if let serverError { throw serverError }
        return rows
    }

    /// Runs `body` inside BEGIN … COMMIT; rolls back and rethrows when it throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Tries to take a session-level advisory lock, waiting up to `timeout` seconds.
    /// - Returns: true when taken.
    public func tryAdvisoryLock(_ key: Int64, timeout: Double = 0, pollInterval: Double = 0.1) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let got = try query("SELECT pg_try_advisory_lock($1::bigint)", [key]).scalar == "t"
            if got { return true }
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: pollInterval)
        }
    }

    /// Takes a session-level advisory lock (shared or exclusive), queueing in the server's lock manager.
    ///
    /// Unlike ``tryAdvisoryLock(_:timeout:pollInterval:)``, a waiting request holds its place in the queue: a waiting
    /// exclusive request holds off shared requests made after it. `onWait` is called once, before waiting, with who
    /// holds the lock. `timeout` nil waits without limit; otherwise throws ``PostgresClientError/lockTimeout(key:seconds:)``.
    public func advisoryLock(_ key: Int64, shared: Bool = false, timeout: Double? = nil,
                             onWait: ((String) -> Void)? = nil) throws {
        let suffix = shared ? "_shared" : ""
        if try query("SELECT pg_try_advisory_lock\(suffix)($1::bigint)", [key]).scalar == "t" { return }
        onWait?(try advisoryLockHolders(key))
        guard let timeout else {
            try query("SELECT pg_advisory_lock\(suffix)($1::bigint)", [key])
            return
        }
        let milliseconds = Int((timeout * 1000).rounded(.up))
        guard milliseconds > 0 else { throw PostgresClientError.lockTimeout(key: key, seconds: timeout) }
        let previous = try query("SELECT current_setting('lock_timeout')").scalar ?? "0"
        try query("SELECT set_config('lock_timeout', $1, false)", ["\(milliseconds)ms"])
        defer { _ = try? query("SELECT set_config('lock_timeout', $1, false)", [previous]) }
        do {
            try query("SELECT pg_advisory_lock\(suffix)($1::bigint)", [key])
        } catch let e as PostgresClientError where e.sqlstate == "55P03" {
            throw PostgresClientError.lockTimeout(key: key, seconds: timeout)
        }
    }

    /// Who holds advisory lock `key`, e.g. `pid 4242 (fitdata, ShareLock)`, for wait messages.
    public func advisoryLockHolders(_ key: Int64) throws -> String {
        let rows = try query("""
            SELECT l.pid::text, coalesce(nullif(a.application_name, ''), '?'), l.mode
              FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid = (($1::bigint >> 32) & 4294967295)::oid AND l.objid = ($1::bigint & 4294967295)::oid
             ORDER BY l.pid
            """, [key]).rows
        if rows.isEmpty { return "no session (it was just released)" }
        return rows.map { "pid \($0[0] ?? "?") (\($0[1] ?? "?"), \($0[2] ?? "?"))" }.joined(separator: ", ")
    }

    /// Releases a session-level advisory lock taken with ``tryAdvisoryLock(_:timeout:pollInterval:)``.
    /// With `shared`, releases one taken with ``advisoryLock(_:shared:timeout:onWait:)`` in shared mode.
    public func advisoryUnlock(_ key: Int64, shared: Bool = false) throws {
        try query(shared ? "SELECT pg_advisory_unlock_shared($1::bigint)" : "SELECT pg_advisory_unlock($1::bigint)", [key])
    }

    /// Runs `body` holding the advisory lock `key`; throws ``PostgresClientError/lockTimeout(key:seconds:)``
    /// when it cannot be taken within `timeout` seconds.
    public func withAdvisoryLock<T>(_ key: Int64, timeout: Double, _ body: () throws -> T) throws -> T {
        guard try tryAdvisoryLock(key, timeout: timeout) else {
            throw PostgresClientError.lockTimeout(key: key, seconds: timeout)
        }
        defer { try? advisoryUnlock(key) }
        return try body()
    }

    /// The password verifier the server would store for `password` of `role` (SCRAM-SHA-256 unless the server's
    /// `password_encryption` says otherwise), computed here with libpq, as psql's `\password` does: a statement
    /// setting it carries the verifier, never the password, so no server log can show the password.
    public func encryptPassword(_ password: String, role: String) throws -> String {
        let c = try conn()
        guard let out = PQencryptPasswordConn(c, password, role, nil) else {
            throw PostgresClientError.protocolError(String(cString: PQerrorMessage(c)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { PQfreemem(out) }
        return String(cString: out)
    }

    /// Quotes an SQL identifier (for names that cannot be bound as parameters).
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Quotes an SQL string literal (only for DDL such as COMMENT ON, which takes no parameters).
    public static func quoteLiteral(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// Buffers and sends COPY data to the server.
public final class CopyWriter {
    private let conn: OpaquePointer
    private var buffer: [UInt8] = []
    private let chunk = 1 << 16

    init(conn: OpaquePointer) {
        self.conn = conn
        buffer.reserveCapacity(chunk * 2)
    }

    /// Appends text to the COPY stream.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= chunk { try flush() }
    }

    /// Appends raw bytes to the COPY stream.
    public func write<B: Collection>(bytes: B) throws where B.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunk { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let ok = buffer.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) {
                PQputCopyData(conn, $0, Int32(p.count))
            }
        }
        buffer.removeAll(keepingCapacity: true)
        if ok != 1 { throw PostgresClientError.protocolError(String(cString: PQerrorMessage(conn))) }
    }
}
