import Foundation
import PostgresClient

/// An ISO week label (`2026-W47`) and how `--week` resolves to one.
public struct ReportWeek: Sendable, Equatable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// The label, `YYYY-Www`.
    public var description: String { String(format: "%04d-W%02d", year, week) }

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    /// Parses `YYYY-Www` (also `YYYYWww`, `yyyy-www`); the week must exist in that ISO year (checked by ``monday(on:)``).
    public static func parse(_ text: String) throws -> ReportWeek {
        let t = text.uppercased()
        let parts = t.split(separator: "W", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ReportError.badWeek("--week \(text): use YYYY-Www (e.g. 2026-W47) or latest") }
        let yearPart = parts[0].hasSuffix("-") ? parts[0].dropLast() : parts[0]
        guard yearPart.count == 4, parts[1].count == 2, let y = Int(yearPart), let w = Int(parts[1]),
              yearPart.allSatisfy(\.isNumber), parts[1].allSatisfy(\.isNumber), w >= 1, w <= 53 else {
            throw ReportError.badWeek("--week \(text): use YYYY-Www (e.g. 2026-W47) or latest")
        }
        return ReportWeek(year: y, week: w)
    }

    /// Monday of this week, `YYYY-MM-DD`; throws ``ReportError/badWeek(_:)`` for a week 53 the year does not have.
    public func monday(on connection: Connection) throws -> String {
        let row = try connection.query("""
            SELECT d::text, to_char(d, 'IYYY-"W"IW') FROM (SELECT to_date($1, 'IYYY-IW') AS d) s
            """, [String(format: "%04d-%02d", year, week)]).rows[0]
        guard row[1] == description, let monday = row[0] else {
            throw ReportError.badWeek("--week \(description): ISO year \(year) has no week \(week)")
        }
        return monday
    }

    /// `--week` as given: `latest` is the last complete ISO week (Monday..Sunday) in `timezone` at `now`.
    public static func resolve(_ text: String, timezone: String, now: Date, on connection: Connection) throws -> ReportWeek {
        guard text.lowercased() == "latest" else { return try parse(text) }
        let label = try connection.query("""
            SELECT to_char(date_trunc('week', to_timestamp($1::double precision) AT TIME ZONE $2)::date - 7, 'IYYY-"W"IW')
            """, [now.timeIntervalSince1970, timezone]).scalar ?? ""
        return try parse(label)
    }
}
