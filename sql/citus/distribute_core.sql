-- `fitdata db init --distributed`: spreads `core` over a Citus cluster, after the migrations, on the coordinator.
-- Idempotent (a table already distributed or reference is left alone); runs in one transaction. Never applied by a plain
-- `db init`, so single-node databases keep the schema of sql/migrations exactly. docs/scaling.md ("Citus") explains
-- each choice.
--
--   reference (a copy on every node): athletes, exercises, exercise_aliases — small, joined by everything.
--   distributed by athlete_sk, co-located: nutrition_days, nutrition_entries, body_measurements, athlete_targets —
--       their primary keys already lead with athlete_sk, and their foreign key to athletes points at a reference table.
--   on the coordinator (local tables that Citus itself turns into "Citus local tables" when athletes becomes a
--       reference table, as it does with every table linked to it by foreign keys: also raw.files, raw.rejects,
--       meta.loads): workouts, workout_exercises, sets, hevy_workout_tombstones — workout_exercises and sets carry no athlete_sk (they reach the athlete only
--       through workouts), so they cannot be hash-distributed on it until the loaders write that column.
--
-- Schema changes (only here): the lineage foreign key nutrition_days.file_id -> raw.files is dropped (Citus refuses
-- a foreign key from a distributed table to a local one); the column stays and the loader still fills it.

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

ALTER TABLE core.nutrition_days DROP CONSTRAINT IF EXISTS nutrition_days_file_id_fkey;

SELECT create_reference_table(t::regclass)
  FROM unnest(ARRAY['core.athletes', 'core.exercises', 'core.exercise_aliases']) AS t
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass AND (partmethod = 'h' OR repmodel = 't'));

SELECT create_distributed_table(t::regclass, 'athlete_sk', colocate_with => 'none')
  FROM unnest(ARRAY['core.nutrition_days']) AS t
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass AND (partmethod = 'h' OR repmodel = 't'));

SELECT create_distributed_table(t::regclass, 'athlete_sk', colocate_with => 'core.nutrition_days')
  FROM unnest(ARRAY['core.nutrition_entries', 'core.body_measurements', 'core.athlete_targets']) AS t
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass AND (partmethod = 'h' OR repmodel = 't'));
