-- 0013: change capture for incremental marts (additive only).
--
-- Every committed insert, update or delete of the athlete data the marts read is logged, one row per
-- statement and athlete, with the earliest local date it touched (old and new versions of a row both count).
-- The incremental models rebuild, per athlete, everything from that date on; the pipeline records the last
-- change it built (meta.mart_watermark) and prunes the log up to it. Statement-level triggers with transition
-- tables: a COPY of 10,000 sets logs one row, not 10,000.
CREATE TABLE IF NOT EXISTS core.change_log (
    change_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_table  text NOT NULL,       -- the core table written, e.g. 'sets'
    athlete_sk    bigint NOT NULL,
    from_date     date NOT NULL,       -- the earliest date (local date, effective_from) the statement touched
    logged_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS change_log_table_idx ON core.change_log (source_table, change_id);

COMMENT ON TABLE core.change_log IS
    'Athlete data changes (one row per statement and athlete, earliest date touched) not yet built into the marts.';

-- The last change_log row the marts were built through by a pipeline whose build and tests passed.
CREATE TABLE IF NOT EXISTS meta.mart_watermark (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    change_id    bigint NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE meta.mart_watermark IS
    'change_log id the incremental marts were built through by the last successful pipeline build.';

-- Workouts: by their own athlete and local date (a soft delete is an update, a date move logs both dates).
CREATE OR REPLACE FUNCTION core.log_workout_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO core.change_log (source_table, athlete_sk, from_date)
        SELECT 'workouts', athlete_sk, min(local_date) FROM old_rows GROUP BY athlete_sk;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO core.change_log (source_table, athlete_sk, from_date)
        SELECT 'workouts', athlete_sk, min(local_date) FROM new_rows GROUP BY athlete_sk;
    END IF;
    RETURN NULL;
END $$;

-- Workout exercises: through their workout. A row whose workout is gone was deleted with it (logged there).
CREATE OR REPLACE FUNCTION core.log_workout_exercise_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO core.change_log (source_table, athlete_sk, from_date)
        SELECT 'workout_exercises', w.athlete_sk, min(w.local_date)
          FROM old_rows AS r JOIN core.workouts AS w USING (workout_sk) GROUP BY w.athlete_sk;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO core.change_log (source_table, athlete_sk, from_date)
        SELECT 'workout_exercises', w.athlete_sk, min(w.local_date)
          FROM new_rows AS r JOIN core.workouts AS w USING (workout_sk) GROUP BY w.athlete_sk;
    END IF;
    RETURN NULL;
END $$;

-- Sets: through their block and workout (a set whose block is gone went with it, logged there).
CREATE OR REPLACE FUNCTION core.log_set_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO core.change_log (source_table, athlete_sk, from_date)
        SELECT 'sets', w.athlete_sk, min(w.local_date)
          FROM (SELECT DISTINCT workout_exercise_sk FROM old_rows) AS r
          JOIN core.workout_exercises AS we USING (workout_exercise_sk)
          JOIN core.workouts AS w ON w.workout_sk = we.workout_sk
         GROUP BY w.athlete_sk;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO core.change_log (source_table, athlete_sk, from_date)
        SELECT 'sets', w.athlete_sk, min(w.local_date)
          FROM (SELECT DISTINCT workout_exercise_sk FROM new_rows) AS r
          JOIN core.workout_exercises AS we USING (workout_exercise_sk)
          JOIN core.workouts AS w ON w.workout_sk = we.workout_sk
         GROUP BY w.athlete_sk;
    END IF;
    RETURN NULL;
END $$;

-- Tables with the athlete and a date column of their own: nutrition_days (date), body_measurements (date),
-- athlete_targets (effective_from). TG_ARGV[0] names the date column.
CREATE OR REPLACE FUNCTION core.log_dated_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('INSERT INTO core.change_log (source_table, athlete_sk, from_date)
                        SELECT %L, athlete_sk, min(%I) FROM old_rows GROUP BY athlete_sk', TG_TABLE_NAME, TG_ARGV[0]);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        EXECUTE format('INSERT INTO core.change_log (source_table, athlete_sk, from_date)
                        SELECT %L, athlete_sk, min(%I) FROM new_rows GROUP BY athlete_sk', TG_TABLE_NAME, TG_ARGV[0]);
    END IF;
    RETURN NULL;
END $$;

-- PostgreSQL allows transition tables only on single-event triggers: three per table.
DO $$
DECLARE
    t record;
    ev text;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('workouts', 'core.log_workout_changes()'),
        ('workout_exercises', 'core.log_workout_exercise_changes()'),
        ('sets', 'core.log_set_changes()'),
        ('nutrition_days', 'core.log_dated_changes(''date'')'),
        ('body_measurements', 'core.log_dated_changes(''date'')'),
        ('athlete_targets', 'core.log_dated_changes(''effective_from'')')) AS v (tbl, fn)
    LOOP
        FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON core.%I', t.tbl || '_log_' || ev, t.tbl);
            EXECUTE format('CREATE TRIGGER %I AFTER %s ON core.%I REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %s',
                           t.tbl || '_log_' || ev, upper(ev), t.tbl,
                           CASE ev WHEN 'insert' THEN 'NEW TABLE AS new_rows'
                                   WHEN 'delete' THEN 'OLD TABLE AS old_rows'
                                   ELSE 'OLD TABLE AS old_rows NEW TABLE AS new_rows' END,
                           t.fn);
        END LOOP;
    END LOOP;
END $$;
