/// The database-wide advisory lock that keeps model builds apart from data writes (loads and syncs).
///
/// Protocol (one key for the whole database, ``key``):
/// - a CSV load takes it SHARED for its transaction (``shareForTransaction(_:)``), a sync SHARED for its run
///   (``share(_:timeout:onWait:)``): writers never wait for each other here (they have their own locks);
/// - a build (`build`, `run`, `test`, `seed`) takes it EXCLUSIVE for its whole run (``exclusive(_:timeout:onWait:)``):
///   it waits for the writers that are running, and writers that start later wait for the build (a queued
///   exclusive request holds off later shared ones), so every node of a build reads one state of the data;
/// - two builds serialize on it.
///
/// The locks are held by a connection: when its process is killed or its connection is lost, the server
/// releases them. Writers outside fitdata (e.g. psql) do not take the lock and are not held off.
public enum DataLock {
    /// FNV-1a 64 of `fitdata:data`, as a signed bigint.
    public static let key: Int64 = FNV1a.advisoryKey("fitdata:data")

    /// Takes the lock SHARED until the current transaction ends (for a load, inside its transaction).
    /// Waits while a build holds or waits for it.
    public static func shareForTransaction(_ connection: Connection) throws {
        try connection.query("SELECT pg_advisory_xact_lock_shared($1::bigint)", [key])
    }

    /// Takes the lock SHARED for the session (for a sync run); release with ``releaseShared(_:)``.
    public static func share(_ connection: Connection, timeout: Double? = nil, onWait: ((String) -> Void)? = nil) throws {
        try connection.advisoryLock(key, shared: true, timeout: timeout, onWait: onWait)
    }

    /// Releases a session-level shared hold taken with ``share(_:timeout:onWait:)``.
    public static func releaseShared(_ connection: Connection) throws {
        try connection.advisoryUnlock(key, shared: true)
    }

    /// Takes the lock EXCLUSIVE for the session (for a build); release with ``releaseExclusive(_:)``.
    /// `onWait` receives who holds it, once, before waiting; `timeout` nil waits without limit.
    public static func exclusive(_ connection: Connection, timeout: Double? = nil, onWait: ((String) -> Void)? = nil) throws {
        try connection.advisoryLock(key, shared: false, timeout: timeout, onWait: onWait)
    }

    /// Releases the exclusive hold taken with ``exclusive(_:timeout:onWait:)``.
    public static func releaseExclusive(_ connection: Connection) throws {
        try connection.advisoryUnlock(key)
    }
}
