-- `fitdata db init --distributed`: spreads `core` over a Citus cluster, after the migrations, on the coordinator.
-- Idempotent (a table already distributed or reference is left alone); runs in one transaction. Never applied by a plain
-- `db init`, so single-node databases keep the schema of sql/migrations exactly. docs/scaling.md ("Citus") explains
-- each choice.
--
--   reference (a copy on every node): exercises, exercise_aliases — small, joined by every set.
--   distributed by athlete_sk, co-located: nutrition_days, nutrition_entries, body_measurements, athlete_targets —
--       their primary keys already lead with athlete_sk.
--   on the coordinator (Citus local tables: Citus converts every table linked by foreign keys to a reference table):
--       athletes, workouts, workout_exercises, sets, hevy_workout_tombstones, raw.files, raw.rejects, meta.loads.
--       workout_exercises and sets carry no athlete_sk (they reach the athlete only through workouts), so they
--       cannot be hash-distributed on it until the loaders write that column; athletes stays with them because the
--       loaders update it with a condition on workouts, which Citus refuses for a reference table.
--
-- Schema changes (only here): the foreign keys from the four distributed tables to athletes and from
-- nutrition_days.file_id to raw.files are dropped (Citus refuses a foreign key from a distributed table to a local
-- one); the columns stay and the loaders still fill them (athletes are created before anything references them).
-- The workout tables' deferrable foreign keys become INITIALLY DEFERRED (still checked, at commit): the loaders'
-- SET CONSTRAINTS … DEFERRED names the constraint, and on a Citus local table the checking copy is the shard's,
-- which has another name.

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

ALTER TABLE core.sets ALTER CONSTRAINT sets_workout_exercise_sk_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE core.workout_exercises ALTER CONSTRAINT workout_exercises_workout_sk_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE core.workout_exercises ALTER CONSTRAINT workout_exercises_exercise_sk_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE core.nutrition_days DROP CONSTRAINT IF EXISTS nutrition_days_file_id_fkey;
ALTER TABLE core.nutrition_days DROP CONSTRAINT IF EXISTS nutrition_days_athlete_sk_fkey;
ALTER TABLE core.nutrition_entries DROP CONSTRAINT IF EXISTS nutrition_entries_athlete_sk_fkey;
ALTER TABLE core.body_measurements DROP CONSTRAINT IF EXISTS body_measurements_athlete_sk_fkey;
ALTER TABLE core.athlete_targets DROP CONSTRAINT IF EXISTS athlete_targets_athlete_sk_fkey;

SELECT create_reference_table(t::regclass)
  FROM unnest(ARRAY['core.exercises', 'core.exercise_aliases']) AS t
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass AND (partmethod = 'h' OR repmodel = 't'));

SELECT create_distributed_table(t::regclass, 'athlete_sk', colocate_with => 'none')
  FROM unnest(ARRAY['core.nutrition_days']) AS t
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass AND (partmethod = 'h' OR repmodel = 't'));

SELECT create_distributed_table(t::regclass, 'athlete_sk', colocate_with => 'core.nutrition_days')
  FROM unnest(ARRAY['core.nutrition_entries', 'core.body_measurements', 'core.athlete_targets']) AS t
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass AND (partmethod = 'h' OR repmodel = 't'));
