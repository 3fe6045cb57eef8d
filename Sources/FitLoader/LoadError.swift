import CSVStream
import FitDomain
/// Errors from the loaders, split by the exit status they lead to.
public enum LoadError: Error, CustomStringConvertible {
    /// Bad usage or input shape (missing file, not a Hevy export, bad time zone): exit 2.
    case configuration(String)
    /// Too many rejected rows: the file was rolled back: exit 1.
    case tooManyRejects(file: String, rejected: Int, limit: Int)
    /// The input could not be read to its end (a record past ``CSVLimits``, a read error): the file was rolled back: exit 1.
    case unreadable(String)

    public var description: String {
        switch self {
        case .configuration(let m), .unreadable(let m): return m
        case .tooManyRejects(let f, let r, let l):
            return "\(f): \(r) rows rejected, more than --max-rejects \(l); the file was rolled back (nothing loaded)"
        }
    }
}

extension LoadError {
    /// Runs `body`, turning a ``CSVError`` (other than an unclosed quote) into ``unreadable(_:)``.
    static func reading<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let e as CSVError {
            if case .unterminatedQuote = e { throw e }
            throw LoadError.unreadable("\(e)")
        }
    }
}

extension LoadError {
    /// Runs `body`, turning a ``DomainError`` (a refused time zone, …) into the loader's configuration error (exit 2).
    static func domain<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let DomainError.configuration(message) { throw LoadError.configuration(message) }
    }
}
