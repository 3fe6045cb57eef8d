import PostgresClient

/// A wall-clock date and time with no zone (what the Hevy CSV export writes).
public struct LocalDateTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int

    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        guard (1900...2200).contains(year), (1...12).contains(month),
              (1...LocalDateTime.daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.year = year; self.month = month; self.day = day; self.hour = hour; self.minute = minute
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD HH:MM`, the form PostgreSQL reads as a `timestamp`.
    public var description: String {
        var bytes: [UInt8] = []
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description`` to `out` as UTF-8 (no intermediate string).
    func appendText<Sink: ByteSink>(to out: inout Sink) {
        appendDate(to: &out)
        out.append(0x20); Self.appendTwoDigits(hour, to: &out); out.append(0x3A); Self.appendTwoDigits(minute, to: &out)
    }

    /// Appends the date alone, `YYYY-MM-DD`.
    func appendDate<Sink: ByteSink>(to out: inout Sink) {
        Self.appendTwoDigits(year / 100, to: &out); Self.appendTwoDigits(year % 100, to: &out); out.append(0x2D)
        Self.appendTwoDigits(month, to: &out); out.append(0x2D); Self.appendTwoDigits(day, to: &out)
    }

    @inline(__always)
    private static func appendTwoDigits<Sink: ByteSink>(_ v: Int, to out: inout Sink) {
        out.append(UInt8(v / 10) + 0x30); out.append(UInt8(v % 10) + 0x30)
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute) < (b.year, b.month, b.day, b.hour, b.minute)
    }
}

extension CopyTextRow {
    /// Adds a local date-time as `YYYY-MM-DD HH:MM`.
    mutating func add(_ value: LocalDateTime) { addUnescaped { value.appendText(to: &$0) } }

    /// Adds the date of a local date-time as `YYYY-MM-DD`.
    mutating func add(date value: LocalDateTime) { addUnescaped { value.appendDate(to: &$0) } }
}
