"""Content checksums of a database, read from the catalog so that new tables and columns are covered.

A fingerprint maps each relation to (kind, rows, md5). For a table the md5 is over the text of every
row, ordered, of its *canonical* columns:
  - identity columns (the `*_sk` surrogate keys, `file_id`, `load_id`, …) are left out: their values come
    from sequences, which a killed run advances, so a rerun legitimately allocates other numbers;
  - a foreign key to an identity column is replaced by the canonical row it points to (recursively), so
    `sets.workout_exercise_sk` is compared as "the block at position p of the workout (athlete, start,
    title)", not as a number;
  - columns whose default is `now()` / `CURRENT_TIMESTAMP` (created_at, updated_at, received_at,
    rejected_at, first/last_loaded_at …) are left out: they record when a row was written, not what;
  - a foreign key into an excluded schema (`meta`, e.g. `raw.rejects.load_id`) is left out.
The `meta` schema is not compared (run bookkeeping: load ids, start/finish times, one row per run
including killed ones, sync watermarks = run time); its invariants are checked in consistency.py.
A view is fingerprinted by its definition (its content follows from the tables). Two extra entries hold
the constraint and index definitions of the compared schemas, so a load killed in bulk mode (foreign
keys and indexes dropped and re-added in its transaction) cannot leave them missing unnoticed.
"""
import hashlib

EXCLUDED_SCHEMAS = ("meta",)
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
MAX_DEPTH = 4


def user_schemas(pg, db):
    """Non-system schemas of `db` that hold relations, without the excluded ones."""
    rows = pg.rows(db, "SELECT DISTINCT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.relkind IN ('r','p','v','m') AND n.nspname NOT LIKE 'pg\\_%' "
                       "AND n.nspname <> 'information_schema' ORDER BY 1")
    return [r[0] for r in rows if r[0] not in EXCLUDED_SCHEMAS]


class Catalog:
    """Columns, identity flags, now()-defaults and single-column foreign keys of every user table."""

    def __init__(self, pg, db):
        self.columns = {}   # "schema.table" -> [(name, is_identity, now_default)]
        for schema, table, col, ident, dflt in pg.rows(db, """
                SELECT n.nspname, c.relname, a.attname, a.attidentity <> '', 
                       coalesce(pg_get_expr(d.adbin, d.adrelid) ~* '(now\\(\\)|current_timestamp|clock_timestamp|statement_timestamp|transaction_timestamp)', false)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
                WHERE c.relkind IN ('r','p') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                ORDER BY n.nspname, c.relname, a.attnum"""):
            self.columns.setdefault(f"{schema}.{table}", []).append((col, ident == "t", dflt == "t"))
        self.fks = {}       # ("schema.table", column) -> ("schema.table", referenced column)
        for child, col, parent, pcol in pg.rows(db, """
                SELECT format('%s.%s', cn.nspname, cc.relname), ca.attname, format('%s.%s', pn.nspname, pc.relname), pa.attname
                FROM pg_constraint k
                JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
                JOIN pg_class pc ON pc.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1]
                JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
                WHERE k.contype = 'f' AND cardinality(k.conkey) = 1"""):
            self.fks[(child, col)] = (parent, pcol)

    def is_identity(self, table, col):
        return any(c == col and ident for c, ident, _ in self.columns.get(table, []))


def quote_rel(rel):
    schema, table = rel.split(".", 1)
    return f'"{schema}"."{table}"'


def canonical_row(cat, rel, alias, joins, depth=0, path=()):
    """SQL expression of the canonical row of `rel` under `alias`; appends the LEFT JOINs it needs."""
    parts = []
    for col, ident, now_default in cat.columns[rel]:
        if now_default:
            continue
        fk = cat.fks.get((rel, col))
        if fk:
            parent, pcol = fk
            if parent.split(".", 1)[0] in EXCLUDED_SCHEMAS:
                continue
            if cat.is_identity(parent, pcol):
                if depth >= MAX_DEPTH or parent in path:
                    continue
                palias = f"j{len(joins)}"
                joins.append(f'LEFT JOIN {quote_rel(parent)} {palias} ON {palias}."{pcol}" = {alias}."{col}"')
                parts.append(canonical_row(cat, parent, palias, joins, depth + 1, path + (rel,)))
                continue
        if ident:
            continue
        parts.append(f'{alias}."{col}"')
    return "ROW(" + ", ".join(parts) + ")" if len(parts) != 1 else "ROW(" + parts[0] + ", NULL)"


