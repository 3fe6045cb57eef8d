import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("fitdata db grant-reader", .serialized)
struct ReaderRoleTests {
    /// The harness database's conninfo as `role` (key=value or URL form).
    static func conninfo(_ base: String, user: String) -> String {
        if base.hasPrefix("postgres://") || base.hasPrefix("postgresql://"), var c = URLComponents(string: base) {
            c.user = user
            c.password = nil
            return c.string ?? base
        }
        let quoted = user.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return base + " user='\(quoted)'"
    }

    /// The SQLSTATE a statement fails with as the reader, or nil when it succeeds.
    static func sqlstate(_ c: Connection, _ sql: String) -> String? {
        do { try c.execute(sql); return nil } catch let e as PostgresClientError { return e.sqlstate ?? "client" } catch { return "other" }
    }

    @Test("the reader reads every mart, is refused on raw, core, meta, staging, intermediate and on every write; a mart added by a later build is readable")
    func readerRole() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        try h.drop("body_weight.csv")
        #expect(try await h.run().result.exitCode == 0)
        let role = "fit reader \(UUID().uuidString.prefix(6).lowercased())"      // a space: quoted as an identifier
        let password = "s3cret-\(UUID().uuidString)"
        let granted = try await h.cli(["db", "grant-reader", role, "--password-stdin"], input: Data((password + "\n").utf8))
        #expect(granted.status == 0, "\(granted.stderr)")
        #expect(granted.stdout.contains("created") && granted.stdout.contains("password set"))
        #expect(!granted.stdout.contains(password) && !granted.stderr.contains(password))
        // only the SCRAM verifier is stored
        #expect(try await h.scalar("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = $1", [role]) == "t")
        #expect(try await h.scalar("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = $1", [role]) == "true")

        let marts = try await h.rows("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1").compactMap { $0[0] }
        let models = try FileManager.default.contentsOfDirectory(atPath: h.project.appendingPathComponent("models/marts").path)
        #expect(marts.count == models.filter { $0.hasSuffix(".sql") }.count && marts.count >= 14)
        let info = Self.conninfo(h.database.conninfo, user: role)
        try await onThread {
            let c = try Connection(conninfo: info)
            defer { c.close() }
            for m in marts { #expect(Self.sqlstate(c, "SELECT count(*) FROM \(m)") == nil, "cannot read \(m)") }
            for t in ["raw.files", "raw.rejects", "core.sets", "core.athletes", "meta.loads", "meta.pipeline_runs", "meta.reader_roles",
                      "staging.stg_core__athletes", "intermediate.zz_pipeline_fault", "public.pipeline_faults"] {
                #expect(Self.sqlstate(c, "SELECT * FROM \(t) LIMIT 1") == "42501", "\(t) was readable")
            }
            // sessions start read-only ...
            #expect(Self.sqlstate(c, "DELETE FROM marts.dim_athlete") == "25006")
            // ... and without that, the privileges refuse every write
            try c.execute("SET default_transaction_read_only = off")
            #expect(Self.sqlstate(c, "INSERT INTO marts.dim_athlete (athlete_id) VALUES ('x')") == "42501")
            #expect(Self.sqlstate(c, "UPDATE marts.dim_athlete SET athlete_id = 'x'") == "42501")
            #expect(Self.sqlstate(c, "DELETE FROM marts.dim_athlete") == "42501")
            #expect(Self.sqlstate(c, "TRUNCATE marts.fct_sets") == "42501")
            #expect(Self.sqlstate(c, "CREATE TABLE marts.mine (x int)") == "42501")
            #expect(Self.sqlstate(c, "CREATE TABLE public.mine (x int)") == "42501")
            #expect(Self.sqlstate(c, "CREATE VIEW marts.v AS SELECT 1") == "42501")
        }

        // a later build replaces every mart table and adds one; the default privileges are removed first, so only
        // the build's re-grant can make them readable
        try await h.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA marts REVOKE SELECT ON TABLES FROM \(Connection.quoteIdentifier(role))")
        try "select athlete_id, 1 as added from {{ ref('dim_athlete') }}\n"
            .write(to: h.project.appendingPathComponent("models/marts/zz_added_mart.sql"), atomically: true, encoding: .utf8)
        let build = try await h.cli(["build", "--project-dir", h.project.path, "--full-refresh"])
        #expect(build.status == 0, "\(build.stderr)")
        try await onThread {
            let c = try Connection(conninfo: info)
            defer { c.close() }
            #expect(Self.sqlstate(c, "SELECT * FROM marts.zz_added_mart") == nil)
            for m in marts { #expect(Self.sqlstate(c, "SELECT count(*) FROM \(m)") == nil, "cannot read \(m) after the build") }
            #expect(Self.sqlstate(c, "SELECT * FROM core.sets LIMIT 1") == "42501")
        }
        // granting again is safe and keeps the role a reader
        let again = try await h.cli(["db", "grant-reader", role])
        #expect(again.status == 0 && again.stdout.contains("updated") && again.stdout.contains("password unchanged"))
    }

    @Test("refused roles: the running role, a superuser, a reserved name (exit 2, nothing changed)")
    func refusedRoles() async throws {
        let h = try await PipelineHarness.make(hevy: false)
        defer { h.close() }
        let me = try await h.scalar("SELECT current_user") ?? "postgres"
        let selfGrant = try await h.cli(["db", "grant-reader", me])
        #expect(selfGrant.status == 2 && selfGrant.stderr.contains("it is the role running this command"))
        let reserved = try await h.cli(["db", "grant-reader", "pg_monitor"])
        #expect(reserved.status == 2 && reserved.stderr.contains("reserved"))
        let empty = try await h.cli(["db", "grant-reader", "someone", "--password-stdin"], input: Data("\n".utf8))
        #expect(empty.status == 2 && empty.stderr.contains("held no password"))
        #expect(try await h.int("SELECT count(*) FROM meta.reader_roles") == 0)
    }
}

extension ReaderRoleTests {
    @Test("grant-reader on a database without `db init` says so (exit 2)")
    func notInitialized() async throws {
        let empty = try TestDatabase(prefix: "readerempty")
        defer { empty.drop() }
        let env = ["DATABASE_URL": empty.conninfo]
        let out = try await onThread { try FitdataProcess.run(["db", "grant-reader", "nobody_reader"], environment: env) }
        #expect(out.status == 2 && out.stderr.contains("run `fitdata db init`"))
        #expect(try await onThread { () -> String? in
            let c = try empty.connect()
            defer { c.close() }
            return try c.query("SELECT count(*)::text FROM pg_roles WHERE rolname = 'nobody_reader'").scalar
        } == "0")
    }
}
