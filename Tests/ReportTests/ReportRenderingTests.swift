import Foundation
import Testing
@testable import Report

@Suite("Report rendering")
struct ReportRenderingTests {
    @Test func modelProseIsEscapedAndMarkdownIsMinimal() {
        let html = MiniMarkdown.html("""
            ### Training
            You did **3** sessions <script>alert(1)</script> and [a link](https://evil.example/x.png).
            - first *item*
            - second_item_here
            1. one
            """)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("<h5>Training</h5>"))
        #expect(html.contains("<strong>3</strong>"))
        #expect(html.contains("<ul><li>first <em>item</em></li><li>second_item_here</li></ul>\n<ol><li>one</li></ol>"))
        #expect(!html.contains("href"))
    }

    @Test func htmlIsSelfContainedWithTablesFromTheFacts() {
        let facts = groundingFacts()
        let html = HTMLReport.render(facts: facts, prose: "Nothing <b>here</b>.", unverified: [UnverifiedNumber(text: "9 kg", context: "x 9 kg")],
                                     byline: ReportByline(provider: "openai", model: "m", language: .en))
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(!html.contains("src=\"http"), "no external assets")
        #expect(!html.contains("href=\"http"))
        #expect(html.contains("&lt;b&gt;here&lt;/b&gt;"))
        #expect(html.contains("<h2>Could not verify</h2>"))
        #expect(html.contains("<th scope=\"row\">Tonnage (kg)</th>"))
        #expect(html.contains("<td>12346</td>"))
        #expect(html.contains("Squat (Barbell)"))
    }

    @Test func noneNarrativeVerifiesEveryNumberInBothLanguages() {
        let facts = groundingFacts()
        for language in ReportLanguage.allCases {
            let text = FactsNarrative.render(facts, language: language)
            #expect(GroundingCheck(facts: facts).unverified(in: text) == [], "\(language): \(text)")
        }
        let pt = FactsNarrative.render(facts, language: .pt)
        let md = MarkdownReport.render(facts: facts, prose: pt, unverified: [], byline: ReportByline(provider: "none", model: nil, language: .pt))
        #expect(md.contains("(Europe/Lisbon). Escrito sem modelo de linguagem: são os factos da semana em texto.\n"))
        #expect(!md.contains("Não foi possível verificar"))
        #expect(pt.contains("2450 kcal por dia em 6 dias registados"))
        #expect(pt.contains("80,12 kg"))
        let en = FactsNarrative.render(facts, language: .en)
        #expect(en.contains("Training: 3 sessions against a target of 4 (75%), -1 vs the week before."))
    }

    @Test func factsJSONRoundTrips() throws {
        let facts = groundingFacts()
        let data = try FactsFile.encode(facts)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("facts-\(UUID().uuidString).json")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try FactsFile.read(url) == facts)
        #expect(String(decoding: data, as: UTF8.self).contains("\"e1rm_kg\""))
    }

    @Test func aBrokenFactsFileNamesTheFileAndField() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json")
        var object = try JSONSerialization.jsonObject(with: FactsFile.encode(groundingFacts())) as! [String: Any]
        object.removeValue(forKey: "iso_week")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect { try FactsFile.read(url) } throws: { e in
            "\(e)".contains(url.path) && "\(e)".contains("iso_week")
        }
    }
}

@Suite("Prompt template")
struct PromptTemplateTests {
    @Test func unknownPlaceholderNamesFileAndLine() {
        #expect { try PromptTemplate(text: "note\n<!-- system -->\nHi {{athlete}}\n<!-- user -->\n{{facts}}\n", source: "t.md") } throws: { e in
            "\(e)" .hasPrefix("t.md:5: unknown placeholder {{facts}}")
        }
    }

    @Test func missingSectionIsAnError() {
        #expect(throws: ReportError.self) { try PromptTemplate(text: "<!-- system -->\nonly system\n", source: "t.md") }
    }

    @Test func valuesAreSubstitutedOnce() throws {
        var facts = groundingFacts()
        facts.athleteId = "{{timezone}}"
        let p = try PromptTemplate(text: "<!-- system -->\nCoach {{ athlete }}.\n<!-- user -->\n{{iso_week}}\n{{missing_data}}", source: "t")
            .fill(facts: facts, language: .pt)
        #expect(p.system == "Coach {{timezone}}.")
        #expect(p.user.hasPrefix("2026-W47\n- 2026-W47: food logged on 6 of 7 days"))
    }

    @Test func bundledTemplateHasTheRulesAndTheFacts() throws {
        let p = try PromptTemplate.load(nil).fill(facts: groundingFacts(), language: .pt)
        #expect(p.system.contains("Use only the facts given"))
        #expect(p.system.contains("medical"))
        #expect(p.system.contains("European Portuguese"))
        #expect(p.user.contains("| Tonnage (kg) | 12950 | 6000 | 12800 | 13001 | 12346 | -655 |"))
        #expect(p.user.contains("| Squat (Barbell) | 132.25 | 135 | – | 138 | 140.5 | +5.5 |"))
    }
}
