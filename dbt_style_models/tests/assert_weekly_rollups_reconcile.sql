-- The weekly mart adds up to the workouts and the sets: sessions, hard sets and tonnage per athlete-week.
-- Tonnage is the exact sum of the exact set volumes, rounded once: it is compared with the sets' exact
-- values (int_sets__metrics), since a sum of fct_sets' rounded volumes may differ from it by cents.
-- A whole-history audit (tag whole_history): the daily pipeline's incremental test step leaves it to the weekly
-- pipeline and to full test runs (docs/scaling.md "The daily pipeline tests the rows it rebuilt").
{{ config(tags=['whole_history']) }}
with from_sets as (

    select athlete_id, week_start,
           count(*) filter (where is_hard_set) as hard_sets,
           round(coalesce(sum(volume_kg), 0), 2) as tonnage_kg
    from {{ ref('int_sets__metrics') }}
    group by athlete_id, week_start

),

from_workouts as (

    select athlete_id, week_start, count(*) as sessions
    from {{ ref('fct_workouts') }}
    group by athlete_id, week_start

)

select weekly.athlete_id, weekly.iso_week,
       weekly.sessions, from_workouts.sessions as workouts,
       weekly.hard_sets, from_sets.hard_sets as hard_sets_from_sets,
       weekly.tonnage_kg, from_sets.tonnage_kg as tonnage_from_sets
from {{ ref('mart_weekly_training') }} as weekly
left join from_sets
    on from_sets.athlete_id = weekly.athlete_id and from_sets.week_start = weekly.week_start
left join from_workouts
    on from_workouts.athlete_id = weekly.athlete_id and from_workouts.week_start = weekly.week_start
where weekly.sessions <> coalesce(from_workouts.sessions, 0)
   or weekly.hard_sets <> coalesce(from_sets.hard_sets, 0)
   or weekly.tonnage_kg <> coalesce(from_sets.tonnage_kg, 0)
