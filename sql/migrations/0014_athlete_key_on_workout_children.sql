-- 0014: workout_exercises and sets carry their athlete (athlete_sk), and the keys between the workout tables name it.
--
-- The athlete is the distribution column on Citus (docs/scaling.md "Citus"): a table can be hash-distributed by it
-- only if it has the column, and a foreign key between two distributed tables must include it. On one server nothing
-- changes for readers and writers: athlete_sk of a block is its workout's, of a set its block's (the foreign keys
-- below enforce it), the old single-column keys and unique constraints stay, and the two foreign keys keep their
-- names, actions (ON DELETE CASCADE) and DEFERRABLE (0004), so `SET CONSTRAINTS` in the loader still names them.

ALTER TABLE core.workout_exercises ADD COLUMN athlete_sk bigint;
UPDATE core.workout_exercises we SET athlete_sk = w.athlete_sk FROM core.workouts w WHERE w.workout_sk = we.workout_sk;
ALTER TABLE core.workout_exercises ALTER COLUMN athlete_sk SET NOT NULL;

ALTER TABLE core.sets ADD COLUMN athlete_sk bigint;
UPDATE core.sets s SET athlete_sk = we.athlete_sk
  FROM core.workout_exercises we WHERE we.workout_exercise_sk = s.workout_exercise_sk;
ALTER TABLE core.sets ALTER COLUMN athlete_sk SET NOT NULL;

-- The targets of the composite foreign keys.
ALTER TABLE core.workouts ADD CONSTRAINT workouts_athlete_workout_key UNIQUE (athlete_sk, workout_sk);
ALTER TABLE core.workout_exercises
  ADD CONSTRAINT workout_exercises_athlete_block_key UNIQUE (athlete_sk, workout_exercise_sk);

ALTER TABLE core.workout_exercises DROP CONSTRAINT workout_exercises_workout_sk_fkey;
ALTER TABLE core.workout_exercises ADD CONSTRAINT workout_exercises_workout_sk_fkey
  FOREIGN KEY (athlete_sk, workout_sk) REFERENCES core.workouts (athlete_sk, workout_sk) ON DELETE CASCADE DEFERRABLE;
ALTER TABLE core.sets DROP CONSTRAINT sets_workout_exercise_sk_fkey;
ALTER TABLE core.sets ADD CONSTRAINT sets_workout_exercise_sk_fkey
  FOREIGN KEY (athlete_sk, workout_exercise_sk) REFERENCES core.workout_exercises (athlete_sk, workout_exercise_sk)
  ON DELETE CASCADE DEFERRABLE;
