import ArgumentParser
import Foundation
import Pipeline
import PostgresClient
import Report

/// The report options of `fitdata pipeline weekly`, handed to `fitdata report weekly`'s entry point.
struct WeeklyReportSettings: ParsableArguments {
    @Option(help: "Where the report and the dashboard go: a folder or s3://bucket/prefix (as `report weekly --out`).")
    var out = "reports"
    @Option(help: "none, openai, anthropic or bedrock (as `report weekly --llm`; default: the report's).") var llm: String?
    @Option(help: "The model (as `report weekly --model`).") var model: String?
    @Option(help: "en or pt (as `report weekly --language`).") var language: String?
    @Option(help: "Also e-mail the report to this address (as `report weekly --email`).") var email: String?
}

/// The weekly report step of `fitdata pipeline weekly`: `fitdata report weekly --week latest` with the settings above,
/// then the dashboard beside it (`<out>/<athlete>/dashboard.html`).
struct WeeklyReportCommandStep: WeeklyReportStep {
    let settings: WeeklyReportSettings

    init(settings: WeeklyReportSettings) {
        self.settings = settings
    }

    func run(athleteID: String, connection: Connection) throws -> WeeklyReportOutput {
        do {
            let invocation = try WeeklyReportInvocation(
                athlete: athleteID, week: "latest", llm: settings.llm, model: settings.model, language: settings.language ?? "en",
                out: settings.out, email: settings.email, promptTemplate: nil, fromFacts: nil)
            let result = try invocation.write(connection: connection)
            let sink = try ReportDestination.sink(settings.out, environment: invocation.environment)
            let dashboard = try Dashboard.write(athlete: athleteID, connection: connection, sink: sink)
            return WeeklyReportOutput(week: result.facts.isoWeek, locations: result.locations + [dashboard])
        } catch CLIFailure.configuration(let message) {
            throw PipelineError.configuration(message)   // exit 2: a rerun cannot fix it
        } catch CLIFailure.work(let message) {
            throw PipelineError.reportFailed(message)
        }
    }
}
