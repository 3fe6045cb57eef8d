import Foundation
import PostgresClient

/// Generates the single SQL string (one round-trip, one implicit transaction) that materializes a node.
///
/// All statements of a node go to the server in one simple-protocol message, which PostgreSQL runs
/// as one transaction: either everything commits or nothing does, and the connection is clean either way.
/// The last statement returns the rows written (from the transaction's own table statistics), except for a lone
/// `CREATE TABLE … AS`, whose command tag (`SELECT n`) carries the count.
enum Materializer {
    static func q(_ s: String) -> String { Connection.quoteIdentifier(s) }
    static func lit(_ s: String) -> String { Connection.quoteLiteral(s) }

    static func tempName(_ r: Relation) -> Relation {
        Relation(schema: r.schema, name: String(r.name.prefix(48)) + "__fitdata_tmp")
    }

    /// `CREATE OR REPLACE VIEW`: keeps dependent views and grants; fails when columns change (see ``viewSwap``).
    static func view(_ rel: Relation, sql: String, extras: [String]) -> String {
        (["CREATE OR REPLACE VIEW \(rel.quoted) AS\n\(sql)\n"] + extras).joined(separator: ";\n") + ";"
    }

    /// A view whose columns changed (or that replaces a table): built under a temporary name and swapped in.
    static func viewSwap(_ rel: Relation, sql: String, extras: [String], rebuilt: [Relation]) -> String {
        let tmp = tempName(rel)
        return ([
            "DROP VIEW IF EXISTS \(tmp.quoted)",
            "CREATE VIEW \(tmp.quoted) AS\n\(sql)\n",
            swap(target: rel, temporary: tmp, rebuilt: rebuilt),
        ] + extras).joined(separator: ";\n") + ";"
    }

    /// How a table model replaces what is in the database (decided from the run's catalog snapshot).
    enum TableStrategy: Equatable {
        /// Nothing has the name yet: `CREATE TABLE … AS` directly (no temporary name, no swap).
        /// If something appeared meanwhile, the statement fails (42P07) and nothing changes.
        case create
        /// A plain table that no view depends on: build under the temporary name, then `DROP TABLE` + rename.
        /// A dependent that appeared meanwhile makes the `DROP` fail (2BP01) and leaves the old table.
        case replace
        /// Anything else (dependent views, a view in the way): the general ``swap(target:temporary:rebuilt:)``.
        case swap

        /// SQLSTATEs with which a `create` / `replace` statement fails when the catalog snapshot was stale;
        /// the caller then retries with `swap`.
        static let staleSQLStates: Set<String> = ["42P07", "2BP01", "42809"]
    }

    static func tableStrategy(kind: String?, hasDependents: Bool) -> TableStrategy {
        guard let kind else { return .create }
        return kind == "r" && !hasDependents ? .replace : .swap
    }

    /// A table model in one transaction; on failure the old relation (if any) is left as it was.
    ///
    /// `.swap`/`.replace`: built as `<name>__fitdata_tmp`, indexed, then swapped in by rename, so readers see the
    /// old table until commit and the new one after. `.create`: built under its own name (nobody can see it before commit).
    static func table(_ rel: Relation, sql: String, indexes: [IndexSpec], extras: [String], rebuilt: [Relation],
                      strategy: TableStrategy = .swap) -> String {
        if strategy == .create {
            var stmts = ["CREATE TABLE \(rel.quoted) AS (\n\(sql)\n)"]
            for (i, ix) in indexes.enumerated() { stmts.append(createIndex(on: rel, ix, name: indexName(rel, ix, i))) }
            stmts += extras
            // Alone, the statement's own command tag ("SELECT n") is the row count: no second statement.
            if stmts.count > 1 { stmts.append(rowCount(rel)) }
            return stmts.joined(separator: ";\n") + ";"
        }
        let tmp = tempName(rel)
        var stmts = [
            "DROP TABLE IF EXISTS \(tmp.quoted)",
            "CREATE TABLE \(tmp.quoted) AS (\n\(sql)\n)",
        ]
        for (i, ix) in indexes.enumerated() { stmts.append(createIndex(on: tmp, ix, name: String(rel.name.prefix(40)) + "__fitdata_ix\(i)")) }
        if strategy == .replace {
            // No DO block, no advisory lock: no view is dropped or recreated. DROP without CASCADE fails on
            // any dependent (2BP01) and IF EXISTS tolerates a table dropped since the catalog was read.
            stmts.append("DROP TABLE IF EXISTS \(rel.quoted)")
            stmts.append("ALTER TABLE \(tmp.quoted) RENAME TO \(q(rel.name))")
        } else {
            stmts.append(swap(target: rel, temporary: tmp, rebuilt: rebuilt))
        }
        // The old table and its indexes are gone now: give the new indexes their stable names.
        for (i, ix) in indexes.enumerated() {
            stmts.append("ALTER INDEX \(q(rel.schema)).\(q(String(rel.name.prefix(40)) + "__fitdata_ix\(i)")) RENAME TO \(q(indexName(rel, ix, i)))")
        }
        stmts += extras
        stmts.append(rowCount(rel))
        return stmts.joined(separator: ";\n") + ";"
    }

