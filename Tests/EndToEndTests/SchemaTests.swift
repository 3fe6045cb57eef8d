import FitSchema
import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("db init and db status")
struct SchemaTests {
    var sqlDir: URL { TestPaths.repoRoot.appendingPathComponent("sql") }

    @Test func initIsIdempotentAndStatusListsVersions() throws {
        let db = try TestDatabase(prefix: "schema"); defer { db.drop() }
        let c = try db.connect()
        let m = SchemaManager(connection: c, sqlDirectory: sqlDir)
        #expect(try m.status().isEmpty)
        let first = try m.initialize()
        #expect(first.appliedMigrations.count == (try Migration.load(from: sqlDir.appendingPathComponent("migrations")).count))
        let second = try m.initialize()
        #expect(second.appliedMigrations.isEmpty)
        #expect(second.extensionAction == "unchanged")
        let status = try m.status()
        #expect(status.contains { $0.component.hasPrefix("migration core_model") })
        #expect(try c.query("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'core'").scalar.flatMap(Int.init)! >= 8)
        #expect(try c.query("SELECT round(fitness.e1rm(100, 5), 2)").scalar == "116.67")
    }

    @Test func plainSQLModeForManagedPostgres() throws {
        let db = try TestDatabase(prefix: "schema"); defer { db.drop() }
        let c = try db.connect()
        let report = try SchemaManager(connection: c, sqlDirectory: sqlDir).initialize(useExtension: false)
        #expect(report.extensionMode == .plainSQL)
        #expect(try c.query("SELECT count(*) FROM pg_extension WHERE extname = 'fitness'").scalar == "0")
        #expect(try c.query("SELECT fitness.iso_week_label('2021-01-03')").scalar == "2020-W53")
        #expect(try c.query("SELECT version FROM meta.plain_extensions WHERE name = 'fitness'").scalar == report.extensionVersion)
        // a later init (even allowing extensions) keeps the plain install and changes nothing
        let again = try SchemaManager(connection: c, sqlDirectory: sqlDir).initialize(useExtension: true)
        #expect(again.extensionMode == .plainSQL && again.appliedMigrations.isEmpty)
    }

    @Test func plainSQLUpgradeChainFromOlderVersion() throws {
        let db = try TestDatabase(prefix: "schema"); defer { db.drop() }
        let c = try db.connect()
        let scripts = try ExtensionScripts(directory: sqlDir)
        try c.execute("CREATE SCHEMA fitness")
        try c.execute(try scripts.plainInstallScript(version: "1.0"))
        try c.execute("CREATE SCHEMA meta; CREATE TABLE meta.plain_extensions (name text PRIMARY KEY, version text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO meta.plain_extensions VALUES ('fitness', '1.0')")
        let r = try SchemaManager(connection: c, sqlDirectory: sqlDir).initialize(useExtension: false)
        #expect(r.extensionAction.contains("1.0 → \(scripts.defaultVersion)"))
        #expect(try c.query("SELECT round(fitness.e1rm(100, 5, NULL, 'lombardi'), 2)").scalar == "117.46")   // 1.1
        #expect(try c.query("SELECT round(fitness.e1rm(94.35, 7), 2), fitness.title_key(E'\\tA  b')").rows[0] == ["116.37", "a b"])   // 1.2
    }

    @Test func constraintsRejectBadValues() throws {
        let db = try TestDatabase.initialized(prefix: "schema"); defer { db.drop() }
        let c = try db.connect()
        try c.execute("""
            INSERT INTO core.athletes (athlete_id) VALUES ('a');
            INSERT INTO core.exercises (title) VALUES ('Squat');
            INSERT INTO core.workouts (athlete_sk, source, title, start_local, started_at, ended_at, local_date)
              VALUES (1, 'hevy_csv', 'W', '2026-01-01 10:00', now(), now(), '2026-01-01');
            INSERT INTO core.workout_exercises (athlete_sk, workout_sk, position, exercise_sk) VALUES (1, 1, 0, 1);
            """)
        let bad = ["INSERT INTO core.sets (athlete_sk, workout_exercise_sk, position, set_type) VALUES (1, 1, 0, 'superset')",
                   "INSERT INTO core.sets (athlete_sk, workout_exercise_sk, position, set_type, rpe) VALUES (1, 1, 0, 'normal', 6.2)",
                   "INSERT INTO core.sets (athlete_sk, workout_exercise_sk, position, set_type, reps) VALUES (1, 1, 0, 'normal', -1)",
                   "INSERT INTO core.sets (athlete_sk, workout_exercise_sk, position, set_type) VALUES (1, 99, 0, 'normal')",
                   "INSERT INTO core.workouts (athlete_sk, source, title, start_local, started_at, ended_at, local_date) VALUES (1, 'hevy_csv', 'W', '2026-01-01 10:00:30', now(), now(), '2026-01-01')"]
        for sql in bad {
            #expect(throws: PostgresClientError.self, "\(sql)") { try c.execute(sql) }
        }
    }
}
