-- `fitdata db init --distributed`: spreads `core` over a Citus cluster, after the migrations, on the coordinator.
-- Idempotent (a table already distributed or reference is left alone); runs in one transaction. Never applied by a plain
-- `db init`, so single-node databases keep the schema of sql/migrations exactly. docs/scaling.md ("Citus") explains
-- each choice.
--
--   distributed by athlete_sk, co-located: nutrition_days, nutrition_entries, body_measurements, athlete_targets —
--       their primary keys already lead with athlete_sk.
--   plain tables on the coordinator: everything else (athletes, exercises, exercise_aliases, workouts,
--       workout_exercises, sets, hevy_workout_tombstones, raw.*, meta.*). Citus joins them with the distributed tables
--       in a query by sending the rows a query needs to the workers.
--       workout_exercises and sets carry no athlete_sk (they reach the athlete only through workouts), so they cannot
--       be hash-distributed on it until the loaders write that column. exercises is not a reference table: Citus would
--       then turn every table linked to it by foreign keys (the workout tables, raw.files, raw.rejects, meta.loads) into
--       "Citus local tables", on which it refuses the loaders' upserts with now() in DO UPDATE and their deferred
--       foreign-key checks (measured: docs/scaling.md).
--
-- Schema changes (only here): the foreign keys from the four distributed tables to athletes and from
-- nutrition_days.file_id to raw.files are dropped (Citus refuses a foreign key from a distributed table to a local
-- one); the columns stay and the loaders still fill them (an athlete is created before anything references it).

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
ALTER TABLE core.nutrition_days DROP CONSTRAINT IF EXISTS nutrition_days_athlete_sk_fkey;
ALTER TABLE core.nutrition_entries DROP CONSTRAINT IF EXISTS nutrition_entries_athlete_sk_fkey;
ALTER TABLE core.body_measurements DROP CONSTRAINT IF EXISTS body_measurements_athlete_sk_fkey;
ALTER TABLE core.athlete_targets DROP CONSTRAINT IF EXISTS athlete_targets_athlete_sk_fkey;

-- The change-capture triggers of migration 0013 (Citus refuses to distribute a table with triggers, and the shards'
-- triggers could not write the coordinator's core.change_log): the pipeline fingerprints these tables instead, and a
-- change of them rebuilds the models downstream with --full-refresh (docs/scaling.md "Incremental marts").
DO $citus$
DECLARE t text; ev text;
BEGIN
  FOREACH t IN ARRAY ARRAY['nutrition_days', 'body_measurements', 'athlete_targets'] LOOP
    FOREACH ev IN ARRAY ARRAY['insert', 'update', 'delete'] LOOP
      EXECUTE format('DROP TRIGGER IF EXISTS %I ON core.%I', t || '_log_' || ev, t);
    END LOOP;
  END LOOP;
END
$citus$;

SELECT create_distributed_table(t::regclass, 'athlete_sk', colocate_with => 'none')
  FROM unnest(ARRAY['core.nutrition_days']) AS t
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass AND (partmethod = 'h' OR repmodel = 't'));

SELECT create_distributed_table(t::regclass, 'athlete_sk', colocate_with => 'core.nutrition_days')
  FROM unnest(ARRAY['core.nutrition_entries', 'core.body_measurements', 'core.athlete_targets']) AS t
 WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = t::regclass AND (partmethod = 'h' OR repmodel = 't'));
