import Foundation

/// A snapshot's checked configuration: strategy, key, change detection and hard-delete handling.
struct SnapshotConfig: Sendable {
    enum Strategy: Sendable, Equatable {
        /// A row changed when its `updated_at` is newer than the snapshotted `dbt_valid_from`.
        case timestamp(updatedAt: String)
        /// A row changed when any of the columns differs (`nil`: `check_cols: all`, every column of the query).
        case check(columns: [String]?, updatedAt: String?)
    }

    enum HardDeletes: String, Sendable {
        case ignore, invalidate, newRecord = "new_record"
    }

    /// The meta column names (`snapshot_meta_column_names` renames them).
    struct MetaColumns: Sendable {
        var scdId = "dbt_scd_id"
        var updatedAt = "dbt_updated_at"
        var validFrom = "dbt_valid_from"
        var validTo = "dbt_valid_to"
        var isDeleted = "dbt_is_deleted"
    }

    var strategy: Strategy
    /// One or more key columns (or expressions).
    var uniqueKey: [String]
    /// Whether `unique_key` was given as a list (dbt names the key columns `dbt_unique_key_1…` then).
    var keyIsList: Bool
    var hardDeletes: HardDeletes
    var meta = MetaColumns()
    /// `dbt_valid_to_current`: the SQL value current rows carry in `dbt_valid_to` instead of NULL.
    var validToCurrent: String?

    /// Config keys that only snapshots use (besides the keys every node knows).
    static let knownKeys: Set<String> = [
        "strategy", "unique_key", "updated_at", "check_cols", "invalidate_hard_deletes", "hard_deletes", "target_schema",
        "target_database", "snapshot_meta_column_names", "dbt_valid_to_current", "schema", "alias", "tags", "enabled", "meta",
        "docs", "grants", "persist_docs", "pre-hook", "post-hook", "database", "indexes", "materialized", "full_refresh",
        "quote_columns", "group",
    ]

    /// Checks a snapshot's merged config; every missing or invalid setting is an error at the snapshot's definition.
    init(_ config: NodeConfig, snapshot name: String, at loc: SourceLocation) throws {
        func fail(_ msg: String) -> ProjectError { ProjectError("snapshot \(name): \(msg)", at: loc) }
        guard let key = config["unique_key"], !key.stringList.isEmpty else {
            throw fail("config `unique_key` is required (a column, or a list of columns)")
        }
        uniqueKey = key.stringList
        if case .list = key { keyIsList = true } else { keyIsList = false }
        switch config["strategy"]?.stringValue {
        case "timestamp":
            guard let u = config["updated_at"]?.stringValue, !u.isEmpty else {
                throw fail("strategy 'timestamp' needs config `updated_at` (the column that changes with each row)")
            }
            strategy = .timestamp(updatedAt: u)
        case "check":
            guard let cols = config["check_cols"] else {
                throw fail("strategy 'check' needs config `check_cols` ('all' or a list of columns)")
            }
            let updatedAt = config["updated_at"]?.stringValue
            if case .string("all") = cols {
                strategy = .check(columns: nil, updatedAt: updatedAt)
            } else if case .list(let l) = cols, !l.isEmpty, l.allSatisfy({ $0.stringValue != nil }) {
                strategy = .check(columns: l.compactMap(\.stringValue), updatedAt: updatedAt)
            } else {
                throw fail("invalid value for `check_cols`: \(cols.rendered) ('all' or a list of columns)")
            }
        case let other:
            throw fail(other.map { "unknown strategy '\($0)' (timestamp or check)" } ?? "config `strategy` is required (timestamp or check)")
        }
        let invalidate = config["invalidate_hard_deletes"]
        let hard = config["hard_deletes"]
        if let invalidate, invalidate != .null, let hard, hard != .null {
            throw fail("set `hard_deletes` or `invalidate_hard_deletes`, not both")
        }
        if invalidate?.boolValue == true {
            hardDeletes = .invalidate
        } else if let h = hard, h != .null {
            guard let s = h.stringValue, let v = HardDeletes(rawValue: s) else {
                throw fail("`hard_deletes` must be ignore, invalidate or new_record, not \(h.rendered)")
            }
            hardDeletes = v
        } else {
            hardDeletes = .ignore
        }
        if let names = config["snapshot_meta_column_names"], names != .null {
            guard let pairs = names.dictValue else { throw fail("`snapshot_meta_column_names` must be a mapping") }
            for (k, v) in pairs {
                guard let n = v.stringValue, !n.isEmpty else { throw fail("`snapshot_meta_column_names.\(k)` must be a column name") }
                switch k {
                case "dbt_scd_id": meta.scdId = n
                case "dbt_updated_at": meta.updatedAt = n
                case "dbt_valid_from": meta.validFrom = n
                case "dbt_valid_to": meta.validTo = n
                case "dbt_is_deleted": meta.isDeleted = n
                default: throw fail("unknown key `\(k)` in snapshot_meta_column_names")
                }
            }
        }
        validToCurrent = config["dbt_valid_to_current"].flatMap { $0 == .null ? nil : $0.stringValue }
    }
}
