import Foundation
import PostgresClient

/// How a table model or seed is spread over a Citus cluster: the `distributed_by:` config.
///
/// `distributed_by: athlete_id` hash-distributes the relation on that column (tables with the same column type
/// land in one co-location group); `distributed_by: reference` copies it to every node. The runner applies it only
/// when the database has the `citus` extension (``BuildRun/isCitus``); on plain PostgreSQL the key changes nothing,
/// so the SQL sent is byte for byte what it was without it.
enum Distribution: Equatable {
    case reference
    case hash(column: String)

    /// The relation's distribution from its config, or nil when it has none (a local table on the coordinator).
    init?(config: NodeConfig) {
        guard let value = config["distributed_by"]?.stringValue?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        self = value.lowercased() == "reference" ? .reference : .hash(column: value)
    }

    /// Statements that distribute `rel` (already created under its final name, with its rows, in this transaction),
    /// then empty the coordinator's local copy of the rows (Citus keeps them after copying them to the shards).
    func statements(_ rel: Relation) -> [String] {
        let name = Connection.quoteLiteral(rel.quoted)
        let create: String
        switch self {
        case .reference: create = "SELECT create_reference_table(\(name))"
        case .hash(let column): create = "SELECT create_distributed_table(\(name), \(Connection.quoteLiteral(column)))"
        }
        return [create, "SELECT truncate_local_data_after_distributing_table(\(name))"]
    }

    /// Whether `conn`'s database has the citus extension.
    static func isCitus(_ conn: Connection) throws -> Bool {
        try conn.query("SELECT 1 FROM pg_extension WHERE extname = 'citus'").scalar == "1"
    }
}