    /// An incremental run: new rows into a temp table, delete matching `unique_key` rows, insert by column name.
    static func incremental(_ rel: Relation, sql: String, uniqueKey: [String], extras: [String]) -> String {
        let tmpName = String(rel.name.prefix(48)) + "__fitdata_incr"
        let tmp = "pg_temp." + q(tmpName)
        var stmts = ["CREATE TEMP TABLE \(q(tmpName)) ON COMMIT DROP AS (\n\(sql)\n)"]
        if !uniqueKey.isEmpty {
            let cond = uniqueKey.map { "t.\(q($0)) = s.\(q($0))" }.joined(separator: " AND ")
            stmts.append("DELETE FROM \(rel.quoted) AS t USING \(tmp) AS s WHERE \(cond)")
        }
        // Insert the columns both relations share, by name (dbt's on_schema_change: ignore).
        stmts.append("""
        DO $fitdata_incr$
        DECLARE cols text;
        BEGIN
          SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
            FROM pg_attribute a
           WHERE a.attrelid = to_regclass(\(lit(rel.quoted))) AND a.attnum > 0 AND NOT a.attisdropped
             AND EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = to_regclass(\(lit(tmp)))
                          AND b.attname = a.attname AND b.attnum > 0 AND NOT b.attisdropped);
          IF cols IS NULL THEN RAISE EXCEPTION 'incremental model %: no column in common with the existing table', \(lit(rel.description)); END IF;
          EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s', \(lit(rel.quoted)), cols, cols, \(lit(tmp)));
        END $fitdata_incr$
        """)
        stmts += extras
        stmts.append(rowCount(rel))
        return stmts.joined(separator: ";\n") + ";"
    }

    static func rowCount(_ rel: Relation) -> String {
        "SELECT pg_stat_get_xact_tuples_inserted(to_regclass(\(lit(rel.quoted)))) AS rows_inserted"
    }

    static func createIndex(on rel: Relation, _ index: IndexSpec, name: String) -> String {
        let using = index.type.flatMap { t in t.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? " USING \(t)" : nil } ?? ""
        return "CREATE \(index.unique ? "UNIQUE " : "")INDEX \(q(name)) ON \(rel.quoted)\(using) (\(index.columns.map(q).joined(separator: ", ")))"
    }

    /// `<table>_<columns>_idx` (or `_uidx`), shortened to PostgreSQL's 63-byte limit.
    static func indexName(_ rel: Relation, _ index: IndexSpec, _ i: Int) -> String {
        let full = "\(rel.name)_\(index.columns.joined(separator: "_"))_\(index.unique ? "uidx" : "idx")"
        if full.utf8.count <= 63 { return full }
        return String(rel.name.prefix(45)) + "_\(i)_\(index.unique ? "uidx" : "idx")"
    }

    /// GRANT statements for `grants: {select: [role]}`; schema USAGE is granted once per run by the runner.
    static func grants(_ rel: Relation, _ grants: [(String, [String])]) -> [String] {
        grants.flatMap { priv, roles -> [String] in
            let p = priv.uppercased()
            guard !roles.isEmpty, p.allSatisfy({ $0.isLetter || $0 == " " }) else { return [] }
            return ["GRANT \(p) ON \(rel.quoted) TO \(roles.map(q).joined(separator: ", "))"]
        }
    }

    /// `COMMENT ON` for a relation and its documented columns (columns that do not exist are skipped).
    static func comments(_ rel: Relation, isView: Bool, description: String, columns: [ColumnDoc], relation: Bool, withColumns: Bool) -> [String] {
        var out: [String] = []
        if relation, !description.isEmpty {
            out.append("COMMENT ON \(isView ? "VIEW" : "TABLE") \(rel.quoted) IS \(lit(description))")
        }
        let cols = withColumns ? columns.filter { !$0.description.isEmpty } : []
        if !cols.isEmpty {
            var body = "DECLARE r regclass := to_regclass(\(lit(rel.quoted)));\nBEGIN\n"
            for c in cols {
                body += "  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = r AND attname = \(lit(c.name)) AND NOT attisdropped) THEN\n"
                body += "    COMMENT ON COLUMN \(rel.quoted).\(q(c.name)) IS \(lit(c.description));\n  END IF;\n"
            }
            body += "END"
            out.append("DO " + dollarQuote(body))
        }
        return out
    }

    /// Wraps `body` in a dollar-quote whose tag does not occur in it.
    static func dollarQuote(_ body: String) -> String {
        var tag = "$fitdata$"
        var n = 0
        while body.contains(tag) { n += 1; tag = "$fitdata\(n)$" }
        return tag + body + tag
    }

    /// The transaction-level advisory lock key that serializes swaps ("fitdswap" as bytes).
    static let swapLockKey: Int64 = 0x6669_7464_7377_6170

