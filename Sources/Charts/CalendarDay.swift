/// A calendar date as a day number (days since 1970-01-01), parsed from ISO `YYYY-MM-DD` without time zones.
struct CalendarDay: Sendable, Equatable, Comparable {
    let number: Int

    init(number: Int) { self.number = number }

    /// Parses `YYYY-MM-DD` (anything after the tenth character, such as a time, is ignored); nil when not a date.
    init?(iso text: String) {
        let parts = text.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        number = Self.daysFromCivil(year: y, month: m, day: d)
    }

    var year: Int { Self.civil(number).year }
    var month: Int { Self.civil(number).month }
    var day: Int { Self.civil(number).day }

    static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.number < b.number }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// Ticks for a date axis: whole days, Mondays, month starts or year starts, as few as fit.
struct DateTicks: Sendable, Equatable {
    /// Tick positions as day numbers with their labels.
    let ticks: [(day: Int, label: String)]

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// At most `maxCount` ticks inside `first...last` (day numbers).
    init(first: Int, last: Int, maxCount: Int) {
        let span = last - first
        let maxCount = max(maxCount, 2)
        var result: [(Int, String)] = []
        // Day and week steps (weeks start on Monday: day 0, 1970-01-01, was a Thursday, so Mondays are 4 mod 7).
        for step in [1, 2, 7, 14, 28] where span / step + 1 <= maxCount {
            var d = first
            if step >= 7 { while (d - 4) % 7 != 0 { d += 1 } }
            while d <= last { result.append((d, Self.dayLabel(d))); d += step }
            ticks = result
            return
        }
        // Month steps.
        for months in [1, 2, 3, 6, 12, 24, 60] {
            var candidates: [(Int, String)] = []
            let start = CalendarDay.civil(first)
            var y = start.year, m = start.month
            if start.day != 1 { m += 1; if m > 12 { m = 1; y += 1 } }
            while true {
                let idx = (y * 12 + m - 1)
                if idx % months == 0 || months == 1 {
                    let d = CalendarDay.daysFromCivil(year: y, month: m, day: 1)
                    if d > last { break }
                    let withYear = months >= 12 || m == 1 || candidates.isEmpty
                    candidates.append((d, months >= 12 ? "\(y)" : withYear ? "\(Self.monthNames[m - 1]) \(y)" : Self.monthNames[m - 1]))
                } else if CalendarDay.daysFromCivil(year: y, month: m, day: 1) > last { break }
                m += 1; if m > 12 { m = 1; y += 1 }
            }
            if candidates.count <= maxCount {
                ticks = candidates
                return
            }
        }
        ticks = [(first, Self.dayLabel(first)), (last, Self.dayLabel(last))]
    }

    /// `5 Jan`.
    static func dayLabel(_ day: Int) -> String {
        let c = CalendarDay.civil(day)
        return "\(c.day) \(monthNames[c.month - 1])"
    }

    static func == (a: DateTicks, b: DateTicks) -> Bool {
        a.ticks.map(\.day) == b.ticks.map(\.day) && a.ticks.map(\.label) == b.ticks.map(\.label)
    }
}
