"""Content checksums of a database, read from the catalog so that new tables and columns are covered.

A fingerprint maps each relation to (kind, rows, hash). For a table the hash is a multiset hash of the
text of every row (sum of 60-bit md5 prefixes, so no sort is needed) over its *canonical* columns:
  - identity columns (the `*_sk` surrogate keys, `file_id`, `load_id`, …) are left out: their values come
    from sequences, which a killed run advances, so a rerun legitimately allocates other numbers;
  - a foreign key to an identity column is replaced by the md5 of the canonical row it points to
    (recursively), so
    `sets.workout_exercise_sk` is compared as "the block at position p of the workout (athlete, start,
    title)", not as a number; in a composite foreign key (`sets (athlete_sk, workout_exercise_sk)`), the column
    that references an identity stands for the parent row and the others (which repeat what it holds) are left out;
  - columns whose default is `now()` / `CURRENT_TIMESTAMP` (created_at, updated_at, received_at,
    rejected_at, first/last_loaded_at …) are left out: they record when a row was written, not what;
  - a foreign key into an excluded schema (`meta`, e.g. `raw.rejects.load_id`) is left out.
`core.change_log` (statements logged for the incremental marts) is not compared. The `meta` schema is not compared (run bookkeeping: load ids, start/finish times, one row per run
including killed ones, sync watermarks = run time); its invariants are checked in consistency.py.
A view is fingerprinted by its definition (its content follows from the tables). Two extra entries hold
the constraint and index definitions of the compared schemas, so a load killed in bulk mode (foreign
keys and indexes dropped and re-added in its transaction) cannot leave them missing unnoticed.
"""

EXCLUDED_SCHEMAS = ("meta",)
# core.change_log is bookkeeping too: one row per write statement (a killed run's rows roll back with it, the rerun
# logs its own statements, so the rows differ from a clean run's), read and pruned by the pipeline.
EXCLUDED_TABLES = ("core.change_log",)
MAX_DEPTH = 4


class Catalog:
    """Columns, identity flags, now()-defaults and single-column foreign keys of every user table."""

    def __init__(self, pg, db):
        self.schemas = [r[0] for r in pg.rows(db, """
            SELECT DISTINCT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r','p','v','m') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
            ORDER BY 1""")]
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
        self.covered = set()  # ("schema.table", column): compared through the row a composite foreign key points to
        keys = {}
        for name, child, col, parent, pcol in pg.rows(db, """
                SELECT k.oid::text, format('%s.%s', cn.nspname, cc.relname), ca.attname, format('%s.%s', pn.nspname, pc.relname), pa.attname
                FROM pg_constraint k
                JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
                JOIN pg_class pc ON pc.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u (ck, pk)
                JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.ck
                JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pk
                WHERE k.contype = 'f'"""):
            keys.setdefault(name, []).append((child, col, parent, pcol))
        for pairs in keys.values():
            if len(pairs) == 1:
                child, col, parent, pcol = pairs[0]
                self.fks[(child, col)] = (parent, pcol)
                continue
            # A composite key such as (athlete_sk, workout_exercise_sk): the column that references an identity stands
            # for the parent row (compared by its canonical row); the others repeat what that row holds.
            ident = [(c, col, p, pc) for c, col, p, pc in pairs if self.is_identity(p, pc)]
            if not ident:
                continue
            for child, col, parent, pcol in pairs:
                if (child, col, parent, pcol) in ident:
                    self.fks.setdefault((child, col), (parent, pcol))
                else:
                    self.covered.add((child, col))

    def is_identity(self, table, col):
        """Whether `col` of `table` is an identity (surrogate key) column."""
        return any(c == col and ident for c, ident, _ in self.columns.get(table, []))


def quote_rel(rel):
    """"schema"."table" from schema.table."""
    schema, table = rel.split(".", 1)
    return f'"{schema}"."{table}"'


