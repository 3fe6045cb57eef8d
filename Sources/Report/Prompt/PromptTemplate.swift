import Foundation

/// The system prompt and user message sent to the model.
public struct FilledPrompt: Sendable, Equatable {
    public var system: String
    public var user: String

    /// Both parts as `--print-prompt` shows them.
    public var text: String { "=== system ===\n\(system)\n\n=== user ===\n\(user)\n" }
}

/// A prompt template file: a note for analysts, then `<!-- system -->` and `<!-- user -->` sections with
/// `{{name}}` placeholders (see docs/report.md).
public struct PromptTemplate: Sendable {
    /// The file the template came from, for error messages.
    public let source: String
    let system: [(line: Int, text: String)]
    let user: [(line: Int, text: String)]

    /// The placeholders a template may use.
    public static let placeholders = ["athlete", "iso_week", "week_start", "week_end", "timezone", "language",
                                      "facts_tables", "missing_data"]

    /// Parses `text`; throws ``ReportError/badFile(_:)`` naming `source` and the line for a missing section or an unknown placeholder.
    public init(text: String, source: String) throws {
        self.source = source
        var section = 0
        var sys: [(Int, String)] = [], usr: [(Int, String)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let marker = line.trimmingCharacters(in: .whitespaces)
            if marker == "<!-- system -->" { section = 1; continue }
            if marker == "<!-- user -->" { section = 2; continue }
            guard section > 0 else { continue }
            for name in Self.names(in: line) where !Self.placeholders.contains(name) {
                throw ReportError.badFile("\(source):\(i + 1): unknown placeholder {{\(name)}} (known: \(Self.placeholders.joined(separator: ", ")))")
            }
            if section == 1 { sys.append((i + 1, line)) } else { usr.append((i + 1, line)) }
        }
        guard !sys.isEmpty else { throw ReportError.badFile("\(source): no `<!-- system -->` section") }
        guard !usr.isEmpty else { throw ReportError.badFile("\(source): no `<!-- user -->` section") }
        system = sys
        user = usr
    }

    /// The template at `url`, or the bundled `Prompts/weekly.md` when nil.
    public static func load(_ url: URL?) throws -> PromptTemplate {
        let file = try url ?? bundledTemplate()
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) }
        catch { throw ReportError.badFile("\(file.path): cannot read the prompt template: \(error.localizedDescription)") }
        return try PromptTemplate(text: text, source: file.path)
    }

    /// `Prompts/weekly.md` from the Report module's resources (next to the executable: `fitness-data-platform_Report.resources`).
    static func bundledTemplate() throws -> URL {
        let bundleName = "fitness-data-platform_Report.resources"
        var bases = [Bundle.main.bundleURL]
        if let exe = Bundle.main.executableURL { bases.append(exe.deletingLastPathComponent()) }
        bases += Bundle.allBundles.map(\.bundleURL) + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for base in bases {
            for candidate in [base.appendingPathComponent(bundleName), base.appendingPathComponent("Contents/Resources/\(bundleName)")] {
                let file = candidate.appendingPathComponent("Prompts/weekly.md")
                if FileManager.default.fileExists(atPath: file.path) { return file }
            }
        }
        throw ReportError.badFile("the bundled prompt template \(bundleName)/Prompts/weekly.md was not found next to fitdata; "
                                  + "install it beside the executable or pass --prompt-template FILE")
    }

    /// The prompt for `facts`, in `language`.
    public func fill(facts: WeeklyFacts, language: ReportLanguage) -> FilledPrompt {
        let tables = FactsTables.all(facts, language: .en).map { "\($0.title):\n" + FactsTables.markdown($0) }.joined(separator: "\n\n")
        let missing = FactsTables.missingLines(facts, language: .en)
        let values: [String: String] = [
            "athlete": facts.athleteId, "iso_week": facts.isoWeek, "week_start": facts.weekStart, "week_end": facts.weekEnd,
            "timezone": facts.timezone, "language": language == .pt ? "European Portuguese (português)" : "English",
            "facts_tables": tables.isEmpty ? "(no facts)" : tables,
            "missing_data": missing.isEmpty ? "- nothing" : missing.map { "- " + $0 }.joined(separator: "\n"),
        ]
        func render(_ lines: [(line: Int, text: String)]) -> String {
            Self.substitute(lines.map(\.text).joined(separator: "\n"), values).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return FilledPrompt(system: render(system), user: render(user))
    }

    /// `text` with each `{{name}}` replaced by `values[name]` in one pass (a value is never expanded again).
    static func substitute(_ text: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += values[name] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The `{{name}}` placeholders in `line` (names trimmed).
    static func names(in line: String) -> [String] {
        var out: [String] = []
        var rest = Substring(line)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return out
    }
}
