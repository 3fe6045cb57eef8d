import LLMProviders

/// Who wrote a report's text, shown under its title.
struct ReportByline: Sendable {
    let provider: String
    let model: String?
    let language: ReportLanguage

    /// `Text written by openai (gpt-4o-mini).`, or the without-a-model sentence for `none`.
    var text: String {
        let s = ReportStrings.of(language)
        if provider == ProviderKind.none.rawValue { return s.withoutModel }
        return "\(s.writtenBy) \(provider)" + (model.map { " (\($0))" } ?? "") + "."
    }
}

/// The report as Markdown: title, byline, the prose, the facts tables and missing data, and last "could not verify".
enum MarkdownReport {
    static func render(facts f: WeeklyFacts, prose: String, unverified: [UnverifiedNumber], byline: ReportByline) -> String {
        let s = ReportStrings.of(byline.language)
        var out = ["# \(s.title) · \(f.athleteId) · \(f.isoWeek)", "", "\(f.weekStart) – \(f.weekEnd) (\(f.timezone)). \(byline.text)", ""]
        out.append(prose.trimmingCharacters(in: .whitespacesAndNewlines))
        out.append("")
        out += ["## \(s.tablesHeading)", ""]
        for t in FactsTables.all(f, language: byline.language) {
            out += ["### \(t.title)", "", FactsTables.markdown(t), ""]
        }
        let missing = FactsTables.missingLines(f, language: byline.language)
        if !missing.isEmpty {
            out += ["### \(s.missingHeading)", ""] + missing.map { "- \($0)" } + [""]
        }
        if !unverified.isEmpty {
            out += ["## \(s.couldNotVerify)", "", s.couldNotVerifyIntro, ""]
            out += unverified.map { "- `\($0.text)`: “\($0.context)”" }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}
