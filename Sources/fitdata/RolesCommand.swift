import ArgumentParser
import FitSchema
import Foundation
import PostgresClient

/// `fitdata db roles create [--prefix fitdata_]`: the least-privilege group roles.
struct DBRoles: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles", abstract: "Least-privilege group roles for loaders, the runner, the report, readers and the pipeline.",
        subcommands: [DBRolesCreate.self])
}

/// Creates or updates the NOLOGIN group roles and their privileges (idempotent).
struct DBRolesCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create or update the NOLOGIN group roles <prefix>loader, runner, report, reader, pipeline (idempotent).",
        discussion: """
            loader: writes raw, core, meta.loads, meta.sync_watermarks. runner: owns the model schemas (staging,
            intermediate, marts, seeds) and reads core. report: reads marts and core.athletes, writes meta.reports.
            reader: reads marts only. pipeline: loader + runner + report and meta.pipeline_runs.
            Give them to users with `GRANT <prefix>runner TO alice;` and, for logins that build or run the pipeline,
            `ALTER ROLE alice SET role = '<prefix>runner';` (or '<prefix>pipeline') so what they build is owned by the group.
            Run as a superuser or, on Amazon RDS, as the master user; run again after `fitdata db init` applied migrations.
            Exit status: 0 done; 2 bad prefix, a role of that name not made by this command, database not initialized,
            or no privilege. See docs/security.md.
            """)
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Prefix of the role names.") var prefix: String = GroupRoles.defaultPrefix

    func run() throws {
        try runReportingFailures {
            let conn = try db.connect()
            defer { conn.close() }
            let outcome: GroupRoles.Outcome
            do {
                outcome = try GroupRoles.create(prefix: prefix, on: conn)
            } catch let e as ReaderAccessError {
                throw CLIFailure.configuration(e.description)
            } catch let e as PostgresClientError where e.sqlstate == "42501" || e.sqlstate == "42P01" {
                throw CLIFailure.configuration("\(e)".split(separator: "\n").first.map(String.init) ?? "\(e)")
            }
            for role in outcome.roles {
                print("group role \(Connection.quoteIdentifier(role)) \(outcome.created.contains(role) ? "created" : "updated")")
            }
            if outcome.reassigned > 0 { print("\(outcome.reassigned) relation(s) in the model schemas now owned by \(outcome.roles[1])") }
        }
    }
}
