import Foundation

/// Why a pipeline run could not start or a step failed outside the steps' own errors.
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    /// Bad usage or configuration (exit 2): a missing inbox, an invalid project, an unreachable or uninitialized database.
    case configuration(String)
    /// Another pipeline holds this database's pipeline lock (exit 1).
    case lockTimeout(holder: String, seconds: Double)
    /// The weekly report or dashboard was not written (exit 1).
    case reportFailed(String)
    /// The connection holding the pipeline lock was lost (exit 1).
    case lockLost(String)

    public var description: String {
        switch self {
        case .configuration(let m): return m
        case .lockTimeout(let holder, let seconds):
            let waited = seconds.rounded() == seconds ? String(Int(seconds)) : String(format: "%.1f", seconds)
            return "another pipeline is running on this database (\(holder)); gave up waiting after \(waited) s (--lock-timeout)"
        case .reportFailed(let m): return m
        case .lockLost(let m): return "lost the connection holding the pipeline lock: \(m); the run stopped, run it again"
        }
    }

    /// True for errors that retrying cannot fix (exit 2).
    public var isConfiguration: Bool {
        if case .configuration = self { return true }
        return false
    }
}
