import Foundation
import PostgresClient

/// The SQL of a snapshot run, as dbt-postgres builds it (same meta columns, same change detection, same merge):
/// our own statements, written after reading dbt's snapshot materialization and `postgres__snapshot_merge_sql`.
struct SnapshotSQL {
    let config: SnapshotConfig
    /// The snapshot's compiled select.
    let query: String
    let target: Relation

    static func q(_ s: String) -> String { Connection.quoteIdentifier(s) }

    /// dbt-postgres' `snapshot_get_time()`: the transaction's start, without time zone.
    static let now = "now()::timestamp without time zone"

    /// What a row's validity starts at: `updated_at` (timestamp strategy, or check with `updated_at` set) or now.
    var updatedAt: String {
        switch config.strategy {
        case .timestamp(let u): return u
        case .check(_, let u): return u ?? Self.now
        }
    }

    /// `md5` of the key values and `updated_at`, each cast to text, `|`-separated (dbt's `dbt_scd_id`).
    var scdId: String {
        let args = config.uniqueKey + [updatedAt]
        return "md5(" + args.map { "coalesce(cast(\($0) as varchar ), '')" }.joined(separator: " || '|' || ") + ")"
    }

    /// The value current rows carry in `dbt_valid_to` (NULL unless `dbt_valid_to_current` is set), typed like `updated_at`.
    var validToCurrent: String {
        "coalesce(nullif(\(updatedAt), \(updatedAt)), \(config.validToCurrent ?? "null"))"
    }

    /// The key columns of the staging query: `dbt_unique_key`, or `dbt_unique_key_1…` for a list.
    var keyNames: [String] {
        config.keyIsList ? (1...config.uniqueKey.count).map { "dbt_unique_key_\($0)" } : ["dbt_unique_key"]
    }

    private var keyFields: String {
        zip(config.uniqueKey, keyNames).map { "\($0) as \($1)" }.joined(separator: ", ")
    }

    private func keyJoin(_ a: String, _ b: String) -> String {
        keyNames.map { "\(a).\($0) = \(b).\($0)" }.joined(separator: " and ")
    }

    /// Rows of the target that are current: `dbt_valid_to` is null (or equals `dbt_valid_to_current`).
    private func isCurrent(_ rel: String) -> String {
        let col = "\(rel).\(Self.q(config.meta.validTo))"
        if let c = config.validToCurrent { return "(\(col) = \(c) or \(col) is null)" }
        return "\(col) is null"
    }

    /// `hard_deletes: new_record`: deletions are recorded as rows with `dbt_is_deleted = 'True'`.
    var recordsDeletes: Bool { config.hardDeletes == .newRecord }

    /// `, 'False' as dbt_is_deleted` with `new_record`, else nothing.
    private var notDeleted: String { recordsDeletes ? ",\n        'False' as \(Self.q(config.meta.isDeleted))" : "" }

    /// A current snapshotted row already marked deleted (new_record): it is not deleted again.
    private var alreadyDeleted: String {
        "snapshotted_data.\(Self.q(config.meta.isDeleted)) = 'True' and \(isCurrent("snapshotted_data"))"
    }

    /// The first run: the query's rows with the meta columns, as a new table.
    func create() -> String {
        let m = config.meta
        return """
        create table \(target.quoted) as (
            select *,
                \(scdId) as \(Self.q(m.scdId)),
                \(updatedAt) as \(Self.q(m.updatedAt)),
                \(updatedAt) as \(Self.q(m.validFrom)),
                \(validToCurrent) as \(Self.q(m.validTo))\(notDeleted)
            from (
        \(query)
            ) sbq
        )
        """
    }

    /// When a snapshotted row counts as changed: a newer `updated_at` (timestamp), or any checked column differs (check).
    /// `checkColumns` are the quoted columns both the query and the table have; `columnAdded` makes every row changed.
    func rowChanged(checkColumns: [String], columnAdded: Bool) -> String {
        switch config.strategy {
        case .timestamp(let u):
            return "(snapshotted_data.\(Self.q(config.meta.validFrom)) < source_data.\(u))"
        case .check:
            if columnAdded { return "(TRUE)" }
            return "(" + checkColumns.map { c in
                let s = "snapshotted_data.\(c)", n = "source_data.\(c)"
                return "\(s) != \(n) or ((\(s) is null) and not (\(n) is null)) or ((not \(s) is null) and (\(n) is null))"
            }.joined(separator: " or ") + ")"
        }
    }

