import Foundation

/// The app languages whose month names the Hevy export uses.
public enum ExportLanguage: String, CaseIterable, Sendable {
    case english = "en", portuguese = "pt", spanish = "es", german = "de", french = "fr"

    /// Month tokens (lower-case, NFC, trailing dot removed) → month number.
    var months: [String: Int] {
        switch self {
        case .english: return Self.englishTable
        case .portuguese: return Self.portugueseTable
        case .spanish: return Self.spanishTable
        case .german: return Self.germanTable
        case .french: return Self.frenchTable
        }
    }

    private static let englishTable = buildTable(.english)
    private static let portugueseTable = buildTable(.portuguese)
    private static let spanishTable = buildTable(.spanish)
    private static let germanTable = buildTable(.german)
    private static let frenchTable = buildTable(.french)

    private static func buildTable(_ language: ExportLanguage) -> [String: Int] {
        switch language {
        case .english:
            return table([["jan", "january"], ["feb", "february"], ["mar", "march"], ["apr", "april"], ["may"],
                               ["jun", "june"], ["jul", "july"], ["aug", "august"], ["sep", "sept", "september"],
                               ["oct", "october"], ["nov", "november"], ["dec", "december"]])
        case .portuguese:
            return table([["jan", "janeiro"], ["fev", "fevereiro"], ["mar", "março", "marco"], ["abr", "abril"],
                               ["mai", "maio"], ["jun", "junho"], ["jul", "julho"], ["ago", "agosto"],
                               ["set", "setembro"], ["out", "outubro"], ["nov", "novembro"], ["dez", "dezembro"]])
        case .spanish:
            return table([["ene", "enero"], ["feb", "febrero"], ["mar", "marzo"], ["abr", "abril"], ["may", "mayo"],
                               ["jun", "junio"], ["jul", "julio"], ["ago", "agosto"], ["sep", "sept", "set", "septiembre"],
                               ["oct", "octubre"], ["nov", "noviembre"], ["dic", "diciembre"]])
        case .german:
            return table([["jan", "januar"], ["feb", "februar"], ["mär", "märz", "mrz"], ["apr", "april"], ["mai"],
                               ["jun", "juni"], ["jul", "juli"], ["aug", "august"], ["sep", "sept", "september"],
                               ["okt", "oktober"], ["nov", "november"], ["dez", "dezember"]])
        case .french:
            return table([["janv", "janvier", "jan"], ["févr", "février", "fevr", "fév"], ["mars"], ["avr", "avril"],
                               ["mai"], ["juin"], ["juil", "juillet"], ["août", "aout"], ["sept", "septembre", "sep"],
                               ["oct", "octobre"], ["nov", "novembre"], ["déc", "décembre", "dec"]])
        }
    }

    private static func table(_ names: [[String]]) -> [String: Int] {
        var d: [String: Int] = [:]
        for (i, list) in names.enumerated() { for n in list { d[n.precomposedStringWithCanonicalMapping] = i + 1 } }
        return d
    }
}

/// Parses the local, zone-less dates of Hevy exports in every app language seen.
///
/// Shapes: `8 Apr 2026, 16:50` (app, any language), `1 Sept. 2026, 07:30`, `5 févr. 2024`,
/// `Sep 22, 2026, 6:00 AM` (web, en-US), `5 9월 2026, 06:10` (Korean), `22.09.2026, 17:00`
/// (web, German) and ISO `2026-09-22 17:00[:00]`. The language is detected once per file from
/// all its month tokens (``detectLanguage(_:)``), because several tokens are shared.
public struct HevyDateParser: Sendable {
    /// The language whose month table is used.
    public let language: ExportLanguage

    public init(language: ExportLanguage) { self.language = language }

