import Foundation

/// How often and how long to retry a request that failed transiently.
public struct RetryPolicy: Sendable {
    /// Attempts per request, the first included.
    public var maxAttempts = 6
    /// The first backoff delay; doubles each attempt.
    public var baseDelay: TimeInterval = 1
    /// The ceiling of one backoff delay.
    public var maxDelay: TimeInterval = 60
    /// The longest `Retry-After` honoured; a longer one fails the run.
    public var maxRetryAfter: TimeInterval = 300

    public init(maxAttempts: Int = 6, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 60, maxRetryAfter: TimeInterval = 300) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The delay before attempt `attempt + 1` after `attempt` failures: exponential with "equal jitter"
    /// (half fixed, half random), so concurrent clients spread out.
    public func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let exp = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return exp / 2 + Double.random(in: 0...(exp / 2))
    }

    /// Parses `Retry-After`: delta-seconds or an HTTP date.
    public static func retryAfter(_ value: String?) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = f.date(from: value) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }
}
