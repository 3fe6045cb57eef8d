import CLibPQ

/// A server-side error, with the fields libpq exposes for it.
public struct PostgresServerError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE code, e.g. `23505`.
    public let sqlstate: String
    /// The primary, human-readable message.
    public let message: String
    /// An optional secondary message with more detail.
    public let detail: String?
    /// An optional suggestion of what to do about it.
    public let hint: String?
    /// `ERROR`, `FATAL`, …
    public let severity: String
    /// The statement's context line (e.g. `COPY x, line 3, column id`).
    public let context: String?

    init(result: OpaquePointer) {
        func field(_ code: Int32) -> String? {
            guard let p = PQresultErrorField(result, code) else { return nil }
            return String(cString: p)
        }
        // PG_DIAG_* codes, spelled out because the C macros are character constants.
        sqlstate = field(Int32(UInt8(ascii: "C"))) ?? "XX000"
        message = field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result))
        detail = field(Int32(UInt8(ascii: "D")))
        hint = field(Int32(UInt8(ascii: "H")))
        severity = field(Int32(UInt8(ascii: "S"))) ?? "ERROR"
        context = field(Int32(UInt8(ascii: "W")))
    }

    public init(sqlstate: String, message: String, detail: String? = nil, hint: String? = nil) {
        self.sqlstate = sqlstate
        self.message = message
        self.detail = detail
        self.hint = hint
        self.severity = "ERROR"
        self.context = nil
    }

    public var description: String {
        var s = "\(severity) \(sqlstate): \(message)"
        if let detail { s += "\nDETAIL: \(detail)" }
        if let hint { s += "\nHINT: \(hint)" }
        if let context { s += "\nCONTEXT: \(context)" }
        return s
    }
}

/// Errors raised by the PostgreSQL client.
public enum PostgresClientError: Error, Sendable, CustomStringConvertible {
    /// The connection could not be established (message from libpq, never the password).
    case connectionFailed(String)
    /// The server rejected a statement.
    case server(PostgresServerError)
    /// The connection broke or libpq reported a client-side failure.
    case protocolError(String)
    /// An advisory lock could not be taken within the allowed time.
    case lockTimeout(key: Int64, seconds: Double)

    public var description: String {
        switch self {
        case .connectionFailed(let m): return "could not connect to PostgreSQL: \(m)"
        case .server(let e): return e.description
        case .protocolError(let m): return "PostgreSQL client error: \(m)"
        case .lockTimeout(let key, let s): return "could not take advisory lock \(key) within \(s) s"
        }
    }

    /// The SQLSTATE when the server raised the error.
    public var sqlstate: String? {
        if case .server(let e) = self { return e.sqlstate }
        return nil
    }
}
