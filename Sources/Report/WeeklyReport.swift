import Crypto
import Foundation
import LLMProviders
import PostgresClient

/// The language a report is written in.
public enum ReportLanguage: String, Sendable, Codable, CaseIterable {
    case en, pt
}

/// What `fitdata report weekly` was asked to do.
public struct WeeklyReportRequest: Sendable {
    public var athlete: String
    /// `YYYY-Www` or `latest`.
    public var week: String
    public var language: ReportLanguage
    /// The `--llm` provider; `.none` renders the facts as text.
    public var providerKind: ProviderKind
    /// `--model`; the provider's default when nil.
    public var model: String?
    /// `--prompt-template`; the bundled `Prompts/weekly.md` when nil.
    public var promptTemplate: URL?
    /// `--from-facts`: render from a facts JSON file instead of reading the marts.
    public var factsFile: URL?
    /// The clock `latest` is resolved against.
    public var now: Date

    public init(athlete: String = "me", week: String = "latest", language: ReportLanguage = .en, providerKind: ProviderKind = .none,
                model: String? = nil, promptTemplate: URL? = nil, factsFile: URL? = nil, now: Date = Date()) {
        self.athlete = athlete
        self.week = week
        self.language = language
        self.providerKind = providerKind
        self.model = model
        self.promptTemplate = promptTemplate
        self.factsFile = factsFile
        self.now = now
    }
}

/// A written report: its texts, where they went and what was recorded in `meta.reports`.
public struct WeeklyReportResult: Sendable {
    public var facts: WeeklyFacts
    public var markdown: String
    public var html: String
    /// Locations written (Markdown, HTML, facts JSON), as the sink reports them.
    public var locations: [String]
    public var provider: String
    public var model: String?
    public var inputTokens: Int?
    public var outputTokens: Int?
    /// Numbers in the model's text that the facts do not back.
    public var unverified: [UnverifiedNumber]
}

/// Makes a weekly report: facts → prompt → model (or the facts as text) → grounding check → Markdown, HTML, JSON → sink → `meta.reports`.
public struct WeeklyReport {
    /// The relative path of a week's files without extension: `<athlete>/<YYYY-Www>`.
    public static func basePath(athlete: String, isoWeek: String) -> String { "\(athlete)/\(isoWeek)" }

    /// Reads the facts the request names: from `factsFile`, else from the marts over `connection`.
    public static func facts(for request: WeeklyReportRequest, connection: Connection?) throws -> WeeklyFacts {
        if let file = request.factsFile { return try FactsFile.read(file) }
        guard let connection else { throw ReportError.usage("reading facts from the marts needs a database connection") }
        let reader = FactsReader(connection: connection)
        let week = try ReportWeek.resolve(request.week, timezone: try reader.timezone(of: request.athlete),
                                          now: request.now, on: connection)
        return try reader.read(athlete: request.athlete, week: week)
    }

    /// The filled-in prompt for `facts` (what `--print-prompt` shows).
    public static func prompt(for facts: WeeklyFacts, request: WeeklyReportRequest) throws -> FilledPrompt {
        try PromptTemplate.load(request.promptTemplate).fill(facts: facts, language: request.language)
    }

    /// Writes the report for `facts`: asks `provider` (nil = the facts as text), checks the numbers, renders,
    /// writes `<athlete>/<YYYY-Www>.{md,html,json}` to `sink` and records the run in `meta.reports` on `connection`.
    public static func write(facts: WeeklyFacts, request: WeeklyReportRequest, provider: (any LLMProvider)?,
                             sink: any ReportSink, connection: Connection?) throws -> WeeklyReportResult {
        let prose: String
        var reply: LLMReply?
        if let provider {
            let prompt = try prompt(for: facts, request: request)
            do {
                reply = try provider.complete(LLMRequest(system: prompt.system, user: prompt.user,
                                                         model: request.model ?? ""))
            } catch let e as LLMError { throw ReportError.provider(e) }
            prose = reply?.text ?? ""
        } else {
            prose = FactsNarrative.render(facts, language: request.language)
        }
        let unverified = GroundingCheck(facts: facts).unverified(in: prose)
        let byline = ReportByline(provider: provider?.name ?? ProviderKind.none.rawValue, model: reply?.model,
                                  language: request.language)
        let markdown = MarkdownReport.render(facts: facts, prose: prose, unverified: unverified, byline: byline)
        let html = HTMLReport.render(facts: facts, prose: prose, unverified: unverified, byline: byline)
        let json = try FactsFile.encode(facts)
        let base = basePath(athlete: facts.athleteId, isoWeek: facts.isoWeek)
        let files: [(String, Data, String)] = [
            ("\(base).md", Data(markdown.utf8), "text/markdown; charset=utf-8"),
            ("\(base).html", Data(html.utf8), "text/html; charset=utf-8"),
            ("\(base).json", json, "application/json"),
        ]
        var locations: [String] = []
        do {
            for (path, data, type) in files { locations.append(try sink.write(relativePath: path, data: data, contentType: type)) }
        } catch let e as ReportError { throw e } catch { throw ReportError.output("writing \(base): \(error)") }
        let result = WeeklyReportResult(facts: facts, markdown: markdown, html: html, locations: locations,
                                        provider: byline.provider, model: reply?.model ?? request.model,
                                        inputTokens: reply?.inputTokens, outputTokens: reply?.outputTokens,
                                        unverified: unverified)
        if let connection {
            try ReportRecord(result: result, language: request.language,
                             checksums: files.map { sha256($0.1) }).save(on: connection)
        }
        return result
    }

    /// Lower-case hex SHA-256 of `data`.
    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// Reading and writing the facts JSON (`<athlete>/<YYYY-Www>.json`).
public enum FactsFile {
    /// The facts as pretty, key-sorted JSON (the same facts give the same bytes).
    public static func encode(_ facts: WeeklyFacts) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return try e.encode(facts) + Data("\n".utf8)
    }

    /// Decodes a facts file; throws ``ReportError/badFile(_:)`` naming the file and the field.
    public static func read(_ url: URL) throws -> WeeklyFacts {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ReportError.badFile("\(url.path): cannot read: \(error.localizedDescription)") }
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let facts = try d.decode(WeeklyFacts.self, from: data)
            guard facts.formatVersion == 1 else { throw ReportError.badFile("\(url.path): format_version \(facts.formatVersion) is not 1") }
            guard facts.weeks.count == 5 else { throw ReportError.badFile("\(url.path): weeks: expected 5 elements, found \(facts.weeks.count)") }
            return facts
        } catch let e as DecodingError {
            throw ReportError.badFile("\(url.path): not a facts file: \(describe(e))")
        }
    }

    private static func describe(_ e: DecodingError) -> String {
        func snake(_ key: String) -> String {
            key.reduce(into: "") { out, ch in if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) } }
        }
        func path(_ c: [CodingKey]) -> String { c.map { $0.intValue.map { "[\($0)]" } ?? snake($0.stringValue) }.joined(separator: ".") }
        switch e {
        case .keyNotFound(let k, let c): return "field \(path(c.codingPath + [k])) is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "field \(path(c.codingPath)): \(c.debugDescription)"
        case .dataCorrupted(let c): return "\(path(c.codingPath)) \(c.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}
