import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A received HTTP response: status, headers (lower-cased names) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends one request and blocks the calling thread until the response or an error arrives.
///
/// Blocking keeps the sync engine on one plain thread together with its libpq connection.
public protocol HTTPTransport: Sendable {
    /// Performs `request`; throws `URLError` on transport failures (timeouts, refused connections).
    func send(_ request: URLRequest) throws -> HTTPResponse
}

/// ``HTTPTransport`` over Foundation's `URLSession` (FoundationNetworking/libcurl on Linux).
///
/// After a transport error the session is replaced: on Linux a timed-out request can leave its
/// keep-alive connection busy, and a retry queued behind it would time out too.
/// Timeouts are at least 1 s: FoundationNetworking on Linux reports `.timedOut` within
/// milliseconds for sub-second timeouts whenever a body arrives in more than one chunk.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let timeout: TimeInterval
    private let lock = NSLock()
    private var session: URLSession

    /// A session with no cache, no cookies, and `timeout` seconds (at least 1) per request.
    public init(timeout: TimeInterval) {
        self.timeout = max(1, timeout)
        session = Self.makeSession(timeout: self.timeout)
    }

    deinit { session.invalidateAndCancel() }

    private static func makeSession(timeout: TimeInterval) -> URLSession {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = max(timeout * 4, 60)
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.httpShouldSetCookies = false
        return URLSession(configuration: config)
    }

    public func send(_ request: URLRequest) throws -> HTTPResponse {
        lock.lock()
        let session = self.session
        lock.unlock()
        do {
            return try send(request, on: session)
        } catch {
            lock.lock()
            if self.session === session {
                session.invalidateAndCancel()
                self.session = Self.makeSession(timeout: timeout)
            }
            lock.unlock()
            throw error
        }
    }

    private func send(_ request: URLRequest, on session: URLSession) throws -> HTTPResponse {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                box.result = .failure(error)
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields {
                    if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
                }
                box.result = .success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
            } else {
                box.result = .failure(URLError(.badServerResponse))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try box.result!.get()
    }

    private final class ResultBox: @unchecked Sendable {
        var result: Result<HTTPResponse, any Error>?
    }
}