def table_checksum_sql(cat, rel):
    """SELECT count, md5 over the ordered canonical rows of `rel`."""
    joins = []
    expr = canonical_row(cat, rel, "t", joins)
    return (f"SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE \"C\"), '')) "
            f"FROM (SELECT ({expr})::text AS r FROM {quote_rel(rel)} t {' '.join(joins)}) s")


def fingerprint(pg, db, schemas=None):
    """{relation: (kind, rows, md5)} for every table and view of `schemas` (default: all user schemas)."""
    schemas = schemas or user_schemas(pg, db)
    cat = Catalog(pg, db)
    result = {}
    in_list = ",".join(f"'{s}'" for s in schemas)
    for schema, name, kind in pg.rows(db, f"""
            SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r','p','v','m') AND n.nspname IN ({in_list}) ORDER BY 1, 2"""):
        rel = f"{schema}.{name}"
        if kind in ("r", "p"):
            n, h = pg.rows(db, table_checksum_sql(cat, rel))[0]
            result[rel] = ("table", int(n), h)
        else:
            h = pg.scalar(db, f"SELECT md5(pg_get_viewdef('{quote_rel(rel)}'::regclass, true))")
            result[rel] = ("view", 0, h)
    for label, sql in (("constraints", f"""
            SELECT format('%s.%s %s %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid))
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ({in_list})"""), ("indexes", f"""
            SELECT format('%s %s', i.indexname, regexp_replace(i.indexdef, '__fitdata_tmp', '', 'g'))
            FROM pg_indexes i WHERE i.schemaname IN ({in_list})""")):
        defs = sorted(r[0] for r in pg.rows(db, sql))
        result[f"catalog:{label}"] = ("catalog", len(defs), hashlib.md5("\n".join(defs).encode()).hexdigest())
    return result


def workout_hashes(pg, db):
    """{workout key: md5 of the workout with its blocks and sets} — the unit that must never be half
    written. Key: the Hevy id, else (athlete, start_local, title), the CSV natural key."""
    rows = pg.rows(db, """
        SELECT coalesce(w.hevy_workout_id, a.athlete_id || '|' || w.start_local || '|' || w.title),
               md5(ROW(w.source, w.title, w.description, w.start_local, w.started_at, w.ended_at, w.local_date,
                       w.content_sha256, w.api_updated_at, w.deleted_at)::text || coalesce((
                 SELECT string_agg(ROW(we.position, e.title, e.hevy_template_id, we.superset_id, we.notes,
                          (SELECT string_agg(ROW(s.position, s.set_index, s.set_type, s.weight_kg, s.reps, s.distance_m,
                                                 s.duration_s, s.rpe, s.custom_metric)::text, ',' ORDER BY s.position)
                           FROM core.sets s WHERE s.workout_exercise_sk = we.workout_exercise_sk))::text,
                        ';' ORDER BY we.position)
                 FROM core.workout_exercises we JOIN core.exercises e ON e.exercise_sk = we.exercise_sk
                 WHERE we.workout_sk = w.workout_sk), ''))
        FROM core.workouts w JOIN core.athletes a ON a.athlete_sk = w.athlete_sk""")
    return {k: h for k, h in rows}


def diff(a, b):
    """Relations whose (rows, md5) differ between fingerprints a and b, with a short reason each."""
    out = []
    for rel in sorted(set(a) | set(b)):
        if rel not in a:
            out.append(f"{rel}: only in the second")
        elif rel not in b:
            out.append(f"{rel}: only in the first")
        elif a[rel] != b[rel]:
            out.append(f"{rel}: {a[rel][1]} rows md5 {a[rel][2][:8]} vs {b[rel][1]} rows md5 {b[rel][2][:8]}")
    return out


def rows_compared(fp):
    return sum(n for kind, n, _ in fp.values() if kind == "table")
