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
    /// Performs `request`; throws `URLError` on transport failures (timeouts, refused connections)
    /// and ``HTTPTransportError`` when a limit of ``TransportLimits`` is reached.
    func send(_ request: URLRequest) throws -> HTTPResponse
}

/// The bounds every request runs within: idle time, total time and body size.
public struct TransportLimits: Sendable {
    /// Longest gap without response bytes (seconds, at least 1).
    public var idleTimeout: TimeInterval
    /// Longest time one request may take from start to last byte, however steadily bytes arrive (seconds).
    public var deadline: TimeInterval
    /// Largest response body accepted (bytes); a larger one is abandoned unread.
    public var maxBodyBytes: Int

    public init(idleTimeout: TimeInterval = 30, deadline: TimeInterval = 120, maxBodyBytes: Int = 16 << 20) {
        self.idleTimeout = idleTimeout
        self.deadline = deadline
        self.maxBodyBytes = maxBodyBytes
    }
}

/// A request stopped by the transport because it crossed one of its ``TransportLimits``.
public enum HTTPTransportError: Error, Sendable, Equatable {
    /// The body was larger than `limit` bytes (announced by `Content-Length` or counted while reading).
    case bodyTooLarge(limit: Int)
    /// The request was still running after `seconds` (a server trickling bytes, or one never finishing).
    case deadlineExceeded(seconds: Double)
}

/// Which request headers carry credentials and must not follow a redirect to another origin.
public enum RedirectPolicy {
    /// Header names (lower-cased) removed on a cross-origin redirect, as curl and browsers do.
    public static let credentialHeaders: Set<String> = ["api-key", "authorization", "cookie", "proxy-authorization"]

    /// True when `a` and `b` share scheme, host and port (the default port filled in).
    public static func sameOrigin(_ a: URL?, _ b: URL?) -> Bool {
        guard let a, let b, let sa = a.scheme?.lowercased(), let sb = b.scheme?.lowercased() else { return false }
        func port(_ u: URL, _ scheme: String) -> Int? { u.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil) }
        return sa == sb && a.host?.lowercased() == b.host?.lowercased() && port(a, sa) == port(b, sb)
    }

    /// `request` (the redirected one) with the credential headers removed when it leaves the origin of `original`.
    public static func redirected(_ request: URLRequest, from original: URL?) -> URLRequest {
        guard !sameOrigin(original, request.url) else { return request }
        var stripped = request
        for name in request.allHTTPHeaderFields?.keys.map({ $0 }) ?? [] where credentialHeaders.contains(name.lowercased()) {
            stripped.setValue(nil, forHTTPHeaderField: name)
        }
        return stripped
    }
}
