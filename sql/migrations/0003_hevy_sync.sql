-- 0003: what the Hevy API sync adds (additive only).

-- The routine a workout was logged from (API `routine_id`; the CSV export has none).
-- Kept for planned-vs-done adherence later.
ALTER TABLE core.workouts ADD COLUMN IF NOT EXISTS hevy_routine_id text;

-- The post-sync reconciliation counts an athlete's live API workouts.
CREATE INDEX IF NOT EXISTS workouts_live_api_idx ON core.workouts (athlete_sk)
    WHERE source = 'hevy_api' AND deleted_at IS NULL;

COMMENT ON COLUMN core.workouts.deleted_at IS
    'Set when the Hevy events feed reports the workout deleted; the row and its sets are kept, marts exclude it.';
COMMENT ON COLUMN core.workouts.api_updated_at IS
    'Hevy updated_at of the version applied; older versions (replayed or out-of-order events) are skipped.';
