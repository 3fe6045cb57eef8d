import Foundation
import LLMProviders

/// Why a weekly report could not be made; the message names the athlete, week, file or call involved.
public enum ReportError: Error, Sendable, CustomStringConvertible {
    /// `--week` is not `YYYY-Www` or `latest`, or names a week the year does not have.
    case badWeek(String)
    /// No athlete with that id in `core.athletes`.
    case unknownAthlete(String)
    /// The marts are not built in this database.
    case martsMissing(String)
    /// The athlete has no row in `mart_weekly_report` for the week.
    case noData(athlete: String, week: String, detail: String)
    /// A prompt template or facts file could not be used (file, line, what).
    case badFile(String)
    /// Bad option combination or value.
    case usage(String)
    /// The model call failed.
    case provider(LLMError)
    /// Writing an output or the run record failed.
    case output(String)

    /// True for bad usage or configuration (exit 2); false when the work failed (exit 1).
    public var isConfiguration: Bool {
        switch self {
        case .badWeek, .unknownAthlete, .martsMissing, .noData, .badFile, .usage: return true
        case .provider(let e): if case .configuration = e { return true } else { return false }
        case .output: return false
        }
    }

    public var description: String {
        switch self {
        case .badWeek(let m), .badFile(let m), .usage(let m), .output(let m), .martsMissing(let m): return m
        case .unknownAthlete(let a): return "athlete \"\(a)\" is not in core.athletes (load data with --athlete \(a) first)"
        case .noData(let a, let w, let d): return "athlete \"\(a)\" has no data in marts.mart_weekly_report for \(w): \(d)"
        case .provider(let e): return e.description
        }
    }
}
