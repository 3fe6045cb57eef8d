import ArgumentParser
import Foundation
import Report

/// `fitdata dashboard`: the static HTML dashboard of one athlete, to a directory or an S3 prefix.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Write a static, self-contained HTML dashboard (charts and a weekly table) from the marts.",
        discussion: "Writes <out>/<athlete>/dashboard.html; --out may be a directory or s3://bucket/prefix. Run `fitdata build` first.")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Athlete id (default: the only athlete in the marts).") var athlete: String?
    @Option(help: "Output directory or s3://bucket/prefix.") var out: String

    func run() throws {
        try runReportingFailures {
            let sink: any ReportSink
            do { sink = try ReportDestination.sink(out, environment: ProcessInfo.processInfo.environment) }
            catch { throw CLIFailure.configuration("--out \(out): \(error)") }
            let connection = try database.connect()
            defer { connection.close() }
            do {
                print(try Dashboard.write(athlete: athlete, connection: connection, sink: sink))
            } catch let e as DashboardError {
                throw CLIFailure.configuration(e.description)
            } catch ReportSinkError.badDestination(let destination) {
                throw CLIFailure.work("cannot write the dashboard: \(destination)")
            }
        }
    }
}
