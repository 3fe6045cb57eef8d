import ArgumentParser
import FitSchema
import Foundation
import PostgresClient

/// `fitdata db init | status | grant-reader | roles`.
struct DB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Create or inspect the database objects.",
        subcommands: [DBInit.self, DBStatus.self, DBGrantReader.self, DBRoles.self])
}

/// Creates what is missing: the fitness functions and the raw/core/meta migrations.
struct DBInit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create or upgrade the schemas (idempotent).")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "Never try CREATE EXTENSION; apply the fitness scripts as plain SQL (managed PostgreSQL).")
    var plainSql = false
    @Flag(help: "Then spread core over a Citus cluster (sql/citus/distribute_core.sql; docs/scaling.md). Needs the citus extension.")
    var distributed = false
    @Option(help: "Folder holding fitness.control and migrations/ (default: found automatically).")
    var sqlDir: String?

    func run() throws {
        try runReportingFailures {
            let dir: URL
            do { dir = try sqlDir.map { URL(fileURLWithPath: $0) } ?? SQLDirectory.locate() }
            catch { throw CLIFailure.configuration("\(error)") }
            let conn = try db.connect()
            defer { conn.close() }
            let report: SchemaManager.InitReport
            let manager = SchemaManager(connection: conn, sqlDirectory: dir)
            var placement: [String] = []
            do {
                report = try manager.initialize(useExtension: !plainSql)
                if distributed { placement = try manager.distribute() }
            } catch let e as SchemaError where e.isConfiguration { throw CLIFailure.configuration(e.description) }
            print("fitness \(report.extensionVersion) (\(report.extensionMode.rawValue)): \(report.extensionAction)")
            if report.appliedMigrations.isEmpty {
                print("migrations: up to date")
            } else {
                for m in report.appliedMigrations { print("applied migration \(m)") }
            }
            for line in placement { print("citus: \(line)") }
        }
    }
}

/// Prints the applied migration versions and the fitness version.
struct DBStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show applied versions.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Folder holding fitness.control and migrations/ (default: found automatically).")
    var sqlDir: String?

    func run() throws {
        try runReportingFailures {
            let conn = try db.connect()
            defer { conn.close() }
            let dir = try? sqlDir.map { URL(fileURLWithPath: $0) } ?? SQLDirectory.locate()
            let manager = SchemaManager(connection: conn, sqlDirectory: dir ?? URL(fileURLWithPath: "sql"))
            let lines = try manager.status()
            if lines.isEmpty { print("database not initialized: run `fitdata db init`"); return }
            for l in lines {
                print("\(l.component.padding(toLength: 40, withPad: " ", startingAt: 0)) \(l.version.padding(toLength: 8, withPad: " ", startingAt: 0)) \(l.appliedAt)")
            }
            if dir != nil, let pending = try? manager.pendingMigrations(), !pending.isEmpty {
                print("pending: \(pending.map(\.label).joined(separator: ", "))")
            }
            if dir != nil {
                do { try manager.verifyAppliedMigrations() }
                catch let e as SchemaError where e.isConfiguration { throw CLIFailure.configuration(e.description) }
            }
        }
    }
}
