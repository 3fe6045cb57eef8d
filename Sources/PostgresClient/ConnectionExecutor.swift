import Dispatch

/// Runs blocking libpq work for one connection on its own serial queue, off the cooperative pool.
public final class ConnectionExecutor: @unchecked Sendable {
    /// The connection this executor owns.
    public let connection: Connection
    private let queue: DispatchQueue

    public init(connection: Connection, label: String = "fitdata.pg") {
        self.connection = connection
        self.queue = DispatchQueue(label: label)
    }

    /// Runs `body` with the connection on the executor's queue and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do { continuation.resume(returning: try body(self.connection)) }
                catch { continuation.resume(throwing: error) }
            }
        }
    }
}
