/// Python's `datetime.timedelta`: a signed duration in microseconds, shown as `days`, `seconds`, `microseconds`.
/// Durations are kept in 64-bit microseconds, so they stop at ±106751991 days where Python allows ±999999999 days (the
/// whole range of dates, 3652059 days, fits either way).
struct PyTimedelta: Hashable, Comparable {
    /// The whole duration in microseconds.
    var micros: Int

    static let maxDays = Int.max / CivilTime.microsPerDay - 1

    init(micros: Int) throws {
        guard abs(micros / CivilTime.microsPerDay) <= Self.maxDays else {
            throw PyError.overflow("days=\(micros / CivilTime.microsPerDay); must have magnitude <= \(Self.maxDays)")
        }
        self.micros = micros
    }

    var days: Int { CivilTime.floorDiv(micros, CivilTime.microsPerDay) }
    var seconds: Int { CivilTime.floorMod(micros, CivilTime.microsPerDay) / CivilTime.microsPerSecond }
    var microseconds: Int { CivilTime.floorMod(micros, CivilTime.microsPerSecond) }

    static func < (a: PyTimedelta, b: PyTimedelta) -> Bool { a.micros < b.micros }

    /// `1 day, 2:03:04.000005`, `-1 day, 23:59:59`, `0:00:00`.
    var str: String {
        let s = seconds
        var out = "\(s / 3600):" + pad(s / 60 % 60, 2) + ":" + pad(s % 60, 2)
        if days != 0 { out = "\(days) day\(abs(days) != 1 ? "s" : ""), " + out }
        if microseconds != 0 { out += "." + pad(microseconds, 6) }
        return out
    }

    /// `datetime.timedelta(days=1, seconds=5)`, `datetime.timedelta(0)`.
    var repr: String {
        var parts: [String] = []
        if days != 0 { parts.append("days=\(days)") }
        if seconds != 0 { parts.append("seconds=\(seconds)") }
        if microseconds != 0 { parts.append("microseconds=\(microseconds)") }
        return "datetime.timedelta(" + (parts.isEmpty ? "0" : parts.joined(separator: ", ")) + ")"
    }
}

/// Python's `datetime.timezone`: a fixed offset from UTC, with an optional name (`timezone.utc` is named `UTC`).
struct PyTimezone: Hashable {
    var offsetSeconds: Int
    var name: String?

    static let utc = PyTimezone(offsetSeconds: 0, name: "UTC")

    /// `str(tz)` / `tzname()`: the name, else `UTC` for a zero offset, else `UTC+02:00`.
    var str: String {
        if let name { return name }
        if offsetSeconds == 0 { return "UTC" }
        return "UTC" + Self.offsetText(offsetSeconds, colon: true)
    }

    var repr: String {
        if self == Self.utc { return "datetime.timezone.utc" }
        let td = (try? PyTimedelta(micros: offsetSeconds * CivilTime.microsPerSecond))?.repr ?? ""
        return "datetime.timezone(\(td)\(name.map { ", '\($0)'" } ?? ""))"
    }

    /// `+02:00` (colon) or `+0200`; seconds when not whole minutes.
    static func offsetText(_ seconds: Int, colon: Bool) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        let sep = colon ? ":" : ""
        var out = sign + pad(a / 3600, 2) + sep + pad(a / 60 % 60, 2)
        if a % 60 != 0 { out += sep + pad(a % 60, 2) }
        return out
    }
}

/// Python's `datetime.date`.
struct PyDate: Hashable, Comparable {
    var ordinal: Int

    init(ordinal: Int) throws {
        guard ordinal >= 1 && ordinal <= CivilTime.maxOrdinal else { throw PyError.overflow("date value out of range") }
        self.ordinal = ordinal
    }

    init(_ y: Int, _ m: Int, _ d: Int) throws {
        try CivilTime.check(y, m, d)
        ordinal = CivilTime.ordinal(y, m, d)
    }

    var ymd: (Int, Int, Int) { CivilTime.ymd(ordinal) }

    static func < (a: PyDate, b: PyDate) -> Bool { a.ordinal < b.ordinal }

    /// `2024-01-31`.
    var iso: String {
        let (y, m, d) = ymd
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    var repr: String {
        let (y, m, d) = ymd
        return "datetime.date(\(y), \(m), \(d))"
    }
}

/// Python's `datetime.datetime`: a wall-clock time with microseconds, naive or with a fixed-offset `tzinfo`.
struct PyDateTime: Hashable {
    /// Wall-clock microseconds since 0001-01-01 00:00.
    var local: Int
    var tz: PyTimezone?

    init(local: Int, tz: PyTimezone?) throws {
        guard local >= CivilTime.microsPerDay && local < (CivilTime.maxOrdinal + 1) * CivilTime.microsPerDay else {
            throw PyError.overflow("date value out of range")
        }
        self.local = local
        self.tz = tz
    }

    init(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0, _ us: Int = 0, tz: PyTimezone? = nil) throws {
        try CivilTime.check(y, m, d)
        try CivilTime.checkTime(h, mi, s, us)
        try self.init(local: CivilTime.ordinal(y, m, d) * CivilTime.microsPerDay + ((h * 60 + mi) * 60 + s) * CivilTime.microsPerSecond + us, tz: tz)
    }

    var ordinal: Int { local / CivilTime.microsPerDay }
    var date: PyDate { PyDate(uncheckedOrdinal: ordinal) }
    var ymd: (Int, Int, Int) { CivilTime.ymd(ordinal) }
    /// `(hour, minute, second, microsecond)`.
    var time: (Int, Int, Int, Int) {
        let t = local % CivilTime.microsPerDay
        let s = t / CivilTime.microsPerSecond
        return (s / 3600, s / 60 % 60, s % 60, t % CivilTime.microsPerSecond)
    }

    /// Microseconds since 0001-01-01 00:00 UTC (aware datetimes only compare and subtract this way).
    var utc: Int { local - (tz?.offsetSeconds ?? 0) * CivilTime.microsPerSecond }

    /// `HH:MM:SS[.ffffff]`.
    var timeText: String {
        let (h, mi, s, us) = time
        return pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2) + (us != 0 ? "." + pad(us, 6) : "")
    }

    /// Python's `isoformat(sep)` with `timespec='auto'`; `str()` is `isoformat(' ')`.
    func iso(sep: String = "T") -> String {
        date.iso + sep + timeText + (tz.map { PyTimezone.offsetText($0.offsetSeconds, colon: true) } ?? "")
    }

    var repr: String {
        let (y, m, d) = ymd
        var fields = [y, m, d, time.0, time.1]
        if time.2 != 0 || time.3 != 0 { fields.append(time.2) }
        if time.3 != 0 { fields.append(time.3) }
        return "datetime.datetime(" + fields.map(String.init).joined(separator: ", ") + (tz.map { ", tzinfo=\($0.repr)" } ?? "") + ")"
    }
}

extension PyDate {
    /// A date from an ordinal already known to be in range.
    init(uncheckedOrdinal: Int) { ordinal = uncheckedOrdinal }
}

/// `n` in decimal, zero-padded to `width` (a minus sign first).
func pad(_ n: Int, _ width: Int) -> String {
    let digits = String(abs(n))
    let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    return n < 0 ? "-" + padded : padded
}
