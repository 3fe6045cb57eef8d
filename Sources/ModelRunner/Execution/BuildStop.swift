import PostgresClient

/// Why a build stopped before running its nodes to the end: exit status 1, one message.
public enum BuildStop: Error, Sendable, CustomStringConvertible {
    /// The data lock (``DataLock``) stayed held by loads, syncs or another build for `seconds` (`--lock-timeout`).
    case lockTimeout(seconds: Double, holders: String)
    /// The connection to PostgreSQL was lost; `skipped` nodes were not run.
    case connectionLost(node: String?, message: String, skipped: Int)
    /// The caller's ``RunnerOptions/beforeNodes`` or ``RunnerOptions/afterNodes`` work failed.
    case hookFailed(stage: String, message: String)

    public var description: String {
        switch self {
        case .lockTimeout(let s, let holders):
            return "a load, sync or another build is still running on this database (data lock held by \(holders)); "
                + "gave up after \(Reporting.seconds(s)) (--lock-timeout); nothing was built"
        case .connectionLost(let node, let message, let skipped):
            let during = node.map { " while running \($0)" } ?? ""
            let oneLine = message.split(separator: "\n").first.map(String.init) ?? message
            return "lost the connection to PostgreSQL\(during): \(oneLine); the build stopped and \(skipped) remaining "
                + "node\(skipped == 1 ? " was" : "s were") not run (each built node was committed whole); run the build again"
        case .hookFailed(let stage, let message):
            return "\(stage): \(message)"
        }
    }
}
