import Foundation
import HTTPKit

/// How providers talk to their servers: time limits, retries and where retry notices go.
public struct ProviderOptions: Sendable {
    /// Per-request bounds. A model writes the whole reply before answering (no streaming), so the idle
    /// timeout is generous: 120 s without a byte, 300 s in all.
    public var limits: TransportLimits
    /// Retries of 429, 5xx and transient transport failures: 5 attempts, backoff from 2 s up to 60 s,
    /// `Retry-After` honoured up to 120 s.
    public var retry: RetryPolicy
    /// Receives one line per retry (already redacted).
    public var log: @Sendable (String) -> Void
    /// Waits between attempts (tests record the delays instead).
    public var sleep: @Sendable (TimeInterval) -> Void

    public init(limits: TransportLimits = TransportLimits(idleTimeout: 120, deadline: 300, maxBodyBytes: 4 << 20),
                retry: RetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: 2, maxDelay: 60, maxRetryAfter: 120),
                log: @escaping @Sendable (String) -> Void = { _ in },
                sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.limits = limits
        self.retry = retry
        self.log = log
        self.sleep = sleep
    }

    /// The sender a provider uses: `transport` (default: a ``URLSessionTransport`` within ``limits``) with
    /// the retry policy, redacting `secrets`.
    func sender(transport: (any HTTPTransport)?, secrets: [String]) -> RetryingSender {
        RetryingSender(transport: transport ?? URLSessionTransport(limits: limits), policy: retry,
                       redact: SecretRedactor(secrets: secrets), log: log, sleep: sleep)
    }
}
