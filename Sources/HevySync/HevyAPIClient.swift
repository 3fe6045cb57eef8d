import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
import HTTPKit
#endif

/// Blocking GET calls to the Hevy API: the `api-key` header, politeness delay, and retries.
///
/// - 429: waits `Retry-After` (seconds or an HTTP date), else the backoff; a wait longer than
///   ``RetryPolicy/maxRetryAfter`` fails at once.
/// - 5xx, timeouts, refused or dropped connections: exponential backoff with jitter, up to
///   ``RetryPolicy/maxAttempts`` attempts.
/// - 401/403: ``HevySyncError/unauthorized(status:call:)`` at once.
/// - 404 is returned to the caller (the end of a listing, or a missing template).
/// - Any other status ≥ 400: ``HevySyncError/httpStatus(status:call:body:)``.
/// - A body over ``SyncConfiguration/maxResponseBytes``: ``HevySyncError/responseTooLarge(call:limit:)`` at once;
///   a request over ``SyncConfiguration/requestDeadline`` is retried like a timeout.
///
/// Every body returned has the key removed from its strings (``SecretRedactor/redactJSON(_:)``), so nothing
/// downstream (raw payloads, titles, notes, rejects) can keep a key the server echoed.
public final class HevyAPIClient: @unchecked Sendable {
    /// One call's description for messages, e.g. `GET /v1/workouts?page=2&pageSize=10`.
    public struct Call: Sendable, CustomStringConvertible {
        public let path: String
        public let query: [(String, String)]
        public let url: URL
        /// `url` as printed and stored: no password.
        public var displayURL: String { SyncConfiguration.displayURL(url) }
        public var description: String {
            "GET " + path + (query.isEmpty ? "" : "?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&"))
        }
    }

    private let baseURL: URL
    private let apiKey: String
    private let userAgent: String
    private let retry: RetryPolicy
    private let delay: TimeInterval
    private let transport: any HTTPTransport
    private let log: @Sendable (String) -> Void
    private var lastRequestAt: Date?
    /// Text cleaner that removes the key from anything quoted from a response.
    public let redact: SecretRedactor
    /// Requests sent, retries included.
    public private(set) var requestCount = 0
    /// Retries performed.
    public private(set) var retryCount = 0

    public init(configuration: SyncConfiguration, transport: (any HTTPTransport)? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        baseURL = configuration.baseURL
        apiKey = configuration.apiKey
        userAgent = configuration.userAgent
        retry = configuration.retry
        delay = configuration.requestDelay
        self.transport = transport ?? URLSessionTransport(limits: configuration.transportLimits)
        self.log = log
        redact = SecretRedactor(secrets: [configuration.apiKey])
    }

    /// Builds the call for `path` (e.g. `/v1/workouts`) and query items.
    public func call(_ path: String, _ query: [(String, String)] = []) -> Call {
        var comps = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        let prefix = comps.path.hasSuffix("/") ? String(comps.path.dropLast()) : comps.path
        comps.path = prefix + path
        comps.queryItems = query.isEmpty ? nil : query.map { URLQueryItem(name: $0.0, value: $0.1) }
        return Call(path: path, query: query, url: comps.url!)
    }

    /// Performs `call`, retrying transient failures; returns a 2xx or 404 response.
    public func get(_ call: Call) throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            pauseForPoliteness()
            var request = URLRequest(url: call.url)
            request.httpMethod = "GET"
            request.setValue(apiKey, forHTTPHeaderField: "api-key")
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
            requestCount += 1
            var problem = ""
            var wait: TimeInterval?
            do {
                let response = try transport.send(request)
                lastRequestAt = Date()
                switch response.status {
                case 200..<300, 404:
                    var clean = response
                    clean.body = redact.redactJSON(response.body)
                    return clean
                case 401, 403:
                    throw HevySyncError.unauthorized(status: response.status, call: call.description)
                case 429:
                    problem = "HTTP 429"
                    if let after = RetryPolicy.retryAfter(response.headers["retry-after"]) {
                        if after > retry.maxRetryAfter {
                            throw HevySyncError.rateLimited(call: call.description, retryAfter: after)
                        }
                        wait = after
                    }
                case 500..<600:
                    problem = "HTTP \(response.status)"
                default:
                    throw HevySyncError.httpStatus(status: response.status, call: call.description,
                                                   body: snippet(response.body))
                }
            } catch HTTPTransportError.bodyTooLarge(let limit) {
                lastRequestAt = Date()
                throw HevySyncError.responseTooLarge(call: call.description, limit: limit)
            } catch HTTPTransportError.deadlineExceeded(let seconds) {
                lastRequestAt = Date()
                problem = "still unfinished after the \(formatSeconds(seconds)) s request deadline"
            } catch let error as URLError {
                lastRequestAt = Date()
                guard Self.isTransient(error) else {
                    throw HevySyncError.retriesExhausted(call: call.description, attempts: attempt,
                                                         lastProblem: redact(describe(error)))
                }
                problem = redact(describe(error))
            }
            guard attempt < retry.maxAttempts else {
                throw HevySyncError.retriesExhausted(call: call.description, attempts: attempt, lastProblem: problem)
            }
            let sleep = wait ?? retry.backoff(afterAttempt: attempt)
            log("\(call): \(problem); retrying in \(String(format: "%.1f", sleep)) s (attempt \(attempt + 1) of \(retry.maxAttempts))")
            retryCount += 1
            Thread.sleep(forTimeInterval: sleep)
        }
    }

    private func pauseForPoliteness() {
        guard delay > 0, let last = lastRequestAt else { return }
        let remaining = delay - Date().timeIntervalSince(last)
        if remaining > 0 { Thread.sleep(forTimeInterval: remaining) }
    }

    private func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
        return redact(text)
    }

    private func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: return "timed out"
        case .cannotConnectToHost: return "cannot connect to \(baseURL.host ?? "host")"
        case .cannotFindHost: return "cannot resolve \(baseURL.host ?? "host")"
        case .networkConnectionLost: return "connection lost"
        case .notConnectedToInternet: return "not connected to the network"
        default: return "network error \(error.code.rawValue): \(error.localizedDescription)"
        }
    }

    /// True for failures worth retrying (everything but bad URLs and cancellation).
    static func isTransient(_ error: URLError) -> Bool {
        switch error.code {
        case .badURL, .unsupportedURL, .cancelled, .userCancelledAuthentication: return false
        default: return true
        }
    }
}
