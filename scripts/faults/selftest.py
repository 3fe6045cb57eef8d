"""The harness checks itself: each check must fail on a database broken the way it guards against.

Run on copies of an operation's clean result before any fault is injected. A check that cannot fail
would make every later "passed" worthless, so a corruption that goes unnoticed fails the harness.
"""
from consistency import State, after_fault_checks
from fingerprint import diff, fingerprint

SELF_DB = "faults_selftest"

# (what is broken, SQL that breaks it, the check that must fail; None = the fingerprint must NOT change)
CORE_CASES = [
    ("one set of a workout deleted", "DELETE FROM core.sets WHERE set_sk = (SELECT max(set_sk) FROM core.sets)",
     "no half workout"),
    ("one workout of a file deleted", "DELETE FROM core.workouts WHERE workout_sk = "
     "(SELECT max(workout_sk) FROM core.workouts WHERE csv_file_id IS NOT NULL)", "no half file"),
    ("orphan sets (cascade disabled, a block deleted)", "ALTER TABLE core.sets DISABLE TRIGGER ALL; "
     "ALTER TABLE core.workout_exercises DISABLE TRIGGER ALL; DELETE FROM core.workout_exercises WHERE "
     "workout_exercise_sk = (SELECT min(workout_exercise_sk) FROM core.workout_exercises)", "foreign keys hold"),
    ("a foreign key dropped", "DO $$ BEGIN EXECUTE (SELECT format('ALTER TABLE core.sets DROP CONSTRAINT %I', conname) "
     "FROM pg_constraint WHERE conrelid = 'core.sets'::regclass AND contype = 'f' LIMIT 1); END $$",
     "constraints and indexes intact"),
    ("meta.loads counts off by one", "UPDATE meta.loads SET rows_read = rows_read + 1 WHERE status = 'succeeded'",
     "meta.loads counts reconcile"),
    ("a weight changed", "UPDATE core.sets SET weight_kg = weight_kg + 1 WHERE set_sk = (SELECT min(set_sk) FROM core.sets "
     "WHERE weight_kg IS NOT NULL)", "fingerprint"),
    ("bookkeeping times changed (left out on purpose)", "UPDATE core.workouts SET updated_at = now() + interval '1 day', "
     "created_at = now() - interval '1 day'; UPDATE raw.files SET last_loaded_at = now() + interval '1 hour'", None),
]
MART_CASE = ("one mart row changed", None, "atomic (relation)")


def run_selftest(ctx, op, before, after, after_db):
    """Returns (cases run, [failures])."""
    pg = ctx.pg
    cases = list(CORE_CASES)
    if op.scope == "relation":
        tables = [r for r, (kind, n, _) in after.fp.items() if r.startswith("marts.") and kind == "table" and n > 0]
        if tables:
            rel = tables[0]
            cases = [(MART_CASE[0], f'DELETE FROM "marts"."{rel.split(".", 1)[1]}" WHERE ctid = '
                                    f'(SELECT min(ctid) FROM "marts"."{rel.split(".", 1)[1]}")', MART_CASE[2])]
    failures = []
    for what, sql, must_fail in cases:
        pg.clone_db(after_db, SELF_DB)
        pg.rows(SELF_DB, sql)
        if must_fail is None or must_fail == "fingerprint":
            changed = diff(after.fp, fingerprint(pg, SELF_DB))
            if (must_fail is None) == bool(changed):
                failures.append(f"self-test '{what}': fingerprint {'changed' if changed else 'unchanged'}: {changed[:2]}")
            continue
        checks, _ = after_fault_checks(pg, SELF_DB, op.scope, None, before, after)
        if not any(name == must_fail and not ok for name, ok, _ in checks):
            failures.append(f"self-test '{what}': the check '{must_fail}' did not fail")
    pg.drop_db(SELF_DB)
    return len(cases), failures
