import Foundation

/// Runs `body` on a plain thread; `join()` waits for its value.
final class Background<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var value: T?
    init(_ body: @escaping @Sendable () -> T) {
        Thread { [self] in
            let v = body()
            lock.lock(); value = v; lock.unlock()
            done.signal()
        }.start()
    }
    var isDone: Bool { lock.lock(); defer { lock.unlock() }; return value != nil }
    func join() -> T { done.wait(); done.signal(); lock.lock(); defer { lock.unlock() }; return value! }
}

/// Lines printed by a runner (thread-safe).
final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ l: String) { lock.lock(); lines.append(l); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}
