import PostgresClient

/// The locks every file load and `targets set` take inside their transaction (the one home of that rule).
///
/// `fit_load` makes loads of any kind run one at a time (they share `raw.files`, athletes and exercises);
/// the data lock, taken shared, makes a load wait for a running build and a build wait for the load
/// (see ``DataLock``). Both are transaction-level: they end with the commit or rollback, or with the session.
enum LoadLock {
    /// `fit_load`.
    static let key: Int64 = 0x6669_745F_6C6F_6164

    /// Takes both locks for the current transaction, waiting while another load or a build holds them.
    static func take(_ connection: Connection) throws {
        try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [key])
        try DataLock.shareForTransaction(connection)
    }
}