class Aliases:
    """Unique table aliases (j1, j2, …) for one generated query."""

    def __init__(self):
        self.n = 0

    def next(self):
        self.n += 1
        return f"j{self.n}"


def canonical_row(cat, rel, alias, joins, aliases, depth=0, path=()):
    """SQL expression of the canonical row of `rel` under `alias`; appends the LEFT JOINs it needs.
    A referenced row enters as the md5 of its own canonical row, computed once per parent row."""
    parts = []
    for col, ident, now_default in cat.columns[rel]:
        if now_default or ((rel, col) in cat.covered and (rel, col) not in cat.fks):
            continue
        fk = cat.fks.get((rel, col))
        if fk:
            parent, pcol = fk
            if parent.split(".", 1)[0] in EXCLUDED_SCHEMAS:
                continue
            if cat.is_identity(parent, pcol):
                if depth >= MAX_DEPTH or parent in path:
                    continue
                palias, inner = aliases.next(), aliases.next()
                sub = []
                pexpr = canonical_row(cat, parent, inner, sub, aliases, depth + 1, path + (rel,))
                joins.append(f'LEFT JOIN (SELECT {inner}."{pcol}" AS k, md5(({pexpr})::text) AS h '
                             f'FROM {quote_rel(parent)} {inner} {" ".join(sub)}) {palias} ON {palias}.k = {alias}."{col}"')
                parts.append(f"{palias}.h")
                continue
        if ident:
            continue
        parts.append(f'{alias}."{col}"')
    return "ROW(" + ", ".join(parts + ["NULL"] * (len(parts) < 2)) + ")"


def table_checksum_sql(cat, rel):
    """One row: relation, 'table', count, and a multiset hash of its canonical rows: the sum of the
    first 60 bits of each row's md5 (order-independent, so no sort; the count is compared too)."""
    joins = []
    expr = canonical_row(cat, rel, "t", joins, Aliases())
    return (f"SELECT '{rel}', 'table', count(*), coalesce(sum(('x' || left(md5(r), 15))::bit(60)::bigint), 0)::text "
            f"FROM (SELECT ({expr})::text AS r FROM {quote_rel(rel)} t {' '.join(joins)}) s")


def fingerprint(pg, db, schemas=None):
    """{relation: (kind, rows, hash)} for every table and view of `schemas` (default: all user schemas
    but meta), plus the constraint and index definitions of those schemas. Three psql calls."""
    cat = Catalog(pg, db)
    schemas = schemas or [s for s in cat.schemas if s not in EXCLUDED_SCHEMAS]
    in_list = ",".join(f"'{s}'" for s in schemas)
    parts = [table_checksum_sql(cat, rel) for rel in sorted(cat.columns)
             if rel.split(".", 1)[0] in schemas and rel not in EXCLUDED_TABLES]
    parts.append(f"""SELECT format('%s.%s', n.nspname, c.relname), 'view', 0, md5(pg_get_viewdef(c.oid, true))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v','m') AND n.nspname IN ({in_list})""")
    parts.append(f"""SELECT 'catalog:constraints', 'catalog', count(*), md5(coalesce(string_agg(d, E'\\n' ORDER BY d COLLATE "C"), ''))
            FROM (SELECT format('%s.%s %s %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid)) AS d
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ({in_list})) s""")
    parts.append(f"""SELECT 'catalog:indexes', 'catalog', count(*), md5(coalesce(string_agg(d, E'\\n' ORDER BY d COLLATE "C"), ''))
            FROM (SELECT format('%s %s', i.indexname, regexp_replace(i.indexdef, '__fitdata_tmp', '', 'g')) AS d
            FROM pg_indexes i WHERE i.schemaname IN ({in_list})) s""")
    return {rel: (kind, int(n), h) for rel, kind, n, h in pg.rows(db, "\nUNION ALL\n".join(parts))}


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
    """Rows of the tables in a fingerprint."""
    return sum(n for kind, n, _ in fp.values() if kind == "table")
