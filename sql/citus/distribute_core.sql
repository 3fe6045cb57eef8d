-- `fitdata db init --distributed`: spreads `core` over a Citus cluster, after the migrations, on the coordinator.
-- Idempotent (a table already distributed or reference is left alone, a key already replaced is not touched again);
-- runs in one transaction. Never applied by a plain `db init`, so single-node databases keep the schema of
-- sql/migrations exactly. docs/scaling.md ("Citus") explains each choice.
--
--   distributed by athlete_sk, one co-location group: workouts, workout_exercises, sets, hevy_workout_tombstones,
--       nutrition_days, nutrition_entries, body_measurements, athlete_targets (every table with an athlete;
--       migration 0014 gave the workout children the column and the composite foreign keys Citus needs).
--   reference tables (a copy on every node): athletes, exercises, exercise_aliases.
--   plain tables on the coordinator: raw.*, meta.*.
--
-- Schema changes (only here), because Citus requires the distribution column in every primary and unique key of a
-- distributed table and refuses foreign keys from a distributed table to a plain one:
--   * keys without athlete_sk are replaced by the same key led by athlete_sk: workouts (workout_sk) and
--     (hevy_workout_id), workout_exercises (workout_exercise_sk) and (workout_sk, position), sets (set_sk) and
--     (workout_exercise_sk, position), hevy_workout_tombstones (hevy_workout_id); the primary keys of workouts and
--     workout_exercises become the unique (athlete_sk, …) keys 0014 added. The identities still hand out
--     cluster-wide unique keys (their sequences live on the coordinator);
--   * the foreign keys into raw.files and meta.loads (workouts.csv_file_id, nutrition_days.file_id,
--     hevy_workout_tombstones.load_id) are dropped; the columns stay and the loaders still fill them;
--   * the foreign keys to athletes and exercises (from the tables above and exercise_aliases) are dropped before the
--     tables are distributed and added again, under their names, once those are reference tables, so Citus never
--     turns a table into a "Citus local" one on the way;
--   * the keys under the sets (block → workout, set → block, block → exercise) become DEFERRABLE INITIALLY DEFERRED
--     (see the step below).

DO $citus$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'db init --distributed: the citus extension is not installed in this database'
      USING HINT = 'connect to a Citus coordinator (make citus-up), or run db init without --distributed';
  END IF;
END
$citus$;

-- Distribution and DDL in one transaction: one connection per worker keeps Citus from refusing a later step.
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- Every ALTER TABLE below runs through EXECUTE inside a DO block: `fitdata` sends this file as one query string, and
-- Citus forwards the text of a DDL statement on a distributed table to the workers, where several commands in one
-- string are refused ("cannot insert multiple commands into a prepared statement").

-- The change-capture triggers of migration 0013 (Citus refuses to distribute a table with triggers, and the shards'
-- triggers could not write the coordinator's core.change_log): the pipeline fingerprints these tables instead, and a
-- change of them rebuilds the models downstream with --full-refresh (docs/scaling.md "Incremental marts").
DO $triggers$
DECLARE t text; ev text;
BEGIN
  FOREACH t IN ARRAY ARRAY['workouts', 'workout_exercises', 'sets', 'nutrition_days', 'body_measurements',
                           'athlete_targets'] LOOP
    FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
      EXECUTE format('DROP TRIGGER IF EXISTS %I ON core.%I', t || '_log_' || ev, t);
    END LOOP;
  END LOOP;
END
$triggers$;

-- Foreign keys into raw and meta (plain tables on the coordinator).
DO $plain$
DECLARE
  fk text[];
BEGIN
  FOREACH fk SLICE 1 IN ARRAY ARRAY[['core.workouts', 'workouts_csv_file_id_fkey'],
                                    ['core.nutrition_days', 'nutrition_days_file_id_fkey'],
                                    ['core.hevy_workout_tombstones', 'hevy_workout_tombstones_load_id_fkey']] LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', fk[1], fk[2]);
  END LOOP;
END
$plain$;

DO $keys$
DECLARE
  -- table, key to drop, key to add, its definition (added only when missing; the two from 0014 exist already)
  k text[];
  steps text[][] := ARRAY[
    ARRAY['core.workouts', 'workouts_pkey', 'workouts_athlete_workout_key', 'UNIQUE (athlete_sk, workout_sk)'],
    ARRAY['core.workouts', 'workouts_hevy_workout_id_key', 'workouts_athlete_hevy_workout_id_key',
          'UNIQUE (athlete_sk, hevy_workout_id)'],
    ARRAY['core.workout_exercises', 'workout_exercises_pkey', 'workout_exercises_athlete_block_key',
          'UNIQUE (athlete_sk, workout_exercise_sk)'],
    ARRAY['core.workout_exercises', 'workout_exercises_workout_sk_position_key',
          'workout_exercises_athlete_workout_position_key', 'UNIQUE (athlete_sk, workout_sk, "position")'],
    ARRAY['core.sets', 'sets_pkey', 'sets_pkey', 'PRIMARY KEY (athlete_sk, set_sk)'],
    ARRAY['core.sets', 'sets_workout_exercise_sk_position_key', 'sets_athlete_block_position_key',
          'UNIQUE (athlete_sk, workout_exercise_sk, "position")'],
    ARRAY['core.hevy_workout_tombstones', 'hevy_workout_tombstones_pkey', 'hevy_workout_tombstones_pkey',
          'PRIMARY KEY (athlete_sk, hevy_workout_id)']];
BEGIN
  FOREACH k SLICE 1 IN ARRAY steps LOOP
    -- the old key is dropped only while it lacks athlete_sk
    IF EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                WHERE c.conrelid = k[1]::regclass AND c.conname = k[2] AND a.attname <> 'athlete_sk') THEN
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', k[1], k[2]);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = k[1]::regclass AND conname = k[3]) THEN
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', k[1], k[3], k[4]);
    END IF;
  END LOOP;
