import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// `fitdata db roles create`: each group role, as a LOGIN member, does its own work through the real commands and
/// is refused the others' work with SQLSTATE 42501.
@Suite("least-privilege group roles", .serialized)
struct GroupRoleTests {
    /// A fresh initialized database, its group roles under a unique prefix, and one LOGIN member per group.
    final class Setup: @unchecked Sendable {
        let database: TestDatabase
        let prefix = "fdt\(UUID().uuidString.prefix(6).lowercased())_"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-roles-\(UUID().uuidString)")
        var logins: [String] = []

        init() throws {
            database = try TestDatabase.initialized(prefix: "roles")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }

        /// Creates a LOGIN role that is a member of `group` (as docs/security.md says to do).
        func login(_ group: String) throws -> String {
            let name = "\(prefix)\(group)_login\(logins.count)"
            let c = try database.connect()
            defer { c.close() }
            try c.execute("CREATE ROLE \(Connection.quoteIdentifier(name)) LOGIN; GRANT \(Connection.quoteIdentifier(prefix + group)) TO \(Connection.quoteIdentifier(name))")
            logins.append(name)
            return name
        }

        /// Runs `fitdata args…` connected as `user`.
        func cli(_ args: [String], as user: String? = nil) throws -> FitdataProcess.Output {
            let info = user.map { ReaderRoleTests.conninfo(database.conninfo, user: $0) } ?? database.conninfo
            return try FitdataProcess.run(args, environment: ["DATABASE_URL": info, "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "",
                                                              "HEVY_API_KEY": "", "SMTP_URL": ""])
        }

        /// The SQLSTATE each statement fails with as `user` (nil where it succeeds), one session.
        func states(as user: String, _ statements: [String]) throws -> [String: String?] {
            let c = try Connection(conninfo: ReaderRoleTests.conninfo(database.conninfo, user: user))
            defer { c.close() }
            var out: [String: String?] = [:]
            for s in statements { out[s] = ReaderRoleTests.sqlstate(c, s) }
            return out
        }

        func scalar(_ sql: String) throws -> String? {
            let c = try database.connect()
            defer { c.close() }
            return try c.query(sql).scalar
        }

        /// Drops the database, then the roles (cluster-wide), then the files.
        func close() {
            database.drop()
            let env = ProcessInfo.processInfo.environment
            if let admin = try? Connection(conninfo: env["TEST_DATABASE_URL"] ?? env["DATABASE_URL"] ?? "") {
                for r in logins + ["pipeline", "report", "reader", "runner", "loader"].map({ prefix + $0 }) {
                    _ = try? admin.execute("DROP ROLE IF EXISTS \(Connection.quoteIdentifier(r))")
                }
                admin.close()
            }
            try? FileManager.default.removeItem(at: root)
        }
    }

    /// Asserts every statement was refused for lack of privilege.
    static func expectRefused(_ states: [String: String?], _ who: String) {
        for (sql, state) in states.sorted(by: { $0.key < $1.key }) {
            #expect(state == "42501", "\(who) was not refused (\(state ?? "succeeded")): \(sql)")
        }
    }

    @Test("loader loads, runner builds the real project, report writes its report, reader reads the marts; each is refused the others' work")
    func eachRoleDoesItsWorkOnly() throws {
        let s = try Setup()
        defer { s.close() }
        let created = try s.cli(["db", "roles", "create", "--prefix", s.prefix])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.components(separatedBy: " created").count - 1 == 5, "\(created.stdout)")
        let again = try s.cli(["db", "roles", "create", "--prefix", s.prefix])
        #expect(again.status == 0 && again.stdout.components(separatedBy: " updated").count - 1 == 5, "\(again.stdout)\(again.stderr)")
        #expect(try s.scalar("SELECT count(*) FROM pg_roles WHERE rolname LIKE '\(s.prefix)%' AND NOT rolcanlogin") == "5")

        let loader = try s.login("loader"), runner = try s.login("runner"), report = try s.login("report"), reader = try s.login("reader")
        let files = try SampleAthlete(weeks: 4, seed: 7).write(to: s.root.appendingPathComponent("samples"))

