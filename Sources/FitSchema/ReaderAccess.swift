import PostgresClient

/// Read-only access to the marts for SQL clients: `fitdata db grant-reader` and the re-grant after every build.
///
/// A reader is a LOGIN role with USAGE on the `marts` schema and SELECT on every table and view in it, and no
/// privilege in fitdata's other schemas; its sessions start read-only (`default_transaction_read_only`). A build
/// replaces mart tables, and a replaced table loses its grants, so three things keep the access:
/// the role is recorded in `meta.reader_roles`; default privileges grant SELECT on the tables the granting role
/// creates in `marts` later (at creation, inside the build's own transaction); and every build re-grants
/// (``reapply(on:)``), which covers tables created by any other role.
public enum ReaderAccess {
    /// The schema readers read.
    public static let schema = "marts"
    /// fitdata's other schemas: a reader gets nothing there, and what an existing role had there is revoked.
    public static let closedSchemas = ["raw", "core", "meta", "staging", "intermediate", "seeds", "fitness", "public"]

    /// What ``grant(role:password:on:)`` did.
    public struct Outcome: Sendable, Equatable {
        /// True when the role did not exist before.
        public let created: Bool
        /// True when a password was set.
        public let passwordSet: Bool
        /// Tables and views in `marts` the role can read now.
        public let relations: Int
    }