END
$keys$;

-- Foreign keys to the future reference tables, dropped until those are reference tables (exercise_aliases too: a
-- table linked to a reference table by a foreign key would become a "Citus local" table first), and added again at
-- the end. Table, name, definition.
CREATE TEMP TABLE citus_reference_fks (tab text, name text, def text) ON COMMIT DROP;
INSERT INTO citus_reference_fks VALUES
  ('core.workouts', 'workouts_athlete_sk_fkey', 'FOREIGN KEY (athlete_sk) REFERENCES core.athletes (athlete_sk)'),
  ('core.workout_exercises', 'workout_exercises_exercise_sk_fkey',
   'FOREIGN KEY (exercise_sk) REFERENCES core.exercises (exercise_sk) DEFERRABLE INITIALLY DEFERRED'),
  ('core.exercise_aliases', 'exercise_aliases_exercise_sk_fkey',
   'FOREIGN KEY (exercise_sk) REFERENCES core.exercises (exercise_sk) ON DELETE CASCADE'),
  ('core.hevy_workout_tombstones', 'hevy_workout_tombstones_athlete_sk_fkey',
   'FOREIGN KEY (athlete_sk) REFERENCES core.athletes (athlete_sk)'),
  ('core.nutrition_days', 'nutrition_days_athlete_sk_fkey', 'FOREIGN KEY (athlete_sk) REFERENCES core.athletes (athlete_sk)'),
  ('core.nutrition_entries', 'nutrition_entries_athlete_sk_fkey',
   'FOREIGN KEY (athlete_sk) REFERENCES core.athletes (athlete_sk)'),
  ('core.body_measurements', 'body_measurements_athlete_sk_fkey',
   'FOREIGN KEY (athlete_sk) REFERENCES core.athletes (athlete_sk)'),
  ('core.athlete_targets', 'athlete_targets_athlete_sk_fkey', 'FOREIGN KEY (athlete_sk) REFERENCES core.athletes (athlete_sk)');

DO $drop_fks$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM citus_reference_fks LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', r.tab, r.name);
  END LOOP;
END
$drop_fks$;

DO $distribute$
DECLARE
  t regclass;
  anchor regclass;
BEGIN
  -- the co-location group: the first athlete table already distributed (an older --distributed spread the nutrition
  -- tables only), else workouts starts it
  SELECT logicalrelid INTO anchor FROM pg_dist_partition
   WHERE partmethod = 'h' AND logicalrelid::regclass::text LIKE 'core.%' ORDER BY logicalrelid::regclass::text LIMIT 1;
  FOREACH t IN ARRAY ARRAY['core.workouts', 'core.workout_exercises', 'core.sets', 'core.hevy_workout_tombstones',
                           'core.nutrition_days', 'core.nutrition_entries', 'core.body_measurements',
                           'core.athlete_targets']::regclass[] LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t);
    IF anchor IS NULL THEN
      PERFORM create_distributed_table(t, 'athlete_sk', colocate_with => 'none');
      anchor := t;
    ELSE
      PERFORM create_distributed_table(t, 'athlete_sk', colocate_with => anchor::text);
    END IF;
  END LOOP;
  FOREACH t IN ARRAY ARRAY['core.athletes', 'core.exercises', 'core.exercise_aliases']::regclass[] LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t AND repmodel = 't');
    PERFORM create_reference_table(t);
  END LOOP;
END
$distribute$;

-- The keys under the sets, checked at commit on the workers. The loader streams sets before their blocks and names these
-- keys in `SET CONSTRAINTS … DEFERRED`, which reaches only the coordinator's tables: a shard's copy of a key has another
-- name (`sets_workout_exercise_sk_fkey_102008`), so there it must start deferred. Same columns and actions as 0014.
DO $deferred$
DECLARE
  fk text[];
BEGIN
  FOREACH fk SLICE 1 IN ARRAY ARRAY[
      ['core.sets', 'sets_workout_exercise_sk_fkey', 'FOREIGN KEY (athlete_sk, workout_exercise_sk) REFERENCES '
         || 'core.workout_exercises (athlete_sk, workout_exercise_sk) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED'],
      ['core.workout_exercises', 'workout_exercises_workout_sk_fkey', 'FOREIGN KEY (athlete_sk, workout_sk) REFERENCES '
         || 'core.workouts (athlete_sk, workout_sk) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED']] LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = fk[1]::regclass AND conname = fk[2] AND condeferred);
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', fk[1], fk[2]);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk[1], fk[2], fk[3]);
  END LOOP;
END
$deferred$;

-- The foreign keys to the reference tables, back under their names.
DO $add_fks$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM citus_reference_fks LOOP
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tab, r.name, r.def);
  END LOOP;
END
$add_fks$;
