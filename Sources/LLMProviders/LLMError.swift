import Foundation

/// Why a model call failed; every message names the provider and the call, never a key.
public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Missing or invalid configuration (no key, bad base URL, unknown model); exit 2.
    case configuration(String)
    /// The provider refused the credentials (401/403).
    case unauthorized(provider: String, detail: String)
    /// A non-retryable HTTP status, or retries exhausted.
    case http(provider: String, status: Int, detail: String)
    /// The transport failed (timeout, refused connection) after the retries.
    case transport(provider: String, detail: String)
    /// The reply did not have the documented shape.
    case malformedReply(provider: String, detail: String)

    public var description: String {
        switch self {
        case .configuration(let m): return m
        case .unauthorized(let p, let d): return "\(p): the credentials were refused: \(d)"
        case .http(let p, let s, let d): return "\(p): HTTP \(s): \(d)"
        case .transport(let p, let d): return "\(p): \(d)"
        case .malformedReply(let p, let d): return "\(p): unexpected reply: \(d)"
        }
    }
}
