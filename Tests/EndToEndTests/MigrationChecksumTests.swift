import FitSchema
import Foundation
import PostgresClient
import Testing
import TestSupport

/// An applied migration whose file changed, or that the files no longer hold, is refused (exit 2).
@Suite("Migration checksums")
struct MigrationChecksumTests {
    /// A copy of `sql/` in a temporary folder, so a test can edit a migration without touching the repository.
    func copiedSQLDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-sql-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestPaths.repoRoot.appendingPathComponent("sql"), to: dir)
        return dir
    }

    @Test func changedAppliedMigrationIsAnErrorNamingIt() throws {
        let sql = try copiedSQLDirectory(); defer { try? FileManager.default.removeItem(at: sql) }
        let db = try TestDatabase(prefix: "mig"); defer { db.drop() }
        let c = try db.connect(); defer { c.close() }
        _ = try SchemaManager(connection: c, sqlDirectory: sql).initialize()
        let file = sql.appendingPathComponent("migrations/0002_core_model.sql")
        try (try String(contentsOf: file, encoding: .utf8) + "\n-- edited after it was applied\n")
            .write(to: file, atomically: true, encoding: .utf8)

        #expect(throws: SchemaError.self) { try SchemaManager(connection: c, sqlDirectory: sql).initialize() }
        do {
            _ = try SchemaManager(connection: c, sqlDirectory: sql).initialize()
        } catch let e as SchemaError {
            #expect(e.description.contains("0002_core_model.sql"))
            #expect(e.isConfiguration)
        }
        // nothing was applied or recorded by the refused run
        #expect(try c.query("SELECT count(*) FROM meta.schema_migrations WHERE version = 2 AND checksum = $1",
                            [try Migration.load(from: sql.appendingPathComponent("migrations"))[1].checksum]).scalar == "0")

        for command in [["db", "init"], ["db", "status"]] {
            let out = try FitdataProcess.run(command + ["--sql-dir", sql.path, "--database-url", db.conninfo])
            #expect(out.status == 2, "\(command): \(out.stderr)")
            #expect(out.stderr.contains("0002_core_model.sql was changed after it was applied"), "\(command): \(out.stderr)")
        }
    }

    @Test func appliedMigrationMissingFromTheFilesIsAnError() throws {
        let sql = try copiedSQLDirectory(); defer { try? FileManager.default.removeItem(at: sql) }
        let db = try TestDatabase(prefix: "mig"); defer { db.drop() }
        let c = try db.connect(); defer { c.close() }
        _ = try SchemaManager(connection: c, sqlDirectory: sql).initialize()
        try c.query("INSERT INTO meta.schema_migrations (version, name, checksum) VALUES (9999, 'from_the_future', 'x')")
        let out = try FitdataProcess.run(["db", "init", "--sql-dir", sql.path, "--database-url", db.conninfo])
        #expect(out.status == 2, "\(out.stderr)")
        #expect(out.stderr.contains("migration 9999"), "\(out.stderr)")
    }

    @Test func unchangedFilesPass() throws {
        let db = try TestDatabase.initialized(prefix: "mig"); defer { db.drop() }
        let c = try db.connect(); defer { c.close() }
        try SchemaManager(connection: c, sqlDirectory: TestPaths.repoRoot.appendingPathComponent("sql")).verifyAppliedMigrations()
        let out = try FitdataProcess.run(["db", "status", "--database-url", db.conninfo])
        #expect(out.status == 0, "\(out.stderr)")
    }
}
