-- 0004: the foreign keys under core.sets may be checked at commit.
--
-- The CSV loader streams sets before their exercise blocks and workouts exist (one pass over the file):
-- inside its transaction it runs SET CONSTRAINTS … DEFERRED (or, for bulk loads, drops and re-adds
-- these keys). Everywhere else they stay INITIALLY IMMEDIATE: checked at the end of each statement, as before.
-- Referential actions (ON DELETE CASCADE) are never deferred.
ALTER TABLE core.sets ALTER CONSTRAINT sets_workout_exercise_sk_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE core.workout_exercises ALTER CONSTRAINT workout_exercises_workout_sk_fkey DEFERRABLE INITIALLY IMMEDIATE;
ALTER TABLE core.workout_exercises ALTER CONSTRAINT workout_exercises_exercise_sk_fkey DEFERRABLE INITIALLY IMMEDIATE;
