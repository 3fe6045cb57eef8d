-- One row per workout that is not soft-deleted. One SELECT, not a CTE chain: PostgreSQL merges a view without WITH
-- into the query that reads it, so an athlete's first or last workout day is one step in core's (athlete_sk,
-- local_date) index (dim_date looks them up for every athlete; docs/scaling.md).
select
    workout_sk,
    athlete_sk,
    hevy_workout_id,
    source as workout_source,
    title as workout_title,
    start_local,
    started_at,
    ended_at,
    local_date,
    greatest(extract(epoch from (ended_at - started_at)), 0)::integer as duration_s,
    deleted_at
from {{ source('core', 'workouts') }}
where deleted_at is null
