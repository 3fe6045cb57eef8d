import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``HTTPTransport`` over Foundation's `URLSession` (FoundationNetworking/libcurl on Linux).
///
/// Every request runs within ``TransportLimits``: the idle timeout (libcurl's, per gap between bytes),
/// a total deadline enforced here, and a body-size cap checked against `Content-Length` and while
/// bytes arrive, so a huge or endless body is abandoned before it fills memory. Redirects are
/// followed, but a redirect to another origin loses the credential headers (``RedirectPolicy``).
///
/// After a transport error the session is replaced: on Linux a timed-out request can leave its
/// keep-alive connection busy, and a retry queued behind it would time out too.
/// Timeouts are at least 1 s: FoundationNetworking on Linux reports `.timedOut` within
/// milliseconds for sub-second timeouts whenever a body arrives in more than one chunk.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    private let limits: TransportLimits
    private let lock = NSLock()
    private var session: URLSession
    private var tracker: TaskTracker

    /// A session with no cache and no cookies, bounded by `limits`.
    public init(limits: TransportLimits) {
        var l = limits
        l.idleTimeout = max(1, limits.idleTimeout)
        l.deadline = max(1, limits.deadline)
        self.limits = l
        (session, tracker) = Self.makeSession(limits: l)
    }

    /// A session with `timeout` seconds (at least 1) of idle time per request and the default deadline and size cap.
    public convenience init(timeout: TimeInterval) {
        self.init(limits: TransportLimits(idleTimeout: timeout, deadline: max(120, timeout * 4)))
    }

    deinit { session.invalidateAndCancel() }

    /// A session whose delegate (serial queue) enforces the size cap and the redirect policy.
    private static func makeSession(limits: TransportLimits) -> (URLSession, TaskTracker) {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = limits.idleTimeout
        config.timeoutIntervalForResource = limits.deadline + 60   // the deadline below acts first
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.httpShouldSetCookies = false
        let tracker = TaskTracker(maxBodyBytes: limits.maxBodyBytes)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        return (URLSession(configuration: config, delegate: tracker, delegateQueue: queue), tracker)
    }

    public func send(_ request: URLRequest) throws -> HTTPResponse {
        lock.lock()
        let (session, tracker) = (self.session, self.tracker)
        lock.unlock()
        do {
            return try send(request, on: session, tracker: tracker)
        } catch {
            lock.lock()
            if self.session === session {
                session.invalidateAndCancel()
                (self.session, self.tracker) = Self.makeSession(limits: limits)
            }
            lock.unlock()
            throw error
        }
    }

    /// Runs one task and waits for it, at most the deadline (then cancels it and reports the deadline).
    private func send(_ request: URLRequest, on session: URLSession, tracker: TaskTracker) throws -> HTTPResponse {
        let task = session.dataTask(with: request)
        let state = tracker.register(task)
        task.resume()
        if state.done.wait(timeout: .now() + limits.deadline) == .timedOut {
            state.fail(.deadlineExceeded(seconds: limits.deadline))
            task.cancel()
            _ = state.done.wait(timeout: .now() + 10)
        }
        tracker.forget(task)
        return try state.result()
    }
}

/// The session delegate: collects each task's body within the size cap and applies the redirect policy.
final class TaskTracker: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// One request in flight: its body so far, the limit that stopped it, its outcome.
    final class State: @unchecked Sendable {
        /// Signalled once the task completed (in any way).
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var body = Data()
        private var limitHit: HTTPTransportError?
        private var outcome: Result<HTTPResponse, any Error>?

        /// Records that a limit stopped the request (the first one wins).
        func fail(_ error: HTTPTransportError) {
            lock.lock(); if limitHit == nil { limitHit = error }; lock.unlock()
        }

        /// Appends bytes; false when the body is now over `max` (the bytes are dropped).
        func append(_ data: Data, max: Int) -> Bool {
            lock.lock(); defer { lock.unlock() }
            guard limitHit == nil else { return false }
            if body.count + data.count > max {
                limitHit = .bodyTooLarge(limit: max)
                body = Data()
                return false
            }
            body.append(data)
            return true
        }

        /// Records the task's end and wakes the waiting sender.
        func complete(response: URLResponse?, error: (any Error)?) {
            lock.lock()
            if let error {
                outcome = .failure(error)
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields {
                    if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
                }
                outcome = .success(HTTPResponse(status: http.statusCode, headers: headers, body: body))
            } else {
                outcome = .failure(URLError(.badServerResponse))
            }
            lock.unlock()
            done.signal()
        }

        /// The response, or the limit that stopped it, or the transport error.
        func result() throws -> HTTPResponse {
            lock.lock(); defer { lock.unlock() }
            if let limitHit { throw limitHit }
            guard let outcome else { throw URLError(.cancelled) }
            return try outcome.get()
        }
    }

    private let maxBodyBytes: Int
    private let lock = NSLock()
    private var states: [Int: State] = [:]

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Starts tracking `task` (before it is resumed).
    func register(_ task: URLSessionTask) -> State {
        let state = State()
        lock.lock(); states[task.taskIdentifier] = state; lock.unlock()
        return state
    }

    /// Stops tracking `task`; late callbacks for it are ignored.
    func forget(_ task: URLSessionTask) {
        lock.lock(); states[task.taskIdentifier] = nil; lock.unlock()
    }

    private func state(_ task: URLSessionTask) -> State? {
        lock.lock(); defer { lock.unlock() }
        return states[task.taskIdentifier]
    }

    /// Refuses a body whose announced length is over the cap, before reading it.
    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        if response.expectedContentLength > Int64(maxBodyBytes) {
            state(dataTask)?.fail(.bodyTooLarge(limit: maxBodyBytes))
            completionHandler(.cancel)
            dataTask.cancel()   // FoundationNetworking ignores the disposition
            return
        }
        completionHandler(.allow)
    }

    /// Collects body bytes; cancels the task once they pass the cap.
    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let state = state(dataTask) else { return }
        if !state.append(data, max: maxBodyBytes) { dataTask.cancel() }
    }

    /// Follows a redirect, without the credential headers when it leaves the original origin.
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(RedirectPolicy.redirected(request, from: task.originalRequest?.url))
    }

    /// Hands the outcome to the waiting sender.
    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        state(task)?.complete(response: task.response, error: error)
    }
}
