/// A calendar date without a time, as nutrition and body-weight exports write them.
///
/// Accepted: `YYYY-MM-DD` and unpadded `YYYY-M-D` (Cronometer), and slash dates `M/D/YYYY`, `M/D/YY`
/// (spreadsheet re-saves, MacroFactor). Slash dates are month first unless the file shows otherwise
/// (see ``SlashDateOrder``). A two-digit year `YY` is 20YY for 00–68 and 19YY for 69–99 (the POSIX
/// `strptime %y` pivot).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.days(inMonth: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    static func days(inMonth m: Int, year y: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The year a two-digit year stands for.
    static func expandYear(_ yy: Int) -> Int { yy <= 68 ? 2000 + yy : 1900 + yy }

    /// `YYYY-MM-DD`, as PostgreSQL reads a `date`.
    public var description: String {
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Reads `text` (trimmed); slash dates in `order`. Nil when it is not a valid date.
    public static func parse(_ text: String, order: SlashDateOrder = .monthFirst) -> CalendarDate? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.contains("-") {
            let p = t.split(separator: "-", omittingEmptySubsequences: false)
            guard p.count == 3, p[0].count == 4, let y = digits(p[0]), let m = digits(p[1], max: 2), let d = digits(p[2], max: 2)
            else { return nil }
            return CalendarDate(year: y, month: m, day: d)
        }
        guard let (a, b, y) = slashParts(t) else { return nil }
        return order == .monthFirst ? CalendarDate(year: y, month: a, day: b) : CalendarDate(year: y, month: b, day: a)
    }

    /// The two leading numbers and the (expanded) year of a slash date, or nil.
    static func slashParts(_ t: String) -> (Int, Int, Int)? {
        let p = t.split(separator: "/", omittingEmptySubsequences: false)
        guard p.count == 3, let a = digits(p[0], max: 2), let b = digits(p[1], max: 2), let y = digits(p[2], max: 4),
              p[2].count == 2 || p[2].count == 4 else { return nil }
        return (a, b, p[2].count == 2 ? expandYear(y) : y)
    }

    private static func digits(_ s: Substring, max: Int = 4) -> Int? {
        guard !s.isEmpty, s.count <= max, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }
}

/// Whether a file's slash dates are `M/D/Y` or `D/M/Y`, decided once per file from all its dates.
public enum SlashDateOrder: String, Sendable, Codable {
    case monthFirst, dayFirst

    /// Month first, unless some date can only be day first (`25/12/2024`). Throws when the file has
    /// dates that can only be read one way and others that can only be read the other way.
    static func detect(_ texts: [String]) throws -> SlashDateOrder {
        var dayFirstOnly: String?, monthFirstOnly: String?
        for t in texts {
            guard let (a, b, _) = CalendarDate.slashParts(t.trimmingCharacters(in: .whitespaces)) else { continue }
            if a > 12, b <= 12 { dayFirstOnly = dayFirstOnly ?? t }
            if b > 12, a <= 12 { monthFirstOnly = monthFirstOnly ?? t }
        }
        if let d = dayFirstOnly, let m = monthFirstOnly {
            throw AmbiguousDates(dayFirst: d, monthFirst: m)
        }
        return dayFirstOnly != nil ? .dayFirst : .monthFirst
    }

    /// A file mixes day-first and month-first slash dates.
    struct AmbiguousDates: Error, CustomStringConvertible {
        let dayFirst: String, monthFirst: String
        var description: String {
            "dates are written both day first (\(dayFirst)) and month first (\(monthFirst)); cannot tell which is which"
        }
    }
}
