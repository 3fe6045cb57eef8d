"""The invariants checked after every fault and after every rerun.

Each check returns (name, ok, detail). `before` and `after` are the states of a clean run of the
operation: the database it starts from and the one a clean run leaves (fingerprints from
fingerprint.py plus per-workout hashes and per-file footprints).
"""
from fingerprint import fingerprint, workout_hashes


class State:
    """What the harness knows about one database state: fingerprint, workout hashes, file footprints."""

    def __init__(self, pg, db, schemas):
        self.fp = fingerprint(pg, db, schemas)
        self.workouts = workout_hashes(pg, db)
        self.files = file_footprints(pg, db)


def file_footprints(pg, db):
    """{file sha256: (workouts, sets)} linked to each raw.files row (through core.workouts.csv_file_id)."""
    rows = pg.rows(db, """
        SELECT f.sha256, count(DISTINCT w.workout_sk), count(s.set_sk)
        FROM raw.files f LEFT JOIN core.workouts w ON w.csv_file_id = f.file_id
        LEFT JOIN core.workout_exercises we ON we.workout_sk = w.workout_sk
        LEFT JOIN core.sets s ON s.workout_exercise_sk = we.workout_exercise_sk
        GROUP BY f.sha256""")
    return {sha: (int(w), int(s)) for sha, w, s in rows}


def check_foreign_keys(pg, db):
    """Every foreign key is present, validated, and has no orphan rows (an anti-join per constraint)."""
    fks = pg.rows(db, """
        SELECT k.conname, k.conrelid::regclass, k.confrelid::regclass, k.convalidated,
               (SELECT string_agg(format('c.%I', attname), ',' ORDER BY o) FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
                JOIN pg_attribute ON attrelid = k.conrelid AND attnum = u.n),
               (SELECT string_agg(format('p.%I', attname), ',' ORDER BY o) FROM unnest(k.confkey) WITH ORDINALITY u(n, o)
                JOIN pg_attribute ON attrelid = k.confrelid AND attnum = u.n)
        FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
        WHERE k.contype = 'f' AND n.nspname NOT LIKE 'pg\\_%'""")
    bad = [f"{name} NOT VALID" for name, _, _, validated, _, _ in fks if validated != "t"]
    if fks:
        counts = pg.rows(db, "\nUNION ALL\n".join(
            f"SELECT '{name}', '{child}', count(*) FROM {child} c WHERE ({ccols}) IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {parent} p WHERE ({pcols}) = ({ccols}))" for name, child, parent, _, ccols, pcols in fks))
        bad += [f"{name}: {n} orphan rows in {child}" for name, child, n in counts if n != "0"]
    return ("foreign keys hold", not bad, "; ".join(bad) or f"{len(fks)} FKs, no orphans")


def check_loads_reconcile(pg, db):
    """Every finished meta.loads row adds up: rows_read = loaded + rejected, rejected = its raw.rejects
    rows (CSV loads), and each succeeded CSV load's file is registered in raw.files."""
    bad = pg.rows(db, """
        SELECT l.load_id, l.kind, l.status, l.rows_read, l.rows_loaded, l.rows_rejected,
               (SELECT count(*) FROM raw.rejects r WHERE r.load_id = l.load_id)
        FROM meta.loads l
        WHERE l.status = 'succeeded' AND (l.rows_read <> l.rows_loaded + l.rows_rejected
           OR (l.kind = 'hevy_csv' AND l.rows_rejected <> (SELECT count(*) FROM raw.rejects r WHERE r.load_id = l.load_id)))""")
    detail = "; ".join(f"load {r[0]} ({r[1]}): read {r[3]} loaded {r[4]} rejected {r[5]}, {r[6]} rejects stored" for r in bad)
    return ("meta.loads counts reconcile", not bad, detail or "all succeeded loads add up")


