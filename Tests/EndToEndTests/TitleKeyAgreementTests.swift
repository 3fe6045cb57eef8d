import CSVStream
import FitDomain
import FitLoader
import Foundation
import PostgresClient
import Testing
import TestSupport

/// `TitleNormalizer.key` (Swift) and `fitness.title_key` (SQL) are one rule: they agree on every title.
@Suite("Title key: Swift and SQL agree")
struct TitleKeyAgreementTests {
    /// The values of `columns` in a CSV file.
    func values(of columns: [String], in url: URL) throws -> Set<String> {
        let reader = try CSVReader(url: url)
        guard let header = try reader.next()?.fields else { return [] }
        let indexes = columns.compactMap { header.firstIndex(of: $0) }
        #expect(indexes.count == columns.count, "\(url.lastPathComponent): \(columns)")
        var out = Set<String>()
        while let r = try reader.next() { for i in indexes where i < r.fields.count { out.insert(r.fields[i]) } }
        return out
    }

    /// Hostile spellings of `title`: whitespace of every kind, case, decomposed accents, stray marks.
    static func variants(_ title: String) -> [String] {
        let words = title.split(separator: " ").map(String.init)
        return [
            title,
            words.joined(separator: "\t"),
            words.joined(separator: "\u{A0}"),
            words.joined(separator: "  "),
            words.joined(separator: " \r\n "),
            words.joined(separator: "\u{3000}\u{2009}"),
            " \u{2028}" + title + "\u{85} ",
            title.uppercased(),
            title.decomposedStringWithCanonicalMapping,
            title.decomposedStringWithCanonicalMapping.uppercased(),
            words.joined(separator: " \u{301}"),          // a combining accent right after a space
            "\u{130}" + title + "\u{1E9E}",                  // İ and capital sharp s
            "ΟΔΟΣ " + title,                                // a final capital sigma
        ]
    }

    @Test func hostileVariantsAgree() throws {
        try compare(Self.variants("Extensão de Tríceps na Polia (Máquina)") + Self.variants("Bench Press (Barbell)")
                    + ["", " ", "\t\u{A0}", "A\u{0}B".replacingOccurrences(of: "\u{0}", with: ""), "ǅemal Ǆ ǆ", "ﬁ ß ẞ Ω K Å"])
    }

    @Test func seedTitlesAgree() throws {
        let seeds = TestPaths.repoRoot.appendingPathComponent("dbt_style_models/seeds")
        var titles = try values(of: ["title", "canonical_title"], in: seeds.appendingPathComponent("exercise_muscle_map.csv"))
        titles.formUnion(try values(of: ["title"], in: seeds.appendingPathComponent("exercise_muscle_overrides.csv")))
        #expect(titles.count > 50)
        try compare(titles.sorted().flatMap(Self.variants))
    }

    @Test(.enabled(if: TestPaths.realDataTestsEnabled, Comment(rawValue: TestPaths.realDataSkipReason)))
    func realExportTitlesAgree() throws {
        let dir = try TestPaths.requireSharedRealData().appendingPathComponent("hevy")
        var titles = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".csv") {
            titles.formUnion(try values(of: ["title", "exercise_title"], in: dir.appendingPathComponent(name)))
        }
        #expect(titles.count > 100)
        try compare(titles.sorted().flatMap(Self.variants))
    }

    /// Computes every key in SQL (one bound JSON parameter) and compares it with Swift's.
    func compare(_ titles: [String]) throws {
        let db = try TestDatabase.initialized(prefix: "titlekey"); defer { db.drop() }
        let c = try db.connect(); defer { c.close() }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: titles), as: UTF8.self)
        let rows = try c.query("""
            SELECT fitness.title_key(t) FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS a(t, i) ORDER BY i
            """, [json]).rows
        #expect(rows.count == titles.count)
        var mismatches = 0
        for (title, row) in zip(titles, rows) where TitleNormalizer.key(title) != row[0] {
            mismatches += 1
            if mismatches <= 5 {
                Issue.record("title \(title.unicodeScalars.map { String($0.value, radix: 16) }): Swift \(TitleNormalizer.key(title).debugDescription), SQL \((row[0] ?? "NULL").debugDescription)")
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(titles.count) titles")
    }
}
