/// The export-file spellings the sample writers share: Hevy's header, quoting, month names and numbers.
enum SampleText {
    /// The Hevy workout export header (kilograms and kilometres).
    static let hevyHeader = "\"title\",\"start_time\",\"end_time\",\"description\",\"exercise_title\",\"superset_id\",\"exercise_notes\",\"set_index\",\"set_type\",\"weight_kg\",\"reps\",\"distance_km\",\"duration_seconds\",\"rpe\""
    /// The same header for an app set to pounds and miles.
    static let hevyHeaderImperial = hevyHeader.replacingOccurrences(of: "weight_kg", with: "weight_lbs")
        .replacingOccurrences(of: "distance_km", with: "distance_miles")
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `s` in double quotes, inner quotes doubled (RFC 4180, as Hevy writes every text field).
    static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A Hevy time stamp, `22 Nov 2026, 18:05`, for `minute` minutes after midnight of `day`.
    static func hevyStamp(_ day: CivilDay, minute: Int) -> String {
        let d = CivilDay(day.number + minute / 1_440).parts
        let m = minute % 1_440
        return "\(d.day) \(months[d.month - 1]) \(d.year), \(twoDigits(m / 60)):\(twoDigits(m % 60))"
    }

    /// `2026-11-22`.
    static func isoDate(_ day: CivilDay) -> String {
        let d = day.parts
        return "\(d.year)-\(twoDigits(d.month))-\(twoDigits(d.day))"
    }

    /// `11/22/26` (month first, two-digit year), as a US-locale spreadsheet saves dates.
    static func usShortDate(_ day: CivilDay) -> String {
        let d = day.parts
        return "\(d.month)/\(d.day)/\(twoDigits(d.year % 100))"
    }

    /// A value given in 1/`scale` units as a plain decimal with trailing zeros dropped (`12.5`, `80`, `-25`).
    static func decimal(_ units: Int, scale: Int = 100) -> String {
        let sign = units < 0 ? "-" : ""
        let whole = abs(units) / scale
        var frac = abs(units) % scale
        guard frac != 0 else { return sign + String(whole) }
        var digits = 0, s = scale
        while s > 1 { s /= 10; digits += 1 }
        var text = String(frac)
        text = String(repeating: "0", count: digits - text.count) + text
        while text.hasSuffix("0") { text.removeLast(); frac /= 10 }
        return sign + String(whole) + "." + text
    }

    /// A value in hundredths with exactly two decimals (`2850.00`), as Cronometer writes numbers.
    static func cents(_ v: Int) -> String {
        (v < 0 ? "-" : "") + String(abs(v) / 100) + "." + twoDigits(abs(v) % 100)
    }

    /// A value in tenths with exactly one decimal (`788.8`), as MyFitnessPal writes numbers.
    static func tenths(_ v: Int) -> String { (v < 0 ? "-" : "") + String(abs(v) / 10) + "." + String(abs(v) % 10) }

    static func twoDigits(_ v: Int) -> String { v < 10 ? "0" + String(v) : String(v) }
}

/// A calendar day as a count of days since 1970-01-01 (proleptic Gregorian), without Foundation's
/// calendar: the many-athlete writer formats millions of dates.
struct CivilDay: Hashable, Comparable {
    let number: Int
    init(_ number: Int) { self.number = number }

    /// The day `year-month-day` (Howard Hinnant's days_from_civil).
    init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = era * 146_097 + doe - 719_468
    }

    /// Year, month (1–12) and day (1–31).
    var parts: (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    var weekday: Int { ((number % 7) + 7 + 3) % 7 }

    func adding(_ days: Int) -> CivilDay { CivilDay(number + days) }
    static func < (a: CivilDay, b: CivilDay) -> Bool { a.number < b.number }
}