    /// Picks the language whose month table knows the most distinct month tokens in `dates`
    /// (all of them, normally). Ties (tokens shared by several languages, such as `Mar`, `Jun`, `Mai`)
    /// resolve in the order en, pt, es, de, fr. Dates whose month the chosen table lacks are then
    /// unreadable rows, rejected one by one rather than failing the file.
    public static func detectLanguage<S: Sequence>(_ dates: S) -> ExportLanguage where S.Element == String {
        var tokens = Set<String>()
        for d in dates { if let t = Tokens(d)?.monthWord { tokens.insert(t) } }
        return detectLanguage(monthWords: tokens)
    }

    /// ``detectLanguage(_:)`` from the distinct month words already taken out of the dates.
    static func detectLanguage(monthWords tokens: Set<String>) -> ExportLanguage {
        var best = ExportLanguage.english
        var bestCount = -1
        for lang in ExportLanguage.allCases {
            let table = lang.months
            let known = tokens.filter { table[$0] != nil }.count
            if known > bestCount { best = lang; bestCount = known }
        }
        return best
    }

    /// The local date-time in `text`, or nil when it cannot be read.
    public func parse(_ text: String) -> LocalDateTime? {
        guard let t = Tokens(text) else { return nil }
        return parse(t)
    }

    /// The local date-time of a date's pieces, or nil.
    func parse(_ t: Tokens) -> LocalDateTime? {
        let month: Int
        if let m = t.monthNumber { month = m }
        else if let w = t.monthWord, let m = language.months[w] { month = m }
        else { return nil }
        var hour = t.hour, minute = t.minute
        if let pm = t.pm {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        if !t.hasTime { hour = 0; minute = 0 }
        return LocalDateTime(year: t.year, month: month, day: t.day, hour: hour, minute: minute)
    }
}

/// The pieces of one date string.
struct Tokens {
    var day = 0, year = 0, hour = 0, minute = 0
    var monthWord: String?
    var monthNumber: Int?
    var pm: Bool?
    var hasTime = false

