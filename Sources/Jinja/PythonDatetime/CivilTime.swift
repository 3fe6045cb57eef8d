/// The arithmetic of Python's `datetime` module: proleptic Gregorian ordinals (day 1 = 0001-01-01), microseconds, and
/// Python's range checks, as in CPython's `Lib/_pydatetime.py`.
enum CivilTime {
    static let microsPerSecond = 1_000_000
    static let microsPerDay = 86_400 * 1_000_000
    static let maxOrdinal = 3_652_059   // 9999-12-31

    private static let daysInMonth = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    private static let daysBeforeMonth: [Int] = {
        var out = [0], total = 0
        for m in 1...12 { out.append(total); total += daysInMonth[m] }
        return out
    }()

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func days(inMonth m: Int, of y: Int) -> Int { m == 2 && isLeap(y) ? 29 : daysInMonth[m] }

    static func daysBefore(year y: Int) -> Int {
        let y1 = y - 1
        return y1 * 365 + y1 / 4 - y1 / 100 + y1 / 400
    }

    static func daysBefore(month m: Int, of y: Int) -> Int { daysBeforeMonth[m] + (m > 2 && isLeap(y) ? 1 : 0) }

    /// The ordinal of a valid date.
    static func ordinal(_ y: Int, _ m: Int, _ d: Int) -> Int { daysBefore(year: y) + daysBefore(month: m, of: y) + d }

    /// `(year, month, day)` of an ordinal (CPython's `_ord2ymd`).
    static func ymd(_ ordinal: Int) -> (Int, Int, Int) {
        var n = ordinal - 1
        let n400 = n / 146_097; n %= 146_097
        var year = n400 * 400 + 1
        let n100 = n / 36_524; n %= 36_524
        let n4 = n / 1_461; n %= 1_461
        let n1 = n / 365; n %= 365
        year += n100 * 100 + n4 * 4 + n1
        if n1 == 4 || n100 == 4 { return (year - 1, 12, 31) }
        let leap = n1 == 3 && (n4 != 24 || n100 == 3)
        var month = (n + 50) >> 5
        var preceding = daysBeforeMonth[month] + (month > 2 && leap ? 1 : 0)
        if preceding > n {
            month -= 1
            preceding -= daysInMonth[month] + (month == 2 && leap ? 1 : 0)
        }
        return (year, month, n - preceding + 1)
    }

    /// Python's checks of `date(y, m, d)`.
    static func check(_ y: Int, _ m: Int, _ d: Int) throws {
        guard (1...9999).contains(y) else { throw PyError.value("year \(y) is out of range") }
        guard (1...12).contains(m) else { throw PyError.value("month must be in 1..12") }
        guard d >= 1 && d <= days(inMonth: m, of: y) else { throw PyError.value("day is out of range for month") }
    }

    /// Python's checks of the time fields.
    static func checkTime(_ h: Int, _ mi: Int, _ s: Int, _ us: Int) throws {
        guard (0...23).contains(h) else { throw PyError.value("hour must be in 0..23") }
        guard (0...59).contains(mi) else { throw PyError.value("minute must be in 0..59") }
        guard (0...59).contains(s) else { throw PyError.value("second must be in 0..59") }
        guard (0...999_999).contains(us) else { throw PyError.value("microsecond must be in 0..999999") }
    }

    /// Monday = 0 … Sunday = 6.
    static func weekday(_ ordinal: Int) -> Int { (ordinal + 6) % 7 }

    /// The ordinal of the Monday of ISO week 1 of `year`.
    static func isoWeek1Monday(_ year: Int) -> Int {
        let first = ordinal(year, 1, 1)
        let wd = weekday(first)
        return first - wd + (wd > 3 ? 7 : 0)
    }

    /// `(iso year, iso week, iso weekday)` (CPython's `isocalendar`).
    static func isoCalendar(_ ord: Int) -> (Int, Int, Int) {
        var (year, _, _) = ymd(ord)
        var monday = isoWeek1Monday(year)
        var week = floorDiv(ord - monday, 7), day = floorMod(ord - monday, 7)
        if week < 0 {
            year -= 1
            monday = isoWeek1Monday(year)
            week = floorDiv(ord - monday, 7); day = floorMod(ord - monday, 7)
        } else if week >= 52, ord >= isoWeek1Monday(year + 1) {
            year += 1
            week = 0
        }
        return (year, week + 1, day + 1)
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { let q = a / b; return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q }
    static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }

    /// Python's `round()` of a double to an integer: half to even.
    static func roundHalfEven(_ d: Double) -> Int { Int(d.rounded(.toNearestOrEven)) }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}

/// Python's exceptions raised by the `datetime` module, as Jinja runtime errors with Python's wording.
enum PyError {
    static func value(_ message: String) -> JinjaError { JinjaError.runtime("ValueError: " + message) }
    static func type(_ message: String) -> JinjaError { JinjaError.runtime("TypeError: " + message) }
    static func overflow(_ message: String) -> JinjaError { JinjaError.runtime("OverflowError: " + message) }
}
