import Foundation
import PostgresClient

/// What exists in the database before a run: relation kinds by `schema.name`.
struct Catalog: Sendable {
    /// `schema.name` → pg_class.relkind (`r` table, `v` view, `m` matview, `p` partitioned table).
    var relations: [String: String] = [:]
    /// `schema.name` of the relations that some view or materialized view depends on (via its rewrite rule).
    var withDependents: Set<String> = []

    static func key(_ r: Relation) -> String { r.schema + "\u{1f}" + r.name }

    /// Reads the relations of `schemas`, and whether a view depends on each, in one query.
    static func load(_ conn: Connection, schemas: [String]) throws -> Catalog {
        var c = Catalog()
        guard !schemas.isEmpty else { return c }
        let res = try conn.query("""
            SELECT n.nspname, c.relname, c.relkind::text,
                   EXISTS (SELECT 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid
                              AND d.classid = 'pg_rewrite'::regclass AND r.ev_class <> c.oid)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
            """, [pgArray(schemas)])
        for row in res.rows {
            let key = row[0]! + "\u{1f}" + row[1]!
            c.relations[key] = row[2]!
            if row[3] == "t" { c.withDependents.insert(key) }
        }
        return c
    }

    func kind(_ r: Relation) -> String? { relations[Self.key(r)] }
    func exists(_ r: Relation) -> Bool { kind(r) != nil }
    func isTable(_ r: Relation) -> Bool { kind(r) == "r" || kind(r) == "p" }
    /// Whether a view or materialized view depended on `r` when the run started.
    func hasDependents(_ r: Relation) -> Bool { withDependents.contains(Self.key(r)) }
}

/// A text[] literal for binding as one parameter (`$1::text[]`).
func pgArray(_ items: [String]) -> String {
    "{" + items.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        .joined(separator: ",") + "}"
}

/// Column names and SQL types of an existing relation, in order (empty when it does not exist).
func relationColumns(_ conn: Connection, _ quotedRelation: String) throws -> [(name: String, type: String)] {
    let res = try conn.query("""
        SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
         WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
        """, [quotedRelation])
    return res.rows.map { ($0[0]!, $0[1]!) }
}
