-- Nothing lost: every set of a non-deleted workout in core is in fct_sets (and nothing else is).
-- A whole-history audit (tag whole_history): the daily pipeline's incremental test step leaves it to the weekly
-- pipeline and to full test runs (docs/scaling.md "The daily pipeline tests the rows it rebuilt").
{{ config(tags=['whole_history']) }}
with core_sets as (

    select count(*) as n
    from {{ source('core', 'sets') }} as s
    -- joined on the athlete too (implied by the foreign keys): on Citus the co-located shards join where they are
    join {{ source('core', 'workout_exercises') }} as we
      on we.athlete_sk = s.athlete_sk and we.workout_exercise_sk = s.workout_exercise_sk
    join {{ source('core', 'workouts') }} as w on w.athlete_sk = we.athlete_sk and w.workout_sk = we.workout_sk
    where w.deleted_at is null

),

mart_sets as (

    select count(*) as n from {{ ref('fct_sets') }}

)

select core_sets.n as core_sets, mart_sets.n as fct_sets
from core_sets, mart_sets
where core_sets.n <> mart_sets.n
