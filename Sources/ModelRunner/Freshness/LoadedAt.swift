import Foundation

/// What `source freshness` measures for a table: `max(loaded_at_field)`, or the one value a `loaded_at_query` returns.
public enum LoadedAt: Sendable, Equatable {
    /// A column or SQL expression; the check is `max(field)` over the table (narrowed by the freshness `filter`).
    case field(String)
    /// A query returning one row with one timestamp column, rendered with Jinja when the check runs (`{{ this }}` is the
    /// source table); the freshness `filter` does not apply to it (dbt 1.10+). `line` is the value's line in the .yml.
    case query(String, line: Int)

    /// One level's settings (the source's or the table's), given directly or under `config:`; `fieldPresent` is true when
    /// `loaded_at_field` is written at that level, even as null.
    struct Level {
        var field: String?
        var fieldPresent = false
        var query: String?
        var queryLine = 1
    }

    /// Resolves the table's setting the way dbt-core 1.11 does (`calculate_loaded_at_field_query_from_raw_target`):
    /// both keys on one level is an error; the table's `loaded_at_field` (even null) hides the source's
    /// `loaded_at_query`; a `loaded_at_query` wins over a `loaded_at_field` inherited from the source.
    static func resolve(source: Level, table: Level, what: String, sourceAt: SourceLocation, tableAt: SourceLocation) throws -> LoadedAt? {
        if table.fieldPresent && table.query != nil {
            throw ProjectError("\(what): Cannot specify both loaded_at_field and loaded_at_query at table level.", at: tableAt)
        }
        if source.field != nil && source.query != nil {
            throw ProjectError("\(what): Cannot specify both loaded_at_field and loaded_at_query at source level.", at: sourceAt)
        }
        let field = table.fieldPresent ? table.field : source.field
        if let query = table.query { return .query(query, line: table.queryLine) }
        if !table.fieldPresent, let query = source.query { return .query(query, line: source.queryLine) }
        return field.map(LoadedAt.field)
    }
}
