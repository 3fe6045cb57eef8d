import FitSchema
import Foundation
import PostgresClient
import Testing
import TestSupport

/// `db init --distributed` without Citus: refused with a clear error, after the plain init, changing nothing else.
@Suite("db init --distributed")
struct DistributedInitTests {
    var sqlDir: URL { TestPaths.repoRoot.appendingPathComponent("sql") }

    @Test func refusedOnPlainPostgresAndLeavesTheSchemaAsThePlainInit() throws {
        let db = try TestDatabase(prefix: "distinit"); defer { db.drop() }
        let c = try db.connect()
        let m = SchemaManager(connection: c, sqlDirectory: sqlDir)
        _ = try m.initialize()
        let before = try c.query("SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE connamespace = 'core'::regnamespace").scalar
        #expect(throws: SchemaError.self) { try m.distribute() }
        do { _ = try m.distribute() } catch let e as SchemaError {
            #expect(e.description.contains("no citus extension"))
            #expect(e.isConfiguration)
        }
        // The foreign key the Citus script drops is still there: nothing ran.
        #expect(try c.query("SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE connamespace = 'core'::regnamespace").scalar == before)
        #expect(before?.contains("nutrition_days_file_id_fkey") == true)
    }

    @Test func cliExitsTwoNamingTheMissingExtension() throws {
        let db = try TestDatabase(prefix: "distcli"); defer { db.drop() }
        let r = try FitdataProcess.run(["db", "init", "--distributed", "--sql-dir", sqlDir.path], environment: ["DATABASE_URL": db.conninfo])
        #expect(r.status == 2, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("no citus extension"), "\(r.stderr)")
    }
}
