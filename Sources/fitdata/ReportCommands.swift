import ArgumentParser
import Foundation
import LLMProviders
import Mail
import PostgresClient
import Report

/// `fitdata report`: written reports from the marts.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Written reports from the marts.", subcommands: [ReportWeekly.self])
}

/// `fitdata report weekly`: facts from the marts → prompt → model (or the facts as text) → Markdown, HTML and JSON.
struct ReportWeekly: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weekly",
        abstract: "Write an athlete's weekly training and diet report: <out>/<athlete>/<YYYY-Www>.{md,html,json}.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Athlete id (default: me).") var athlete: String?
    @Option(help: "ISO week YYYY-Www, or latest (default): the last complete week in the athlete's time zone.") var week: String?
    @Option(help: "none | openai | anthropic | bedrock (default: openai or anthropic when its key is set, else none).")
    var llm: String?
    @Option(help: "The provider's model id (default: the provider's default).") var model: String?
    @Option(help: "Report language: en | pt.") var language = "en"
    @Option(help: "Output directory or s3://bucket/prefix.") var out = "reports"
    @Option(help: "Also e-mail the report to this address (SMTP_URL, SMTP_FROM).") var email: String?
    @Flag(help: "Print the filled-in prompt and exit without calling a model or writing files.") var printPrompt = false
    @Option(help: "Prompt template file (default: the bundled Prompts/weekly.md).") var promptTemplate: String?
    @Option(help: "Render from a facts JSON file written by an earlier run instead of reading the marts.") var fromFacts: String?

    func run() throws {
        try runReportingFailures {
            if fromFacts != nil, athlete != nil || week != nil {
                throw CLIFailure.configuration("--from-facts: the facts file names the athlete and week; do not pass --athlete or --week")
            }
            let invocation = try WeeklyReportInvocation(
                athlete: athlete ?? "me", week: week ?? "latest", llm: llm, model: model, language: language, out: out,
                email: email, promptTemplate: promptTemplate, fromFacts: fromFacts)
            let needsDatabase = !(printPrompt && fromFacts != nil)
            let conn = needsDatabase ? try db.connect() : nil
            defer { conn?.close() }
            if printPrompt {
                let text = try invocation.prompt(connection: conn)
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                return
            }
            let result = try invocation.write(connection: conn)
            print("weekly report \(result.facts.athleteId) \(result.facts.isoWeek): provider \(result.provider)"
                  + (result.model.map { ", model \($0)" } ?? "") + ", \(result.unverified.count) unverified number(s)")
            for location in result.locations { print("  \(location)") }
            if let email { print("  e-mailed to \(email)") }
        }
    }
}

/// One weekly report as `report weekly` and `pipeline weekly` ask for it: options checked once, then the prompt or
/// the written (and optionally e-mailed) report.
struct WeeklyReportInvocation {
    let request: WeeklyReportRequest
    let out: String
    let email: String?
    let environment: [String: String]

    /// Validates the options (exit 2 on a bad one) against `environment` (keys, SMTP and AWS settings).
    init(athlete: String, week: String, llm: String?, model: String?, language: String, out: String, email: String?,
         promptTemplate: String?, fromFacts: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let lang = ReportLanguage(rawValue: language) else { throw CLIFailure.configuration("--language \(language): use en or pt") }
        let kind: ProviderKind
        if let llm {
            guard let k = ProviderKind(rawValue: llm) else {
                throw CLIFailure.configuration("--llm \(llm): use \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            kind = k
        } else { kind = ProviderFactory.defaultKind(environment: environment) }
        request = WeeklyReportRequest(
            athlete: athlete, week: week, language: lang, providerKind: kind, model: model,
            promptTemplate: promptTemplate.map { URL(fileURLWithPath: $0) }, factsFile: fromFacts.map { URL(fileURLWithPath: $0) })
        self.out = out
        self.email = email
        self.environment = environment
    }

    /// The filled-in prompt (system and user parts), without calling a model or writing anything.
    func prompt(connection: Connection?) throws -> String {
        try mapped {
            try WeeklyReport.prompt(for: WeeklyReport.facts(for: request, connection: connection), request: request).text
        }
    }

    /// Reads the facts, asks the provider, writes `<out>/<athlete>/<week>.{md,html,json}`, records the run and, with an
    /// e-mail address, sends the report. Configuration (provider, destination, SMTP) is checked before any work.
    func write(connection: Connection?) throws -> WeeklyReportResult {
        let provider: (any LLMProvider)?
        do { provider = try ProviderFactory.make(request.providerKind, model: request.model, environment: environment) }
        catch let e as LLMError { throw CLIFailure.configuration(ReportError.provider(e).description) }
        let sink: any ReportSink
        do { sink = try ReportDestination.sink(out, environment: environment) }
        catch { throw CLIFailure.configuration("--out \(out): \(error)") }
        let mailer: SMTPMailer?
        do { mailer = try email.map { _ in try SMTPMailer(environment: environment) } }
        catch { throw CLIFailure.configuration("--email: \(error)") }
        let result = try mapped {
            let facts = try WeeklyReport.facts(for: request, connection: connection)
            return try WeeklyReport.write(facts: facts, request: request, provider: provider, sink: sink, connection: connection)
        }
        if let mailer, let email {
            let subject = request.language == .pt ? "Relatório semanal \(result.facts.athleteId) \(result.facts.isoWeek)"
                                                  : "Weekly report \(result.facts.athleteId) \(result.facts.isoWeek)"
            do { try mailer.send(to: email, subject: subject, text: result.markdown, html: result.html) }
            catch { throw CLIFailure.work("the report was written (\(result.locations.joined(separator: ", "))) but not e-mailed: \(error)") }
        }
        return result
    }

    /// Runs `body`, turning the report's errors into exit statuses (configuration 2, work 1).
    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() }
        catch let e as ReportError { throw e.isConfiguration ? CLIFailure.configuration(e.description) : CLIFailure.work(e.description) }
        catch let e as ReportSinkError { throw CLIFailure.work("\(e)") }
    }
}
