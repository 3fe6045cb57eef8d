import Foundation
import Jinja

extension LocalZone {
    /// The machine's clock and time zone (`TZ`, else the system's), as Python's `datetime` module reads them.
    static let system = LocalZone(now: { unixMicros(Date()) }, offsetAt: { micros in
        let tz = TimeZone.current
        let date = Date(timeIntervalSince1970: Double(micros) / 1e6)
        return (tz.secondsFromGMT(for: date), tz.abbreviation(for: date) ?? tz.identifier)
    })

    /// Microseconds since 1970-01-01 UTC of a `Date`.
    static func unixMicros(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1e6).rounded(.down)) }
}
