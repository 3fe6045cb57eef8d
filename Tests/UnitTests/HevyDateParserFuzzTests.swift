import Foundation
import Testing
@testable import FitLoader

/// Property and mutation fuzzing of the Hevy date parser (issue 10 item 10).
@Suite("Hevy date parser fuzzing")
struct HevyDateParserFuzzTests {
    static func randomDate(_ rng: inout SplitMix64) -> LocalDateTime {
        while true {
            if let d = LocalDateTime(year: Int.random(in: 1900...2200, using: &rng), month: Int.random(in: 1...12, using: &rng),
                                     day: Int.random(in: 1...31, using: &rng), hour: Int.random(in: 0...23, using: &rng),
                                     minute: Int.random(in: 0...59, using: &rng)) { return d }
        }
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `d` written in one of the export shapes, with a month word of `language`.
    static func format(_ d: LocalDateTime, _ language: ExportLanguage, _ rng: inout SplitMix64) -> String {
        let words = language.months.filter { $0.value == d.month }.map(\.key).sorted()
        var word = words.randomElement(using: &rng)!
        if Bool.random(using: &rng) { word = word.prefix(1).uppercased() + word.dropFirst() }
        if Bool.random(using: &rng), word.count > 3 { word += "." }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return "\(d.day) \(word) \(d.year), \(two(d.hour)):\(two(d.minute))"            // app
        case 1:                                                                               // web, en-US
            let h = d.hour % 12 == 0 ? 12 : d.hour % 12
            return "\(word) \(d.day), \(d.year), \(h):\(two(d.minute)) \(d.hour < 12 ? "AM" : "PM")"
        case 2: return "\(d.year)-\(two(d.month))-\(two(d.day)) \(two(d.hour)):\(two(d.minute))"   // ISO
        case 3: return "\(two(d.day)).\(two(d.month)).\(d.year), \(two(d.hour)):\(two(d.minute))"   // web, German
        default: return "  \(d.day) \(word) \(d.year), \(d.hour):\(two(d.minute))  "              // padded, one-digit hour
        }
    }

    @Test func everyShapeRoundTripsInEveryLanguage() {
        FuzzBudget.run("date-roundtrip", shortIterations: 2_000) { rng, _ in
            let d = Self.randomDate(&rng)
            let language = ExportLanguage.allCases.randomElement(using: &rng)!
            let text = Self.format(d, language, &rng)
            #expect(HevyDateParser(language: language).parse(text) == d, "\(text) (\(language))")
        }
    }

    /// Pieces of dates, for random and mutated texts.
    static let pieces = ["1", "12", "2026", "0", "99", ":", ", ", ".", "-", " ", "am", "p.m.", "PM", "Apr", "févr.", "März",
                         "9월", "à", "de", "T", "\t", "٣", "¹", "Ⅻ", "\u{0301}", "99999999999999999999999", "ß", "İ"]

    @Test func randomTextsParseToAValidTimeOrNil() {
        FuzzBudget.run("date-random", shortIterations: 3_000) { rng, _ in
            let text = (0..<Int.random(in: 0...10, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
            for language in ExportLanguage.allCases {
                if let d = HevyDateParser(language: language).parse(text) {
                    #expect(LocalDateTime(year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute) == d)
                }
            }
            _ = HevyDateParser.detectLanguage([text])
        }
    }

    @Test func mutatedExportDatesParseToAValidTimeOrNil() {
        let seeds = ["8 Apr 2026, 16:50", "5 Mai 2026, 07:34", "1 Sept. 2026, 07:30", "Sep 22, 2026, 6:00 AM",
                     "5 9월 2026, 06:10", "22.09.2026, 17:00", "2026-09-22 17:00:00", "18 sept. 2026 à 07:05", "5 févr. 2024"]
        FuzzBudget.run("date-mutation", shortIterations: 3_000) { rng, _ in
            let bytes = Array(seeds.randomElement(using: &rng)!.utf8).mutated(&rng, times: Int.random(in: 1...6, using: &rng))
            let text = String(decoding: bytes, as: UTF8.self)
            let language = ExportLanguage.allCases.randomElement(using: &rng)!
            if let d = HevyDateParser(language: language).parse(text) {
                #expect(LocalDateTime(year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute) == d)
            }
        }
    }

    @Test func aLongDigitRunInTheTimeIsUnreadableNotACrash() {
        // found by date-random: 20 digits after the colon overflowed the place value (a trap)
        #expect(HevyDateParser(language: .english).parse("1 Apr 2026, 12:99999999999999999999999") == nil)
        #expect(HevyDateParser(language: .english).parse("1 Apr 2026, 99999999999999999999999:30") == nil)
    }
}
