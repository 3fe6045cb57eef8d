import PostgresClient

/// Least-privilege group roles for each kind of fitdata work: `fitdata db roles create`.
///
/// Five NOLOGIN roles, named `<prefix>loader`, `runner`, `report`, `reader`, `pipeline`; real users (LOGIN roles) get
/// one by `GRANT <group> TO <login>`. What each may do is in ``GroupRole``; docs/security.md says it in prose.
/// Creating them is idempotent: running again creates what is missing and brings the privileges back to the plan
/// (after `fitdata db init` applied a migration, say). Ownership of the model schemas (`staging`, `intermediate`,
/// `marts`, `seeds`) and of the relations in them moves to the runner group, so every runner login may replace what
/// another built.
public enum GroupRoles {
    /// The schemas the model runner builds into (dbt_style_models/dbt_project.yml `+schema`).
    public static let modelSchemas = ["staging", "intermediate", "marts", "seeds"]
    /// The loaders' `meta` tables: written by `load` and `sync`.
    static let loaderMetaTables = ["meta.loads", "meta.sync_watermarks"]
    /// The pipeline's own `meta` tables.
    static let pipelineMetaTables = ["meta.pipeline_runs", "meta.pipeline_built_inputs", "meta.mart_watermark"]
    /// The default role-name prefix.
    public static let defaultPrefix = "fitdata_"
    /// Marks the roles this command made (`COMMENT ON ROLE`), so it never adopts someone else's role of the same name.
    static let marker = "fitdata group role"

    /// One group role of the plan.
    public enum GroupRole: String, CaseIterable, Sendable {
        /// Writes `raw`, `core` and the loads' `meta` tables (`fitdata load`, `nutrition load`, `sync`).
        case loader
        /// Owns and replaces the model schemas; reads `core` (`fitdata build`, `run`, `seed`, `test`).
        case runner
        /// Reads the marts and `core.athletes`, writes `meta.reports` (`fitdata report weekly`, `dashboard`).
        case report
        /// Reads the marts, nothing else.
        case reader
        /// The pipeline: the loader, runner and report groups plus `meta.pipeline_runs`, `meta.pipeline_built_inputs`
        /// and `meta.mart_watermark`.
        case pipeline
    }

    /// What ``create(prefix:on:)`` did.
    public struct Outcome: Sendable, Equatable {
        /// Each group's role name, in ``GroupRole`` order.
        public let roles: [String]
        /// The roles created by this run (the others existed).
        public let created: [String]
        /// Relations in the model schemas whose ownership moved to the runner group.
        public let reassigned: Int
    }

    /// The role name of `group` under `prefix`.
    public static func name(_ group: GroupRole, prefix: String) -> String { prefix + group.rawValue }

