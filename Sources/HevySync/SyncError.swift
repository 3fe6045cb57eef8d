import Foundation
import HTTPKit

/// Why a sync could not start or did not finish; each case names the HTTP call or the setting at fault.
///
/// Messages never contain the API key: requests carry it only in a header, and any response text
/// quoted here passes through ``SecretRedactor`` first.
public enum HevySyncError: Error, Sendable, CustomStringConvertible {
    /// `HEVY_API_KEY` is unset or empty.
    case missingAPIKey
    /// A setting is unusable (bad `HEVY_API_URL`, `--since`, time zone …).
    case configuration(String)
    /// The database lacks the tables or columns this sync writes.
    case schemaNotReady(String)
    /// HTTP 401 or 403: the key is wrong, revoked, or Hevy Pro lapsed.
    case unauthorized(status: Int, call: String)
    /// An HTTP status that retrying cannot fix (400, 404 where not paging, 409 …).
    case httpStatus(status: Int, call: String, body: String)
    /// HTTP 404 where the API must answer (the first page of a listing, the workout count): a wrong `HEVY_API_URL`.
    case notFound(call: String, url: String)
    /// A response body larger than the configured cap (`--max-response-mb`).
    case responseTooLarge(call: String, limit: Int)
    /// Retries were exhausted on 429, 5xx, timeouts or connection failures.
    case retriesExhausted(call: String, attempts: Int, lastProblem: String)
    /// 429 with a `Retry-After` longer than the configured ceiling.
    case rateLimited(call: String, retryAfter: Double)
    /// A response body that is not JSON, or not the documented shape; kept in `raw.rejects`.
    case malformedResponse(call: String, url: String, detail: String)
    /// Another sync holds this athlete's lock.
    case lockTimeout(athleteID: String, seconds: Double)
    /// The run stopped on purpose after N committed pages (a test hook simulating a kill).
    case interrupted(afterPages: Int)
    /// A database statement failed.
    case database(String)

    public var description: String {
        switch self {
        case .missingAPIKey:
            return "HEVY_API_KEY is not set: get a key at https://hevy.com/settings?developer (Hevy Pro) and export HEVY_API_KEY"
        case .configuration(let m):
            return m
        case .schemaNotReady(let m):
            return "the database is not ready for the Hevy sync (\(m)): run `fitdata db init`"
        case .unauthorized(let status, let call):
            return "\(call): HTTP \(status): the Hevy API key was refused: check HEVY_API_KEY, or whether the Hevy Pro subscription lapsed"
        case .httpStatus(let status, let call, let body):
            return "\(call): HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
        case .notFound(let call, let url):
            return "\(call): HTTP 404 from \(url): no Hevy API there; check HEVY_API_URL (default https://api.hevyapp.com); the watermark was not moved"
        case .responseTooLarge(let call, let limit):
            return "\(call): response body larger than \(formatBytes(limit)) (--max-response-mb); abandoned unread; the watermark was not moved"
        case .retriesExhausted(let call, let attempts, let last):
            return "\(call): gave up after \(attempts) attempts (\(last)); the watermark was not moved, rerun later"
        case .rateLimited(let call, let retryAfter):
            return "\(call): rate limited, Hevy asks to wait \(Int(retryAfter)) s (more than allowed); rerun later"
        case .malformedResponse(let call, _, let detail):
            return "\(call): malformed response (\(detail)); kept in raw.rejects; the watermark was not moved"
        case .lockTimeout(let athlete, let seconds):
            return "another Hevy sync for athlete '\(athlete)' is running; gave up waiting after \(formatSeconds(seconds)) s"
        case .interrupted(let pages):
            return "sync interrupted after \(pages) committed page(s)"
        case .database(let m):
            return "database error: \(m)"
        }
    }

    /// The `fitdata` exit status: 2 for usage or configuration (including a refused key), else 1.
    public var exitCode: Int32 {
        switch self {
        case .missingAPIKey, .configuration, .schemaNotReady, .unauthorized, .notFound: return 2
        default: return 1
        }
    }
}

func formatSeconds(_ s: Double) -> String {
    s.rounded() == s ? String(Int(s)) : String(format: "%.1f", s)
}

func formatBytes(_ n: Int) -> String {
    n >= 1 << 20 && n % (1 << 20) == 0 ? "\(n >> 20) MiB" : "\(n) bytes"
}