    init?(_ text: String) {
        if let t = Self.appShape(text) { self = t; return }
        let lowered = text.lowercased()
        let nfc = lowered.utf8.allSatisfy({ $0 < 0x80 }) ? lowered : lowered.precomposedStringWithCanonicalMapping
        var chars = Array(nfc.unicodeScalars)
        // trim spaces
        while let f = chars.first, f == " " || f == "\t" { chars.removeFirst() }
        while let l = chars.last, l == " " || l == "\t" { chars.removeLast() }
        guard !chars.isEmpty else { return nil }
        if let time = Self.extractTime(&chars) {
            (hour, minute, pm) = time
            hasTime = true
        }
        // the date part, without separators at its ends (and a leftover ISO "t")
        while let l = chars.last, l == " " || l == "," || l == "t" { chars.removeLast() }
        while let f = chars.first, f == " " || f == "," { chars.removeFirst() }
        let datePart = String(String.UnicodeScalarView(chars))
        // ISO 2026-09-22 / 2026-9-2, numeric day-first 22.09.2026
        for sep in ["-", "."] as [Character] where datePart.contains(sep) && datePart.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == sep) }) {
            let p = datePart.split(separator: sep).compactMap { Int($0) }
            guard p.count == 3 else { return nil }
            if sep == "-" { year = p[0]; monthNumber = p[1]; day = p[2] } else { day = p[0]; monthNumber = p[1]; year = p[2] }
            return
        }
        // words: split on spaces and commas; drop connecting words ("à", "um", "de", "at")
        let words = datePart.split(whereSeparator: { $0 == " " || $0 == "," })
            .map { String($0) }
            .filter { !["à", "a", "um", "de", "at", "del", "às", "as"].contains($0) }
        var numbers: [Int] = []
        for w in words {
            if let n = Int(w) { numbers.append(n); continue }
            if w.hasSuffix("월"), let n = Int(w.dropLast()) { monthNumber = n; continue }   // Korean "9월"
            if w.hasSuffix("."), let n = Int(w.dropLast()) { numbers.append(n); continue }  // "5." day
            var word = w
            while word.hasSuffix(".") { word.removeLast() }
            guard monthWord == nil, !word.isEmpty, word.allSatisfy({ $0.isLetter }) else { return nil }
            monthWord = word
        }
        guard numbers.count == 2, monthWord != nil || monthNumber != nil else { return nil }
        // the 4-digit number is the year; the other the day (both orders occur: "8 Apr 2026", "Sep 22, 2026")
        if numbers[0] >= 1000 { year = numbers[0]; day = numbers[1] } else { day = numbers[0]; year = numbers[1] }
        guard year >= 1000 else { return nil }
    }

    /// The app's usual shape with an ASCII month, `8 Apr 2026, 16:50` or `1 Sept. 2026, 07:30`, read
    /// straight from the bytes (a file has one or two distinct dates per workout); nil for any other shape.
    static func appShape(_ text: String) -> Tokens? {
        var text = text
        return text.withUTF8 { b -> Tokens? in
            var i = 0
            func number(_ minDigits: Int, _ maxDigits: Int) -> Int? {
                var v = 0, n = 0
                while i < b.count, n < maxDigits, b[i] >= 0x30, b[i] <= 0x39 { v = v * 10 + Int(b[i] - 0x30); i += 1; n += 1 }
                return n >= minDigits ? v : nil
            }
            func skip(_ c: UInt8) -> Bool { if i < b.count, b[i] == c { i += 1; return true }; return false }
            guard let day = number(1, 2), skip(0x20) else { return nil }
            let wordStart = i
            while i < b.count, (b[i] | 0x20) >= 0x61, (b[i] | 0x20) <= 0x7A { i += 1 }
            guard i > wordStart else { return nil }
            let word = UnsafeBufferPointer(rebasing: b[wordStart..<i])
            _ = skip(0x2E)
            guard skip(0x20), let year = number(4, 4), skip(0x2C), skip(0x20),
                  let hour = number(1, 2), skip(0x3A), let minute = number(2, 2), i == b.count else { return nil }
            var t = Tokens()
            t.day = day; t.year = year; t.hour = hour; t.minute = minute
            t.monthWord = String(decoding: word, as: UTF8.self).lowercased()   // ASCII: a small string, no allocation
            t.hasTime = true
            return t
        }
    }

    private init() {}

    /// Removes a trailing `H:MM[:SS][ am|pm]` from `chars` and returns it.
    private static func extractTime(_ chars: inout [Unicode.Scalar]) -> (Int, Int, Bool?)? {
        var end = chars.count
        var pm: Bool?
        // optional am/pm marker ("am", "a.m.", "pm", "p.m.")
        let letters = chars.filter { $0 != "." && $0 != " " }
        if letters.count >= 2, letters[letters.count - 1] == "m", ["a", "p"].contains(letters[letters.count - 2]) {
            var i = end - 1
            var seen = 0
            while i >= 0, seen < 2 || chars[i] == "." {
                if chars[i] != "." && chars[i] != " " { seen += 1 }
                i -= 1
                if seen == 2, i >= 0, chars[i] != "." { break }
            }
            pm = letters[letters.count - 2] == "p"
            end = i + 1
            while end > 0, chars[end - 1] == " " { end -= 1 }
        }
        // digits [":" digits] [":" digits] at the end
        var groups: [Int] = []
        var i = end
        while true {
            var value = 0, place = 1, digits = 0
            // at most 3 digits are read (2 are allowed): a long digit run must not overflow `place`
            while i > 0, digits < 3, let d = chars[i - 1].properties.numericType != nil ? Int(String(chars[i - 1])) : nil, chars[i - 1].isASCII {
                value += d * place; place *= 10; digits += 1; i -= 1
            }
            guard digits > 0, digits <= 2 else { return nil }
            groups.insert(value, at: 0)
            if i > 0, chars[i - 1] == ":", groups.count < 3 { i -= 1; continue }
            break
        }
        guard groups.count >= 2 else { return nil }
        chars.removeSubrange(i..<chars.count)
        return (groups[0], groups[1], pm)
    }
}
