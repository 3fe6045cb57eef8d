import ArgumentParser
import Foundation
import Pipeline
import PostgresClient
import Report

/// The report options of `fitdata pipeline weekly`, handed to `fitdata report weekly`'s entry point.
struct WeeklyReportSettings: ParsableArguments {
    @Option(name: .customLong("report-out"), help: "Where the report goes: a folder or s3://bucket/prefix (as `report weekly --out`).")
    var reportOut = "reports"
    @Option(help: "none, openai, anthropic or bedrock (as `report weekly --llm`; default: the report's).") var llm: String?
    @Option(help: "The model (as `report weekly --model`).") var model: String?
    @Option(help: "en or pt (as `report weekly --language`).") var language: String?
    @Option(help: "Also e-mail the report to this address (as `report weekly --email`).") var email: String?
}

/// The weekly report step of `fitdata pipeline weekly`: `fitdata report weekly --week latest` with the settings above,
/// then the dashboard beside it (`<report-out>/<athlete>/dashboard.html`).
struct WeeklyReportCommandStep: WeeklyReportStep {
    let settings: WeeklyReportSettings

    init(settings: WeeklyReportSettings) {
        self.settings = settings
    }

    func run(athleteID: String, connection: Connection) throws -> WeeklyReportOutput {
        let invocation = try WeeklyReportInvocation(
            athlete: athleteID, week: "latest", llm: settings.llm, model: settings.model, language: settings.language ?? "en",
            out: settings.reportOut, email: settings.email, promptTemplate: nil, fromFacts: nil)
        let result = try invocation.write(connection: connection)
        let sink = try ReportDestination.sink(settings.reportOut, environment: invocation.environment)
        let dashboard = try Dashboard.write(athlete: athleteID, connection: connection, sink: sink)
        return WeeklyReportOutput(week: result.facts.isoWeek, locations: result.locations + [dashboard])
    }
}
