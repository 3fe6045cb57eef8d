import Foundation
import HTTPKit

/// Everything one `fitdata sync hevy` run needs besides the database connection.
public struct SyncConfiguration: Sendable {
    /// The default API root.
    public static let defaultBaseURL = URL(string: "https://api.hevyapp.com")!

    /// The `--athlete` value (`core.athletes.athlete_id`).
    public var athleteID: String = "me"
    /// The API root (`HEVY_API_URL`).
    public var baseURL: URL
    /// The `api-key` header value (`HEVY_API_KEY`); never printed, logged or stored.
    public var apiKey: String
    /// `--since`: read the events feed from here instead of the stored watermark.
    public var since: Date?
    /// `--full`: list the whole history again (workouts, templates, body measurements).
    public var full = false
    /// `--delay-ms`: pause between two requests.
    public var requestDelay: TimeInterval = 0.1
    /// `--lock-timeout`: how long to wait for another sync of the same athlete.
    public var lockTimeout: TimeInterval = 30
    /// Per-request timeout (idle time without response bytes).
    public var requestTimeout: TimeInterval = 30
    /// `--request-deadline`: the longest one request may take in total, however steadily bytes arrive.
    public var requestDeadline: TimeInterval = 120
    /// `--max-response-mb` (in bytes here): the largest response body read; a larger one fails the run.
    public var maxResponseBytes = 16 << 20
    /// Retries for 429, 5xx, timeouts and connection failures.
    public var retry = RetryPolicy()
    /// The new watermark is the run's start minus this margin, so events racing the run are read again.
    public var watermarkSafetyMargin: TimeInterval = 600
    /// Time zone (IANA name) for an athlete this sync creates, or one without workouts yet; others keep theirs.
    public var timezoneForNewAthlete: String?
    /// The `User-Agent` header.
    public var userAgent = "fitdata/\(HevySyncVersion.current)"
    /// Page sizes (the API's maxima).
    public var workoutPageSize = 10
    public var templatePageSize = 100
    public var bodyMeasurementPageSize = 10
    /// Test seam simulating a kill: stop with ``HevySyncError/interrupted(afterPages:)`` after this many committed
    /// pages. Internal, so not part of the configuration a program can set: only `@testable` tests reach it.
    var failAfterPages: Int?

    public init(baseURL: URL = SyncConfiguration.defaultBaseURL, apiKey: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    /// Reads `HEVY_API_KEY` and `HEVY_API_URL` from `environment`.
    ///
    /// - Throws: ``HevySyncError/missingAPIKey`` when the key is unset or blank;
    ///   ``HevySyncError/configuration(_:)`` when the URL is not http(s).
    public static func fromEnvironment(_ environment: [String: String]) throws -> SyncConfiguration {
        let key = (environment["HEVY_API_KEY"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw HevySyncError.missingAPIKey }
        var base = defaultBaseURL
        if let text = environment["HEVY_API_URL"], !text.isEmpty {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil else {
                throw HevySyncError.configuration("HEVY_API_URL is not an http(s) URL: \(URL(string: text).map(displayURL) ?? "(unparsable)")")
            }
            base = url
        }
        return SyncConfiguration(baseURL: base, apiKey: key)
    }

    /// The transport bounds these settings give.
    public var transportLimits: TransportLimits {
        TransportLimits(idleTimeout: requestTimeout, deadline: requestDeadline, maxBodyBytes: maxResponseBytes)
    }

    /// `url` as it may be printed or stored: any password in it replaced by `***`.
    public static func displayURL(_ url: URL) -> String {
        guard var comps = URLComponents(url: url, resolvingAgainstBaseURL: false), comps.password != nil else {
            return url.absoluteString
        }
        comps.password = "***"
        return comps.string ?? "\(url.scheme ?? "http")://\(url.host ?? "")"
    }

    /// Parses a `--since` value: an ISO 8601 date-time (with offset or Z) or a date (midnight UTC).
    public static func parseSince(_ text: String) throws -> Date {
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        for f in [full, fractional, day] { if let d = f.date(from: text) { return d } }
        throw HevySyncError.configuration("--since must be an ISO 8601 date or date-time (e.g. 2026-01-31T00:00:00Z), got \(text)")
    }
}

/// The tool version sent in the `User-Agent`.
public enum HevySyncVersion {
    /// `fitdata/<version>`.
    public static let current = "0.1.0"
}
