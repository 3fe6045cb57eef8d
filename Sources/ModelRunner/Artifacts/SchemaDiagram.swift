import Foundation
import PostgresClient

/// The entity-relationship diagram of one schema, read from the live catalog and drawn as Mermaid `erDiagram`.
///
/// Tables (ordinary and partitioned, not partitions), their columns in `attnum` order, primary keys, unique keys
/// (unique indexes without predicate or expression) and foreign keys. Output is sorted by table and constraint name
/// (byte order), so the same schema always gives the same text.
public struct SchemaDiagram: Sendable, Equatable {
    /// One column and the keys it takes part in.
    public struct Column: Sendable, Equatable {
        public var name: String
        /// `format_type` without modifiers, e.g. `timestamp with time zone`, `numeric`, `text[]`.
        public var type: String
        public var notNull: Bool
        public var inPrimaryKey = false
        public var inUniqueKey = false
        public var inForeignKey = false
    }

    /// One table of the schema.
    public struct Table: Sendable, Equatable {
        public var name: String
        public var columns: [Column]
        /// Column lists of the primary key and every unique key, for one-to-one detection.
        public var keys: [[String]] = []
    }

    /// One foreign key from a table of the schema to any table (possibly in another schema).
    public struct ForeignKey: Sendable, Equatable {
        public var name: String
        public var table: String
        public var columns: [String]
        public var referencedSchema: String
        public var referencedTable: String
    }

    public let schema: String
    public private(set) var tables: [Table]
    public private(set) var foreignKeys: [ForeignKey]

    /// Reads `schema` from the catalog; an absent or empty schema is a ``ProjectError`` naming it.
    public static func load(_ conn: Connection, schema: String) throws -> SchemaDiagram {
        let cols = try conn.query("""
            SELECT c.relname, a.attname, format_type(a.atttypid, NULL), a.attnotnull::text
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             ORDER BY c.relname COLLATE "C", a.attnum
            """, [schema])
        var tables: [Table] = []
        for row in cols.rows {
            let column = Column(name: row[1]!, type: row[2]!, notNull: row[3] == "true")
            if tables.last?.name == row[0]! { tables[tables.count - 1].columns.append(column) }
            else { tables.append(Table(name: row[0]!, columns: [column])) }
        }
        guard !tables.isEmpty else {
            throw ProjectError("docs: schema \(schema) has no tables; run `fitdata db init` first")
        }
        let keys = try conn.query("""
            SELECT c.relname, ic.relname, ix.indisprimary::text, a.attname
              FROM pg_index ix
              JOIN pg_class c ON c.oid = ix.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_class ic ON ic.oid = ix.indexrelid
             CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos)
              JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
             WHERE n.nspname = $1 AND ix.indisunique AND ix.indpred IS NULL AND ix.indexprs IS NULL
               AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND k.pos <= ix.indnkeyatts
             ORDER BY c.relname COLLATE "C", ic.relname COLLATE "C", k.pos
            """, [schema])
        let fks = try conn.query("""
            SELECT c.relname, con.conname, a.attname, fn.nspname, fc.relname
              FROM pg_constraint con
              JOIN pg_class c ON c.oid = con.conrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_class fc ON fc.oid = con.confrelid
              JOIN pg_namespace fn ON fn.oid = fc.relnamespace
             CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, pos)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             WHERE n.nspname = $1 AND con.contype = 'f' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             ORDER BY c.relname COLLATE "C", con.conname COLLATE "C", k.pos
            """, [schema])
        var d = SchemaDiagram(schema: schema, tables: tables, foreignKeys: [])
        var lastKey: (String, String)?
        for row in keys.rows {
            let (table, index, primary, column) = (row[0]!, row[1]!, row[2] == "true", row[3]!)
            guard let t = d.tables.firstIndex(where: { $0.name == table }) else { continue }
            if lastKey.map({ $0 == (table, index) }) == true { d.tables[t].keys[d.tables[t].keys.count - 1].append(column) }
            else { d.tables[t].keys.append([column]) }
            lastKey = (table, index)
            if let c = d.tables[t].columns.firstIndex(where: { $0.name == column }) {
                if primary { d.tables[t].columns[c].inPrimaryKey = true } else { d.tables[t].columns[c].inUniqueKey = true }
            }
        }
        for row in fks.rows {
            let (table, name, column) = (row[0]!, row[1]!, row[2]!)
            if let last = d.foreignKeys.last, last.table == table, last.name == name {
                d.foreignKeys[d.foreignKeys.count - 1].columns.append(column)
            } else {
                d.foreignKeys.append(ForeignKey(name: name, table: table, columns: [column], referencedSchema: row[3]!, referencedTable: row[4]!))
            }
            if let t = d.tables.firstIndex(where: { $0.name == table }), let c = d.tables[t].columns.firstIndex(where: { $0.name == column }) {
                d.tables[t].columns[c].inForeignKey = true
            }
        }
        return d
    }

    /// A Mermaid word: letters, digits and `_` kept, anything else `_` (Mermaid entity and attribute names).
    static func word(_ s: String) -> String {
        String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    }

    /// The entity name of a table: its own name inside the schema, `schema_table` outside it.
    func entity(schema: String, table: String) -> String {
        Self.word(schema == self.schema ? table : "\(schema)_\(table)")
    }

    /// The Mermaid type word of a column type: spaces become `_`, `[]` kept (`timestamp_with_time_zone`, `text[]`).
    static func typeWord(_ type: String) -> String {
        let isArray = type.hasSuffix("[]")
        let base = isArray ? String(type.dropLast(2)) : type
        return word(base) + (isArray ? "[]" : "")
    }

    /// The diagram as Mermaid `erDiagram` text.
    ///
    /// A foreign key is drawn from the referenced table (`||`, or `|o` when a key column is nullable) to the
    /// referencing one (`o|` when the key columns are the table's primary or a unique key, else `o{`), labelled
    /// with its columns. Tables of other schemas appear as `schema_table` entities without attributes.
    public var mermaid: String {
        var out = "erDiagram\n"
        for t in tables {
            out += "  \(Self.word(t.name)) {\n"
            for c in t.columns {
                let marks = [c.inPrimaryKey ? "PK" : nil, c.inForeignKey ? "FK" : nil, c.inUniqueKey ? "UK" : nil].compactMap { $0 }
                out += "    \(Self.typeWord(c.type)) \(Self.word(c.name))" + (marks.isEmpty ? "" : " " + marks.joined(separator: ", "))
                out += c.notNull ? "\n" : " \"nullable\"\n"
            }
            out += "  }\n"
        }
        for fk in foreignKeys {
            guard let t = tables.first(where: { $0.name == fk.table }) else { continue }
            let nullable = fk.columns.contains { name in t.columns.first { $0.name == name }?.notNull == false }
            let oneToOne = t.keys.contains { Set($0) == Set(fk.columns) }
            let parent = entity(schema: fk.referencedSchema, table: fk.referencedTable)
            out += "  \(parent) \(nullable ? "|o" : "||")--\(oneToOne ? "o|" : "o{") \(Self.word(fk.table)) : \"\(fk.columns.joined(separator: ", ").replacingOccurrences(of: "\"", with: "'"))\"\n"
        }
        return out
    }
}
