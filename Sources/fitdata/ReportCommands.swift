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
    @Option(help: "Also e-mail the report to this address (SMTP_URL).") var email: String?
    @Flag(help: "Print the filled-in prompt and exit without calling a model or writing files.") var printPrompt = false
    @Option(help: "Prompt template file (default: the bundled Prompts/weekly.md).") var promptTemplate: String?
    @Option(help: "Render from a facts JSON file written by an earlier run instead of reading the marts.") var fromFacts: String?

    func run() throws {
        try runReportingFailures {
            let env = ProcessInfo.processInfo.environment
            guard let lang = ReportLanguage(rawValue: language) else { throw CLIFailure.configuration("--language \(language): use en or pt") }
            let kind: ProviderKind
            if let llm {
                guard let k = ProviderKind(rawValue: llm) else {
                    throw CLIFailure.configuration("--llm \(llm): use \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = k
            } else { kind = ProviderFactory.defaultKind(environment: env) }
            if fromFacts != nil, athlete != nil || week != nil {
                throw CLIFailure.configuration("--from-facts: the facts file names the athlete and week; do not pass --athlete or --week")
            }
            let request = WeeklyReportRequest(
                athlete: athlete ?? "me", week: week ?? "latest", language: lang, providerKind: kind, model: model,
                promptTemplate: promptTemplate.map { URL(fileURLWithPath: $0) }, factsFile: fromFacts.map { URL(fileURLWithPath: $0) })
            do {
                let needsDatabase = !(printPrompt && fromFacts != nil)
                let conn = needsDatabase ? try db.connect() : nil
                defer { conn?.close() }
                let facts = try WeeklyReport.facts(for: request, connection: conn)
                if printPrompt {
                    let prompt = try WeeklyReport.prompt(for: facts, request: request)
                    print(prompt.text, terminator: prompt.text.hasSuffix("\n") ? "" : "\n")
                    return
                }
                let provider: (any LLMProvider)?
                do { provider = try ProviderFactory.make(kind, model: model, environment: env) }
                catch let e as LLMError { throw ReportError.provider(e) }
                // SMTP settings are checked before any work, so a bad SMTP_URL exits 2 with nothing written.
                let mailer: SMTPMailer?
                do { mailer = try email.map { _ in try SMTPMailer(environment: env) } }
                catch let e as MailError { throw CLIFailure.configuration("--email: \(e)") }
                let sink: any ReportSink
                do { sink = out.hasPrefix("s3://") ? try S3Sink(url: out, environment: env) : DirectorySink(directory: out) }
                catch { throw CLIFailure.configuration("--out \(out): \(error)") }
                let result = try WeeklyReport.write(facts: facts, request: request, provider: provider, sink: sink, connection: conn)
                print("weekly report \(result.facts.athleteId) \(result.facts.isoWeek): provider \(result.provider)"
                      + (result.model.map { ", model \($0)" } ?? "") + ", \(result.unverified.count) unverified number(s)")
                for location in result.locations { print("  \(location)") }
                if let mailer, let email {
                    let subject = lang == .pt ? "Relatório semanal \(result.facts.athleteId) \(result.facts.isoWeek)"
                                              : "Weekly report \(result.facts.athleteId) \(result.facts.isoWeek)"
                    do { try mailer.send(to: email, subject: subject, text: result.markdown, html: result.html) }
                    catch { throw CLIFailure.work("the report was written but not e-mailed: \(error)") }
                    print("  e-mailed to \(email)")
                }
            } catch let e as ReportError {
                throw e.isConfiguration ? CLIFailure.configuration(e.description) : CLIFailure.work(e.description)
            } catch let e as ReportSinkError {
                throw CLIFailure.work("\(e)")
            }
        }
    }
}
