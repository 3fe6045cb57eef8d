import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends a request through an ``HTTPTransport``, retrying transient failures with a ``RetryPolicy``.
///
/// - 429: waits `Retry-After` (seconds or an HTTP date) when given, else the backoff; a `Retry-After`
///   longer than ``RetryPolicy/maxRetryAfter`` fails at once (``RetryingSendError/retryAfterTooLong(seconds:limit:)``).
/// - 5xx, timeouts, the deadline of ``TransportLimits``, refused or dropped connections: the backoff.
/// - Any other status is returned to the caller, which decides what it means.
/// - At most ``RetryPolicy/maxAttempts`` attempts, then ``RetryingSendError/exhausted(attempts:lastStatus:lastProblem:)``.
///
/// Every returned body has the secrets removed from its strings (``SecretRedactor/redactJSON(_:)``), and every
/// message (errors, log lines) passes through the redactor.
public struct RetryingSender: Sendable {
    public let transport: any HTTPTransport
    public let policy: RetryPolicy
    /// Cleans every text this sender produces or returns.
    public let redact: SecretRedactor
    private let log: @Sendable (String) -> Void
    private let sleep: @Sendable (TimeInterval) -> Void

    /// A sender over `transport`; `log` receives one line per retry; `sleep` waits between attempts
    /// (tests pass one that records the delays instead of waiting).
    public init(transport: any HTTPTransport, policy: RetryPolicy, redact: SecretRedactor,
                log: @escaping @Sendable (String) -> Void = { _ in },
                sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.transport = transport
        self.policy = policy
        self.redact = redact
        self.log = log
        self.sleep = sleep
    }

    /// Performs the request `make` builds (called again for every attempt, so a signature or date is fresh),
    /// retrying transient failures; returns the first response that is neither a 429 nor a 5xx.
    ///
    /// `label` names the call in log lines and errors (e.g. `POST /v1/messages`).
    public func send(_ label: String, _ make: () throws -> URLRequest) throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            let request = try make()
            var problem: String
            var status: Int?
            var wait: TimeInterval?
            do {
                let response = try transport.send(request)
                switch response.status {
                case 429:
                    status = 429
                    problem = "HTTP 429 (rate limited)"
                    if let after = RetryPolicy.retryAfter(response.headers["retry-after"]) {
                        guard after <= policy.maxRetryAfter else {
                            throw RetryingSendError.retryAfterTooLong(seconds: after, limit: policy.maxRetryAfter)
                        }
                        wait = after
                    }
                case 500..<600:
                    status = response.status
                    problem = "HTTP \(response.status)" + (response.body.isEmpty ? "" : ": " + snippet(response.body))
                default:
                    var clean = response
                    clean.body = redact.redactJSON(response.body)
                    return clean
                }
            } catch HTTPTransportError.deadlineExceeded(let seconds) {
                problem = "no complete response within the \(Self.seconds(seconds)) s deadline"
            } catch let error as URLError where Self.isTransient(error) {
                problem = describe(error, url: request.url)
            } catch let error as URLError {
                throw RetryingSendError.failed(redact("\(label): " + describe(error, url: request.url)))
            } catch HTTPTransportError.bodyTooLarge(let limit) {
                throw RetryingSendError.failed("\(label): the response was larger than \(limit) bytes")
            }
            guard attempt < policy.maxAttempts else {
                throw RetryingSendError.exhausted(attempts: attempt, lastStatus: status, lastProblem: redact(problem))
            }
            let delay = wait ?? policy.backoff(afterAttempt: attempt)
            log(redact("\(label): \(problem); retrying in \(Self.seconds(delay)) s (attempt \(attempt + 1) of \(policy.maxAttempts))"))
            sleep(delay)
        }
    }

    /// The start of `body` as one line of at most 300 bytes, secrets removed (for error messages).
    public func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
        return redact(text)
    }

    /// A short description of a transport failure naming the host.
    private func describe(_ error: URLError, url: URL?) -> String {
        let host = url?.host ?? "the server"
        switch error.code {
        case .timedOut: return "timed out waiting for \(host)"
        case .cannotConnectToHost: return "cannot connect to \(host)"
        case .cannotFindHost, .dnsLookupFailed: return "cannot resolve \(host)"
        case .networkConnectionLost: return "the connection to \(host) was lost"
        case .notConnectedToInternet: return "not connected to the network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "TLS with \(host) failed"
        default: return "network error \(error.code.rawValue) talking to \(host)"
        }
    }

    /// True for transport failures worth retrying (everything but bad URLs, TLS trust failures and cancellation).
    public static func isTransient(_ error: URLError) -> Bool {
        switch error.code {
        case .badURL, .unsupportedURL, .cancelled, .userCancelledAuthentication,
             .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
             .serverCertificateHasUnknownRoot:
            return false
        default: return true
        }
    }

    private static func seconds(_ value: TimeInterval) -> String { String(format: "%.1f", value) }
}

/// Why a ``RetryingSender`` gave up; every text is already redacted.
public enum RetryingSendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every attempt failed transiently; `lastStatus` is the last 429/5xx (nil when the transport failed).
    case exhausted(attempts: Int, lastStatus: Int?, lastProblem: String)
    /// The server asked to wait longer than the policy allows.
    case retryAfterTooLong(seconds: Double, limit: Double)
    /// A failure that retrying cannot fix (bad URL, untrusted certificate, a body over the size cap).
    case failed(String)

    public var description: String {
        switch self {
        case .exhausted(let attempts, _, let problem):
            return "gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"); the last: \(problem)"
        case .retryAfterTooLong(let s, let limit):
            return "the server asked to retry after \(Int(s)) s, longer than the \(Int(limit)) s allowed"
        case .failed(let m): return m
        }
    }
}