    /// Creates `role` (or brings an existing one to the reader's privileges), optionally setting its password, and
    /// records it for the re-grant after builds; one transaction, holding the data lock so no build swaps tables meanwhile.
    ///
    /// The role name is quoted as an identifier by the server (`format('%I')`); the password never reaches the server:
    /// only its SCRAM verifier does (``Connection/encryptPassword(_:role:)``), bound as a parameter into `format('%L')`.
    public static func grant(role: String, password: String?, on connection: Connection) throws -> Outcome {
        try check(roleName: role)
        if try connection.query("SELECT to_regclass('meta.reader_roles') IS NULL").scalar == "t" {
            throw ReaderAccessError.notInitialized
        }
        return try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [DataLock.key])
            let created = try ensureRole(role, on: connection)
            if let password {
                let verifier = try connection.encryptPassword(password, role: role)
                try statement("ALTER ROLE %I PASSWORD %L", [role, verifier], on: connection)
            }
            try statement("ALTER ROLE %I SET default_transaction_read_only = on", [role], on: connection)
            let database = try connection.query("SELECT current_database()").scalar ?? ""
            try statement("GRANT CONNECT ON DATABASE %I TO %I", [database, role], on: connection)
            try revokeElsewhere(role, on: connection)
            try statement("CREATE SCHEMA IF NOT EXISTS %I", [schema], on: connection)
            try statement("REVOKE CREATE ON SCHEMA %I FROM %I", [schema, role], on: connection)
            try statement("REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA %I FROM %I",
                          [schema, role], on: connection)
            try statement("ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I", [schema, role], on: connection)
            try connection.query("""
                INSERT INTO meta.reader_roles (role_name) VALUES ($1)
                ON CONFLICT (role_name) DO UPDATE SET granted_at = now()
                """, [role])
            try grantRead(role, on: connection)
            let relations = Int(try connection.query("""
                SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'p', 'f') AND has_table_privilege($2, c.oid, 'SELECT')
                """, [schema, role]).scalar ?? "0") ?? 0
            return Outcome(created: created, passwordSet: password != nil, relations: relations)
        }
    }

    /// Re-grants every recorded reader USAGE on `marts` and SELECT on what is in it now; returns the roles granted.
    ///
    /// Called on the connection holding the build's data lock after every build. First hands what the build created in
    /// the model schemas to their owner (``GroupRoles/handOver(onlyOwnedByCurrentUser:on:)``). Recorded roles dropped
    /// since are skipped; without migration 0012 or without a `marts` schema there is nothing to do.
    @discardableResult
    public static func reapply(on connection: Connection) throws -> [String] {
        let ready = try connection.query("SELECT to_regclass('meta.reader_roles') IS NOT NULL AND to_regnamespace($1) IS NOT NULL",
                                         [schema]).scalar == "t"
        guard ready else { return [] }
        try GroupRoles.handOver(onlyOwnedByCurrentUser: true, on: connection)
        let roles = try connection.query("""
            SELECT r.role_name FROM meta.reader_roles r JOIN pg_roles p ON p.rolname = r.role_name ORDER BY 1
            """).rows.compactMap { $0[0] }
        for role in roles { try grantRead(role, on: connection) }
        return roles
    }

    /// USAGE on the schema and SELECT on all its tables and views.
    static func grantRead(_ role: String, on connection: Connection) throws {
        try statement("GRANT USAGE ON SCHEMA %I TO %I", [schema, role], on: connection)
        try statement("GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I", [schema, role], on: connection)
    }

    /// Creates the role when missing; refuses an existing role a reader must not be. Returns true when created.
    private static func ensureRole(_ role: String, on connection: Connection) throws -> Bool {
        let row = try connection.query("""
            SELECT r.rolsuper OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls,
                   r.rolname = current_user,
                   EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.member = r.oid),
                   EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid)
              FROM pg_roles r WHERE r.rolname = $1
            """, [role]).rows.first
        guard let row else {
            try statement("CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS", [role], on: connection)
            return true
        }
        if row[1] == "t" { throw ReaderAccessError.unsuitableRole(role, "it is the role running this command") }
        if row[0] == "t" { throw ReaderAccessError.unsuitableRole(role, "it is a superuser or may create roles, replicate or bypass row security") }
        if row[2] == "t" { throw ReaderAccessError.unsuitableRole(role, "it is a member of other roles, whose privileges it would keep") }
        if row[3] == "t" { throw ReaderAccessError.unsuitableRole(role, "it owns tables in this database") }
        try statement("ALTER ROLE %I LOGIN NOCREATEDB", [role], on: connection)
        return false
    }

    /// Revokes what the role may hold in fitdata's other schemas (a fresh role holds nothing there).
    private static func revokeElsewhere(_ role: String, on connection: Connection) throws {
        let present = try connection.query("SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[]) ORDER BY 1",
                                           ["{" + closedSchemas.joined(separator: ",") + "}"]).rows.compactMap { $0[0] }
        for s in present {
            try statement("REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I", [s, role], on: connection)
            try statement("REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I", [s, role], on: connection)
            try statement("REVOKE ALL ON SCHEMA %I FROM %I", [s, role], on: connection)
        }
    }

    /// Builds a utility statement on the server with `format()` (identifiers `%I`, literals `%L`), the values bound
    /// as parameters, and runs it.
    static func statement(_ template: String, _ values: [String], on connection: Connection) throws {
        let placeholders = values.indices.map { ", $\($0 + 2)::text" }.joined()
        guard let sql = try connection.query("SELECT format($1\(placeholders))", [template] + values).scalar else {
            throw ReaderAccessError.unsuitableRole(values.first ?? "", "the statement could not be formed")
        }
        try connection.execute(sql)
    }

    /// Refuses names PostgreSQL reserves or that cannot be a role.
    static func check(roleName role: String) throws {
        if role.isEmpty { throw ReaderAccessError.badRoleName(role, "it is empty") }
        if role.utf8.count > 63 { throw ReaderAccessError.badRoleName(role, "it is longer than 63 bytes") }
        if role.hasPrefix("pg_") { throw ReaderAccessError.badRoleName(role, "names starting with pg_ are reserved") }
        if ["public", "none", "current_user", "session_user", "current_role"].contains(role.lowercased()) {
            throw ReaderAccessError.badRoleName(role, "it is a reserved word for roles")
        }
        if role.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\u{7F}" }) {
            throw ReaderAccessError.badRoleName(role, "it contains a control character")
        }
    }
}

/// Why `fitdata db grant-reader` refused a role (exit 2).
public enum ReaderAccessError: Error, Sendable, CustomStringConvertible, Equatable {
    case badRoleName(String, String)
    case unsuitableRole(String, String)
    /// Migration 0012 (`meta.reader_roles`) is not applied.
    case notInitialized

    public var description: String {
        switch self {
        case .notInitialized: return "the database has no meta.reader_roles (migration 0012): run `fitdata db init`"
        case .badRoleName(let r, let why): return "cannot use \"\(r)\" as a role name: \(why)"
        case .unsuitableRole(let r, let why): return "role \"\(r)\" cannot become a read-only reader: \(why); choose a new role name"
        }
    }
}
