import Foundation

/// Credentials resolved once and resolved again shortly before they expire (temporary credentials).
public final class RefreshingCredentials: @unchecked Sendable {
    /// How long before `expiration` credentials are replaced.
    public static let refreshMargin: TimeInterval = 300

    private let resolve: @Sendable () throws -> AWSCredentials
    private let lock = NSLock()
    private var cached: AWSCredentials?

    /// Wraps `resolve` (e.g. ``CredentialChain/resolve(environment:transport:)``); nothing is resolved yet.
    public init(resolve: @escaping @Sendable () throws -> AWSCredentials) {
        self.resolve = resolve
    }

    /// The cached credentials, resolved first when there are none or they expire within ``refreshMargin``.
    public func current(now: Date = Date()) throws -> AWSCredentials {
        lock.lock(); defer { lock.unlock() }
        if let cached, cached.expiration.map({ $0.timeIntervalSince(now) > Self.refreshMargin }) ?? true { return cached }
        let fresh = try resolve()
        cached = fresh
        return fresh
    }
}