        // the loader's work: a Hevy CSV, a nutrition file and a body-weight file, through the CLI
        let hevy = try s.cli(["load", "hevy-csv", files[0].path, "--athlete", "me", "--timezone", "Europe/Lisbon"], as: loader)
        #expect(hevy.status == 0, "\(hevy.stderr)")
        let nutrition = try s.cli(["load", "nutrition", files[1].path, "--athlete", "me"], as: loader)
        #expect(nutrition.status == 0, "\(nutrition.stderr)")
        let weight = try s.cli(["load", "body-weight", files[2].path, "--athlete", "me"], as: loader)
        #expect(weight.status == 0, "\(weight.stderr)")
        #expect(try s.scalar("SELECT count(*) > 0 FROM core.sets") == "t")

        // the runner's work: the real project
        let project = s.root.appendingPathComponent("project")
        try FileManager.default.copyItem(at: TestPaths.repoRoot.appendingPathComponent("dbt_style_models"), to: project)
        try? FileManager.default.removeItem(at: project.appendingPathComponent("target"))
        let build = try s.cli(["build", "--project-dir", project.path], as: runner)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        // what the runner login created belongs to the group, so another runner login can replace it
        #expect(try s.scalar("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('staging', 'intermediate', 'marts', 'seeds') AND c.relkind IN ('r', 'v')
               AND pg_get_userbyid(c.relowner) <> '\(s.prefix)runner'
            """) == "0")
        let runner2 = try s.login("runner")
        let rebuild = try s.cli(["build", "--project-dir", project.path, "--full-refresh"], as: runner2)
        #expect(rebuild.status == 0, "\(rebuild.stdout)\(rebuild.stderr)")

        // the report's work
        let out = s.root.appendingPathComponent("reports")
        let weekly = try s.cli(["report", "weekly", "--llm", "none", "--athlete", "me", "--week", "2026-W47", "--out", out.path], as: report)
        #expect(weekly.status == 0, "\(weekly.stdout)\(weekly.stderr)")
        #expect(try s.scalar("SELECT count(*) FROM meta.reports WHERE athlete_id = 'me' AND iso_week = '2026-W47'") == "1")

        // the pipeline's work: a daily run (a new weigh-in file in the drop folder, then a build) as a pipeline login;
        // what it built is handed to the runner group too
        let pipeline = try s.login("pipeline")
        let inbox = s.root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try "date,weight_kg\n2026-11-23,80.5\n".write(to: inbox.appendingPathComponent("weigh_in.csv"), atomically: true, encoding: .utf8)
        let daily = try s.cli(["pipeline", "daily", "--inbox", inbox.path, "--project-dir", project.path], as: pipeline)
        #expect(daily.status == 0, "\(daily.stdout)\(daily.stderr)")
        #expect(try s.scalar("SELECT outcome FROM meta.pipeline_runs ORDER BY run_id DESC LIMIT 1") == "succeeded")
        #expect(try s.scalar("SELECT count(*) FROM core.body_measurements WHERE date = '2026-11-23'") == "1")
        #expect(try s.scalar("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('staging', 'intermediate', 'marts', 'seeds') AND c.relkind IN ('r', 'v')
               AND pg_get_userbyid(c.relowner) <> '\(s.prefix)runner'
            """) == "0")

        // the reader's work: every mart
        let marts = try s.database.connect()
        let martNames = try marts.query("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1").rows.compactMap { $0[0] }
        marts.close()
        #expect(martNames.count >= 14)
        for (sql, state) in try s.states(as: reader, martNames.map { "SELECT count(*) FROM \($0)" }) {
            #expect(state == nil, "the reader could not: \(sql)")
        }

        // the others' CLI steps, run as each login: refused by the server ("permission denied"), nothing written
        let setsBefore = try s.scalar("SELECT count(*) FROM core.sets"), reportsBefore = try s.scalar("SELECT count(*) FROM meta.reports")
        let crossRuns: [(who: String, user: String, args: [String])] = [
            ("the loader", loader, ["build", "--project-dir", project.path, "--select", "stg_core__athletes"]),
            ("the loader", loader, ["report", "weekly", "--llm", "none", "--athlete", "me", "--week", "2026-W46", "--out", out.path]),
            ("the runner", runner, ["load", "body-weight", files[2].path, "--athlete", "other"]),
            ("the report", report, ["load", "hevy-csv", files[0].path, "--athlete", "other", "--timezone", "Europe/Lisbon"]),
            ("the report", report, ["build", "--project-dir", project.path, "--select", "stg_core__athletes"]),
            ("the reader", reader, ["load", "nutrition", files[1].path, "--athlete", "other"]),
            ("the reader", reader, ["build", "--project-dir", project.path, "--select", "stg_core__athletes"]),
            ("the reader", reader, ["report", "weekly", "--llm", "none", "--athlete", "me", "--week", "2026-W46", "--out", out.path]),
        ]
        for run in crossRuns {
            let result = try s.cli(run.args, as: run.user)
            #expect(result.status != 0, "\(run.who) could run \(run.args.prefix(2).joined(separator: " "))")
            #expect((result.stdout + result.stderr).contains("permission denied"),
                    "\(run.who), \(run.args.prefix(2).joined(separator: " ")): \(result.stdout)\(result.stderr)")
        }
        #expect(try s.scalar("SELECT count(*) FROM core.sets") == setsBefore)
        #expect(try s.scalar("SELECT count(*) FROM meta.reports") == reportsBefore)
        #expect(try s.scalar("SELECT count(*) FROM core.athletes WHERE athlete_id = 'other'") == "0")

        // refusals
        Self.expectRefused(try s.states(as: loader, [
            "CREATE TABLE marts.by_loader (x int)", "CREATE TABLE staging.by_loader (x int)", "CREATE VIEW intermediate.by_loader AS SELECT 1",
            "DROP TABLE marts.fct_sets", "SELECT count(*) FROM marts.fct_sets", "INSERT INTO meta.reports (athlete_id) VALUES ('x')",
            "DELETE FROM meta.pipeline_runs", "DELETE FROM meta.reader_roles", "CREATE TABLE public.by_loader (x int)",
        ]), "the loader")
        Self.expectRefused(try s.states(as: runner, [
            "INSERT INTO core.athletes (athlete_id) VALUES ('x')", "DELETE FROM core.sets", "UPDATE core.workouts SET title = 'x'",
            "INSERT INTO raw.files (athlete_id) VALUES ('x')", "SELECT count(*) FROM raw.files", "DELETE FROM meta.loads",
            "DELETE FROM meta.reports", "CREATE TABLE core.by_runner (x int)", "CREATE TABLE raw.by_runner (x int)", "INSERT INTO meta.reader_roles VALUES ('x')",
        ]), "the runner")
        Self.expectRefused(try s.states(as: report, [
            "INSERT INTO core.athletes (athlete_id) VALUES ('x')", "DELETE FROM core.sets", "SELECT count(*) FROM core.sets",
            "UPDATE raw.files SET athlete_id = 'x'", "DELETE FROM raw.rejects", "CREATE TABLE marts.by_report (x int)",
            "DELETE FROM marts.fct_sets", "DROP TABLE marts.fct_sets", "DELETE FROM meta.loads", "CREATE TABLE public.by_report (x int)",
        ]), "the report")
        Self.expectRefused(try s.states(as: pipeline, [
            "CREATE TABLE core.by_pipeline (x int)", "CREATE TABLE raw.by_pipeline (x int)", "CREATE TABLE public.by_pipeline (x int)",
            "DELETE FROM meta.reader_roles", "DELETE FROM meta.schema_migrations",
        ]), "the pipeline")
        Self.expectRefused(try s.states(as: reader, [
            "SELECT count(*) FROM raw.files", "SELECT count(*) FROM core.sets", "SELECT count(*) FROM core.athletes",
            "SELECT count(*) FROM meta.loads", "SELECT count(*) FROM meta.reports", "SELECT count(*) FROM staging.stg_core__athletes",
            "INSERT INTO marts.dim_athlete (athlete_id) VALUES ('x')", "DELETE FROM marts.fct_sets", "CREATE TABLE marts.by_reader (x int)",
            "INSERT INTO meta.reports (athlete_id) VALUES ('x')", "CREATE TABLE public.by_reader (x int)",
        ]), "the reader")
    }
}