    /// Replaces `target` by `temporary` in the current transaction, keeping views that depend on the old one.
    ///
    /// Dependent views (transitively) are captured with their definitions, comments and grants, dropped
    /// (deepest first), the old relation is dropped without CASCADE (any other dependent, such as a foreign
    /// key, makes the build fail and leaves everything as it was), `temporary` is renamed to the target name,
    /// and the views are recreated on the new relation. A dependent view that no longer fits the new columns
    /// fails the build — unless it is itself rebuilt later in this run (`rebuilt`), then it is left to that step.
    static func swap(target: Relation, temporary: Relation, rebuilt: [Relation]) -> String {
        let rebuiltArray = rebuilt.isEmpty ? "'{}'::text[]" : "ARRAY[" + rebuilt.map { lit($0.schema + "." + $0.name) }.joined(separator: ", ") + "]"
        // Swaps are serialized across connections (held to commit): two swaps touching a shared dependent view
        // would otherwise deadlock or read a view the other one just dropped. The lock is its own statement so the
        // DO block's catalog reads start after it (READ COMMITTED: a fresh snapshot per statement).
        return """
        SELECT pg_advisory_xact_lock(\(swapLockKey));
        DO $fitdata_swap$
        DECLARE
          target regclass := to_regclass(\(lit(target.quoted)));
          v record; a record;
          stmts text[] := '{}'; owners text[] := '{}'; drops text[] := '{}'; failed text[] := '{}';
          rebuilt text[] := \(rebuiltArray);
          vname text; vkind text;
        BEGIN
          IF target IS NOT NULL THEN
            FOR v IN
              WITH RECURSIVE dep(oid, depth) AS (
                SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                 WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                   AND d.refobjid = target AND r.ev_class <> target
                UNION
                SELECT r.ev_class, dep.depth + 1 FROM dep
                  JOIN pg_depend d ON d.refobjid = dep.oid AND d.refclassid = 'pg_class'::regclass AND d.classid = 'pg_rewrite'::regclass
                  JOIN pg_rewrite r ON r.oid = d.objid
                 WHERE r.ev_class <> dep.oid
              ), deepest AS (SELECT oid, max(depth) AS depth FROM dep GROUP BY oid)
              SELECT c.oid, n.nspname, c.relname, c.relkind, deepest.depth
                FROM deepest JOIN pg_class c ON c.oid = deepest.oid JOIN pg_namespace n ON n.oid = c.relnamespace
               ORDER BY deepest.depth, n.nspname, c.relname
            LOOP
              vname := format('%I.%I', v.nspname, v.relname);
              vkind := CASE WHEN v.relkind = 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END;
              drops := format('DROP %s %s', vkind, vname) || drops;
              stmts := stmts || format('CREATE %s %s AS %s', vkind, vname, pg_get_viewdef(v.oid));
              owners := owners || (v.nspname || '.' || v.relname);
              IF obj_description(v.oid, 'pg_class') IS NOT NULL THEN
                stmts := stmts || format('COMMENT ON %s %s IS %L', vkind, vname, obj_description(v.oid, 'pg_class'));
                owners := owners || (v.nspname || '.' || v.relname);
              END IF;
              FOR a IN SELECT att.attname, col_description(v.oid, att.attnum) AS d FROM pg_attribute att
                        WHERE att.attrelid = v.oid AND att.attnum > 0 AND col_description(v.oid, att.attnum) IS NOT NULL LOOP
                stmts := stmts || format('COMMENT ON COLUMN %s.%I IS %L', vname, a.attname, a.d);
                owners := owners || (v.nspname || '.' || v.relname);
              END LOOP;
              FOR a IN SELECT g.privilege_type, g.grantee FROM pg_class c, aclexplode(c.relacl) g
                        WHERE c.oid = v.oid AND g.grantee <> c.relowner LOOP
                stmts := stmts || format('GRANT %s ON %s TO %s', a.privilege_type, vname,
                                         CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END);
                owners := owners || (v.nspname || '.' || v.relname);
              END LOOP;
            END LOOP;
            FOR i IN 1..coalesce(array_length(drops, 1), 0) LOOP EXECUTE drops[i]; END LOOP;
            EXECUTE format('DROP %s %s', CASE (SELECT relkind FROM pg_class WHERE oid = target)
                                            WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, target);
          END IF;
          EXECUTE \(lit("ALTER TABLE \(temporary.quoted) RENAME TO \(q(target.name))"));
          FOR i IN 1..coalesce(array_length(stmts, 1), 0) LOOP
            CONTINUE WHEN owners[i] = ANY(failed);
            BEGIN
              EXECUTE stmts[i];
            EXCEPTION WHEN OTHERS THEN
              IF owners[i] = ANY(rebuilt) THEN
                failed := failed || owners[i];
              ELSE
                RAISE EXCEPTION 'cannot recreate dependent view % on the new %: %', owners[i], \(lit(target.description)), SQLERRM
                  USING HINT = 'rebuild the dependent view in the same run (e.g. --select <model>+)';
              END IF;
            END;
          END LOOP;
        END $fitdata_swap$
        """
    }
}