    /// The staging rows of a later run: `insert` (new or changed rows), `update` (the current version they close), and
    /// with `hard_deletes: invalidate` or `new_record`, `delete` (current rows whose key left the query); with
    /// `new_record` also an `insert` of a deletion record per such row. `queryColumns` and `tableColumns` name the
    /// query's and the table's columns (a deletion record copies the table's values, NULL for columns it lacks).
    func staging(into temp: String, rowChanged rawRowChanged: String, queryColumns: [String] = [], tableColumns: Set<String> = []) -> String {
        let m = config.meta
        let invalidate = config.hardDeletes == .invalidate || recordsDeletes
        let isDeleted = Self.q(m.isDeleted)
        // With new_record a row deleted earlier that shows up again counts as changed.
        let rowChanged = recordsDeletes ? "\(rawRowChanged) or snapshotted_data.\(isDeleted) = 'True'" : rawRowChanged
        var sql = """
        create temporary table \(Self.q(temp)) on commit drop as (
        with snapshot_query as (
        \(query)
        ),
        snapshotted_data as (
            select *, \(keyFields)
            from \(target.quoted)
            where \(isCurrent(target.quoted))
        ),
        insertions_source_data as (
            select *, \(keyFields),
                \(updatedAt) as \(Self.q(m.updatedAt)),
                \(updatedAt) as \(Self.q(m.validFrom)),
                \(validToCurrent) as \(Self.q(m.validTo)),
                \(scdId) as \(Self.q(m.scdId))
            from snapshot_query
        ),
        updates_source_data as (
            select *, \(keyFields),
                \(updatedAt) as \(Self.q(m.updatedAt)),
                \(updatedAt) as \(Self.q(m.validFrom)),
                \(updatedAt) as \(Self.q(m.validTo))
            from snapshot_query
        ),
        """
        if invalidate {
            sql += """

            deletes_source_data as (
                select *, \(keyFields)
                from snapshot_query
            ),
            """
        }
        sql += """

        insertions as (
            select 'insert' as dbt_change_type, source_data.*\(recordsDeletes ? ", 'False' as \(isDeleted)" : "")
            from insertions_source_data as source_data
            left outer join snapshotted_data on \(keyJoin("snapshotted_data", "source_data"))
            where snapshotted_data.\(keyNames[0]) is null
               or (snapshotted_data.\(keyNames[0]) is not null and (\(rowChanged)))
        ),
        updates as (
            select 'update' as dbt_change_type, source_data.*, snapshotted_data.\(Self.q(m.scdId))\(recordsDeletes ? ", snapshotted_data.\(isDeleted)" : "")
            from updates_source_data as source_data
            join snapshotted_data on \(keyJoin("snapshotted_data", "source_data"))
            where (\(rowChanged))
        )
        """
        if invalidate {
            sql += """
            ,
            deletes as (
                select 'delete' as dbt_change_type, source_data.*,
                    \(Self.now) as \(Self.q(m.validFrom)),
                    \(Self.now) as \(Self.q(m.updatedAt)),
                    \(Self.now) as \(Self.q(m.validTo)),
                    snapshotted_data.\(Self.q(m.scdId))\(recordsDeletes ? ", snapshotted_data.\(isDeleted)" : "")
                from snapshotted_data
                left join deletes_source_data as source_data on \(keyJoin("snapshotted_data", "source_data"))
                where source_data.\(keyNames[0]) is null\(recordsDeletes ? "\n          and not (\(alreadyDeleted))" : "")
            )
            """
        }
        if recordsDeletes {
            let copied = queryColumns.map { c in
                tableColumns.contains(c) ? "snapshotted_data.\(Self.q(c))" : "source_data.\(Self.q(c))"
            }
            let keys = keyNames.map { "snapshotted_data.\($0) as \($0)" }
            let newScdId = "md5(coalesce(cast(\(Self.q(m.scdId)) as varchar ), '') || '|' || coalesce(cast(\(Self.now) as varchar ), ''))"
            sql += """
            ,
            deletion_records as (
                select 'insert' as dbt_change_type, \((copied + keys).joined(separator: ", ")),
                    \(Self.now) as \(Self.q(m.validFrom)),
                    \(Self.now) as \(Self.q(m.updatedAt)),
                    snapshotted_data.\(Self.q(m.validTo)) as \(Self.q(m.validTo)),
                    \(newScdId) as \(Self.q(m.scdId)),
                    'True' as \(isDeleted)
                from snapshotted_data
                left join deletes_source_data as source_data on \(keyJoin("snapshotted_data", "source_data"))
                where source_data.\(keyNames[0]) is null
                  and not (\(alreadyDeleted))
            )
            """
        }
        sql += "\nselect * from insertions\nunion all\nselect * from updates"
        if invalidate { sql += "\nunion all\nselect * from deletes" }
        if recordsDeletes { sql += "\nunion all\nselect * from deletion_records" }
        return sql + "\n)"
    }

    /// Staging columns that are bookkeeping, not data: never added to or inserted into the target.
    var stagingOnlyColumns: Set<String> { Set(["dbt_change_type"] + keyNames) }

    /// Closes the versions that changed or disappeared, then inserts the new versions (`postgres__snapshot_merge_sql`).
    func merge(from temp: String, insertColumns: [String]) -> (update: String, insert: String) {
        let m = config.meta
        let t = target.quoted
        let s = "DBT_INTERNAL_SOURCE"
        let cols = insertColumns.map(Self.q)
        let update = """
        update \(t)
        set \(Self.q(m.validTo)) = \(s).\(Self.q(m.validTo))
        from pg_temp.\(Self.q(temp)) as \(s)
        where \(s).\(Self.q(m.scdId))::text = \(t).\(Self.q(m.scdId))::text
          and \(s).dbt_change_type::text in ('update'::text, 'delete'::text)
          and \(isCurrent(t))
        """
        let insert = """
        insert into \(t) (\(cols.joined(separator: ", ")))
        select \(cols.map { "\(s).\($0)" }.joined(separator: ", "))
        from pg_temp.\(Self.q(temp)) as \(s)
        where \(s).dbt_change_type::text = 'insert'::text
        """
        return (update, insert)
    }
}
