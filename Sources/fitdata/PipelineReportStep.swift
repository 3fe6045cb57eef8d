import ArgumentParser
import Foundation
import Pipeline
import PostgresClient

/// The report options of `fitdata pipeline weekly`, handed to `fitdata report weekly`'s entry point.
struct WeeklyReportSettings: ParsableArguments {
    @Option(name: .customLong("report-out"), help: "Where the report goes: a folder or s3://bucket/prefix (as `report weekly --out`).")
    var reportOut = "reports"
    @Option(help: "none, openai, anthropic or bedrock (as `report weekly --llm`; default: the report's).") var llm: String?
    @Option(help: "The model (as `report weekly --model`).") var model: String?
    @Option(help: "en or pt (as `report weekly --language`).") var language: String?
}

/// The weekly report step of `fitdata pipeline weekly`.
///
/// NOT CONNECTED YET: the report module (issue 13, `Sources/Report`) is merged separately. Until the body below calls
/// `fitdata report weekly`'s library entry point (with `--week latest` and the settings above), the step writes nothing and
/// fails, so `pipeline weekly` exits 1 with this message instead of reporting a success it did not have.
struct WeeklyReportCommandStep: WeeklyReportStep {
    /// `--report-out`, `--llm`, `--model`, `--language` as given.
    let reportOut: String
    let llm: String?
    let model: String?
    let language: String?

    init(settings: WeeklyReportSettings) {
        reportOut = settings.reportOut
        llm = settings.llm
        model = settings.model
        language = settings.language
    }

    func run(athleteID: String, connection: Connection) throws -> WeeklyReportOutput {
        throw PipelineError.reportNotConnected("""
            the weekly report step is not connected in this build of fitdata (the report module is not merged yet): \
            no report was written for athlete '\(athleteID)'
            """)
    }
}
