import Testing
@testable import FitLoader

@Suite("Hevy dates in every export language")
struct HevyDateParserTests {
    func parse(_ s: String, _ lang: ExportLanguage) -> String? {
        HevyDateParser(language: lang).parse(s)?.description
    }

    @Test func english() {
        #expect(parse("8 Apr 2026, 16:50", .english) == "2026-04-08 16:50")
        #expect(parse("24 Oct 2025, 07:03", .english) == "2025-10-24 07:03")
    }

    @Test func portuguese() {
        #expect(parse("5 Mai 2026, 07:34", .portuguese) == "2026-05-05 07:34")
        #expect(parse("12 Set 2024, 18:00", .portuguese) == "2024-09-12 18:00")
        #expect(parse("1 Out 2023, 06:00", .portuguese) == "2023-10-01 06:00")
        #expect(parse("3 Fev 2024, 10:15", .portuguese) == "2024-02-03 10:15")
    }

    @Test func german() {
        #expect(parse("1 Sept. 2026, 07:30", .german) == "2026-09-01 07:30")
        #expect(parse("16 Juni 2026, 18:05", .german) == "2026-06-16 18:05")
        #expect(parse("3 März 2026, 09:00", .german) == "2026-03-03 09:00")
        #expect(parse("22.09.2026, 17:00", .german) == "2026-09-22 17:00")
    }

    @Test func french() {
        #expect(parse("5 févr. 2024", .french) == "2024-02-05 00:00")
        #expect(parse("5 févr. 2024, 18:30", .french) == "2024-02-05 18:30")
        #expect(parse("18 sept. 2026 à 07:05", .french) == "2026-09-18 07:05")
    }

    @Test func spanish() {
        #expect(parse("27 abr 2026", .spanish) == "2026-04-27 00:00")
        #expect(parse("2 ene 2026, 08:10", .spanish) == "2026-01-02 08:10")
    }

    @Test func usWebExportWithTwelveHourClock() {
        #expect(parse("Sep 22, 2026, 6:00 AM", .english) == "2026-09-22 06:00")
        #expect(parse("Sep 22, 2026, 12:00 AM", .english) == "2026-09-22 00:00")
        #expect(parse("Sep 22, 2026, 12:30 PM", .english) == "2026-09-22 12:30")
        #expect(parse("Sep 22, 2026, 6:05 PM", .english) == "2026-09-22 18:05")
    }

    @Test func koreanAndISO() {
        #expect(parse("5 9월 2026, 06:10", .english) == "2026-09-05 06:10")
        #expect(parse("2026-09-22 17:00:00", .english) == "2026-09-22 17:00")
    }

    @Test func invalidDates() {
        #expect(parse("31 Feb 2026, 10:00", .english) == nil)
        #expect(parse("8 Foo 2026, 16:50", .english) == nil)
        #expect(parse("8 Apr 2026, 25:00", .english) == nil)
        #expect(parse("yesterday", .english) == nil)
        #expect(parse("", .english) == nil)
    }

    @Test func languageDetectionUsesAllTokens() {
        // Mar/Jun/Jul are English and Portuguese; Set/Out decide Portuguese
        #expect(HevyDateParser.detectLanguage(["1 Mar 2026, 10:00", "1 Jun 2026, 10:00", "1 Set 2026, 10:00"]) == .portuguese)
        #expect(HevyDateParser.detectLanguage(["1 Mar 2026, 10:00", "1 Jun 2026, 10:00"]) == .english)
        #expect(HevyDateParser.detectLanguage(["1 Mai 2026, 10:00", "1 Dez 2026, 10:00", "1 Okt 2026, 10:00"]) == .german)
        #expect(HevyDateParser.detectLanguage(["1 Mai 2026, 10:00", "1 Dez 2026, 10:00", "1 Out 2026, 10:00"]) == .portuguese)
        #expect(HevyDateParser.detectLanguage(["1 févr. 2024", "3 mars 2024"]) == .french)
        #expect(HevyDateParser.detectLanguage(["27 abr 2026", "2 ene 2026"]) == .spanish)
        #expect(HevyDateParser.detectLanguage(["1 Sept. 2026, 07:30", "16 Juni 2026, 18:05"]) == .german)
    }
}