    /// Creates the group roles that are missing and grants them exactly their plan; one transaction holding the data lock.
    ///
    /// Needs a superuser or a role with CREATEROLE that owns fitdata's tables (on Amazon RDS: the master user).
    public static func create(prefix: String = defaultPrefix, on connection: Connection) throws -> Outcome {
        let names = GroupRole.allCases.map { name($0, prefix: prefix) }
        for n in names { try ReaderAccess.check(roleName: n) }
        if try connection.query("SELECT to_regclass('meta.reader_roles') IS NULL OR to_regclass('meta.reports') IS NULL").scalar == "t" {
            throw ReaderAccessError.notInitialized
        }
        return try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [DataLock.key])
            var created: [String] = []
            for n in names where try ensureGroup(n, on: connection) { created.append(n) }
            let r = { (g: GroupRole) in name(g, prefix: prefix) }
            try grantDatabase(names, on: connection)
            try grantLoader(r(.loader), on: connection)
            let reassigned = try grantRunner(r(.runner), readers: [r(.report), r(.reader)], on: connection)
            try grantReport(r(.report), on: connection)
            try grantMartsRead(r(.reader), on: connection)
            try grantPipeline(r(.pipeline), members: [r(.loader), r(.runner), r(.report)], on: connection)
            return Outcome(roles: names, created: created, reassigned: reassigned)
        }
    }

    /// Creates `role` NOLOGIN when missing (returns true); refuses an existing role this command did not make.
    private static func ensureGroup(_ role: String, on connection: Connection) throws -> Bool {
        let row = try connection.query("""
            SELECT r.rolcanlogin OR r.rolsuper OR r.rolcreaterole OR r.rolbypassrls, coalesce(shobj_description(r.oid, 'pg_authid'), '')
              FROM pg_roles r WHERE r.rolname = $1
            """, [role]).rows.first
        guard let row else {
            try ReaderAccess.statement("CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS", [role], on: connection)
            try ReaderAccess.statement("COMMENT ON ROLE %I IS %L", [role, marker], on: connection)
            return true
        }
        if row[1] != marker {
            throw ReaderAccessError.unsuitableRole(role, "a role of that name exists and was not made by `fitdata db roles create`")
        }
        if row[0] == "t" {
            throw ReaderAccessError.unsuitableRole(role, "it may log in, is a superuser, or may create roles or bypass row security")
        }
        return false
    }

    /// CONNECT and TEMPORARY on the database, USAGE on `fitness` and EXECUTE on its functions, for every group.
    private static func grantDatabase(_ roles: [String], on connection: Connection) throws {
        let database = try connection.query("SELECT current_database()").scalar ?? ""
        for role in roles {
            try ReaderAccess.statement("GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I", [database, role], on: connection)
            if try exists(schema: ExtensionScripts.schema, on: connection) {
                try ReaderAccess.statement("GRANT USAGE ON SCHEMA %I TO %I", [ExtensionScripts.schema, role], on: connection)
                try ReaderAccess.statement("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO %I", [ExtensionScripts.schema, role], on: connection)
            }
        }
    }

    /// DML on `raw` and `core` (now and for tables migrations add later), and the loads' `meta` tables.
    private static func grantLoader(_ role: String, on connection: Connection) throws {
        for s in ["raw", "core"] {
            try ReaderAccess.statement("GRANT USAGE ON SCHEMA %I TO %I", [s, role], on: connection)
            try ReaderAccess.statement("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I", [s, role], on: connection)
            try ReaderAccess.statement("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I", [s, role], on: connection)
            try ReaderAccess.statement("ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I", [s, role], on: connection)
            try ReaderAccess.statement("ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I", [s, role], on: connection)
        }
        try ReaderAccess.statement("GRANT USAGE ON SCHEMA meta TO %I", [role], on: connection)
        for t in loaderMetaTables {
            try ReaderAccess.statement("GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I", [t, role], on: connection)
        }
    }

    /// Ownership of the model schemas and their relations; SELECT on `core`; SELECT on `meta.reader_roles` (the
    /// re-grant after a build) and `meta.mart_watermark` (what the incremental models were built through); default privileges so what the runner group creates in `marts` is readable by `readers`.
    /// Returns how many relations changed owner.
    private static func grantRunner(_ role: String, readers: [String], on connection: Connection) throws -> Int {
        // ALTER ... OWNER TO and ALTER DEFAULT PRIVILEGES FOR ROLE need membership in the role (a superuser has it)
        if try connection.query("SELECT pg_has_role(current_user, $1, 'MEMBER')", [role]).scalar != "t" {
            try ReaderAccess.statement("GRANT %I TO CURRENT_USER", [role], on: connection)
        }
        for s in modelSchemas {
            try ReaderAccess.statement("CREATE SCHEMA IF NOT EXISTS %I", [s], on: connection)
            try ReaderAccess.statement("ALTER SCHEMA %I OWNER TO %I", [s, role], on: connection)
        }
        let reassigned = try handOver(onlyOwnedByCurrentUser: false, on: connection)
        try ReaderAccess.statement("GRANT USAGE ON SCHEMA core TO %I", [role], on: connection)
        try ReaderAccess.statement("GRANT SELECT ON ALL TABLES IN SCHEMA core TO %I", [role], on: connection)
        try ReaderAccess.statement("ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT SELECT ON TABLES TO %I", [role], on: connection)
        try ReaderAccess.statement("GRANT USAGE ON SCHEMA meta TO %I", [role], on: connection)
        try ReaderAccess.statement("GRANT SELECT ON meta.reader_roles TO %I", [role], on: connection)
        try ReaderAccess.statement("GRANT SELECT ON meta.mart_watermark TO %I", [role], on: connection)
        for reader in readers {
            try ReaderAccess.statement("ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT ON TABLES TO %I",
                                       [role, ReaderAccess.schema, reader], on: connection)
        }
        return reassigned
    }

    /// Reads the marts and `core.athletes` (the athlete's time zone); writes `meta.reports`.
    private static func grantReport(_ role: String, on connection: Connection) throws {
        try grantMartsRead(role, on: connection)
        try ReaderAccess.statement("GRANT USAGE ON SCHEMA core TO %I", [role], on: connection)
        try ReaderAccess.statement("GRANT SELECT ON core.athletes TO %I", [role], on: connection)
        try ReaderAccess.statement("GRANT USAGE ON SCHEMA meta TO %I", [role], on: connection)
        try ReaderAccess.statement("GRANT SELECT, INSERT, UPDATE ON meta.reports TO %I", [role], on: connection)
    }

    /// USAGE on `marts` and SELECT on what is in it, recorded in `meta.reader_roles` so every build re-grants it.
    private static func grantMartsRead(_ role: String, on connection: Connection) throws {
        try ReaderAccess.grantRead(role, on: connection)
        try connection.query("""
            INSERT INTO meta.reader_roles (role_name) VALUES ($1) ON CONFLICT (role_name) DO UPDATE SET granted_at = now()
            """, [role])
    }

    /// Membership in the loader, runner and report groups; DML on the pipeline's run tables.
    private static func grantPipeline(_ role: String, members: [String], on connection: Connection) throws {
        for m in members { try ReaderAccess.statement("GRANT %I TO %I", [m, role], on: connection) }
        try ReaderAccess.statement("GRANT USAGE ON SCHEMA meta TO %I", [role], on: connection)
        for t in pipelineMetaTables {
            try ReaderAccess.statement("GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I", [t, role], on: connection)
        }
    }

    /// Gives the relations in the model schemas to the schema's owner (the runner group), where the current user
    /// may: it is a member of that owner and owns the relation (or, with `onlyOwnedByCurrentUser` false, any owner).
    /// Returns how many relations changed owner.
    ///
    /// Run after every build (``ReaderAccess/reapply(on:)``): a login in the runner or pipeline group creates
    /// tables owned by itself, and another login of the group could not replace them, grant on them or insert into
    /// them; owned by the group, every member can. Without group roles the schemas' owner builds and nothing moves.
    @discardableResult
    public static func handOver(onlyOwnedByCurrentUser: Bool, on connection: Connection) throws -> Int {
        let rows = try connection.query("""
            SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                   quote_ident(n.nspname) || '.' || quote_ident(c.relname), pg_get_userbyid(n.nspowner)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner <> n.nspowner
               AND (NOT $2::boolean OR pg_get_userbyid(c.relowner) = current_user)
               AND pg_has_role(current_user, n.nspowner, 'MEMBER')
             ORDER BY 2
            """, ["{" + modelSchemas.joined(separator: ",") + "}", onlyOwnedByCurrentUser]).rows
        for row in rows {
            try ReaderAccess.statement("ALTER %s %s OWNER TO %I", [row[0] ?? "TABLE", row[1] ?? "", row[2] ?? ""], on: connection)
        }
        return rows.count
    }

    private static func exists(schema: String, on connection: Connection) throws -> Bool {
        try connection.query("SELECT to_regnamespace($1) IS NOT NULL", [schema]).scalar == "t"
    }
}