def running_loads(pg, db):
    """load_id, kind of meta.loads rows still `running`."""
    return pg.rows(db, "SELECT load_id, kind FROM meta.loads WHERE status = 'running' ORDER BY 1")


def check_no_running(pg, db):
    """No meta.loads row is left `running` (checked after the rerun: the next run closes a dead one)."""
    rows = running_loads(pg, db)
    return ("no meta.loads row left running", not rows,
            ", ".join(f"load {i} ({k}) still running" for i, k in rows) or "none running")


def check_atomic(scope, now, before, after):
    """The state after a fault is one a clean run can pass through.
    scope 'operation': every compared relation is the before or the after version, all the same one
    (one transaction per file); 'relation': each relation is its before or its after version (a model
    is built into a temporary relation and swapped in)."""
    rels = sorted(set(now.fp) | set(before.fp) | set(after.fp))
    neither = [r for r in rels if now.fp.get(r) not in (before.fp.get(r), after.fp.get(r))]
    if neither:
        return (f"atomic ({scope})", False, "neither the before nor the after version: " +
                "; ".join(f"{r} {now.fp.get(r, ('', 'missing'))[1]} rows" for r in neither[:6]))
    if scope == "operation":
        is_before = now.fp == before.fp
        is_after = now.fp == after.fp
        if not (is_before or is_after):
            old = [r for r in rels if now.fp.get(r) == before.fp.get(r) != after.fp.get(r)]
            new = [r for r in rels if now.fp.get(r) == after.fp.get(r) != before.fp.get(r)]
            return ("atomic (operation)", False, f"mixed: before version of {old[:4]}, after version of {new[:4]}")
        return ("atomic (operation)", True, "after" if is_after and not is_before else "before")
    n_after = sum(1 for r in rels if now.fp.get(r) == after.fp.get(r) != before.fp.get(r))
    return ("atomic (relation)", True, f"{n_after} relations new, the rest old")


def check_workouts(now, before, after):
    """No half-written workout: each stored workout (with its blocks and sets) equals its version in
    the before or the after state; a workout missing is missing in one of them."""
    bad = []
    for k in set(now.workouts) | set(before.workouts) | set(after.workouts):
        v = now.workouts.get(k)
        if v not in (before.workouts.get(k), after.workouts.get(k)):
            bad.append(k)
    return ("no half workout", not bad, f"{len(bad)} workouts in neither version, e.g. {sorted(bad)[:2]}" if bad
            else f"{len(now.workouts)} workouts whole")


def check_files(now, before, after):
    """No half file: each file in raw.files has exactly the workouts and sets it has in the before or
    the after state (a file row never stands beside part of its rows)."""
    bad = []
    for sha, fp in now.files.items():
        if fp not in (before.files.get(sha), after.files.get(sha)):
            bad.append(f"{sha[:10]} {fp} vs after {after.files.get(sha)}")
    return ("no half file", not bad, "; ".join(bad) or f"{len(now.files)} files whole")


def after_fault_checks(pg, db, scope, schemas, before, after):
    """All checks on the database a fault left; returns (checks, state)."""
    now = State(pg, db, schemas)
    checks = [check_foreign_keys(pg, db), check_loads_reconcile(pg, db)]
    if scope != "workout":   # a sync commits page by page: its unit is the workout (next check)
        checks.append(check_atomic(scope, now, before, after))
    checks += [check_workouts(now, before, after), check_files(now, before, after)]
    cat = [r for r in ("catalog:constraints", "catalog:indexes")
           if now.fp.get(r) not in (before.fp.get(r), after.fp.get(r))]
    checks.append(("constraints and indexes intact", not cat, f"changed: {cat}" if cat else "as before or after"))
    return checks, now


def state_label(now, before, after):
    """'before', 'after' or 'partial' (some relations changed, as a sync's committed pages or a build's
    finished models are)."""
    if now.fp == after.fp:
        return "after"
    return "before" if now.fp == before.fp else "partial"
