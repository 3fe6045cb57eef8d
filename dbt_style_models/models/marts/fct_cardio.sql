{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'week_start']}]) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per cardio set (exercises whose muscle group is cardio, distance/duration exercises,
-- and sets with a distance but no reps), with pace and speed where distance and duration are logged.
-- Built on fct_sets, which already carries the renamed keys and the is_cardio flag.
-- Incremental: the changed athletes' sets from their rebuild_week on (int_changes__rebuild_from).
with sets as (

    {{ changed_rows(ref('fct_sets'), 'sets',
        "changed.athlete_id = sets.athlete_id and sets.week_start >= changed.rebuild_week") }}

),

final as (

    select
        set_id,
        athlete_id,
        workout_id,
        exercise_id,
        exercise_title,
        local_date,
        week_start,
        iso_week,
        set_position,
        distance_m,
        duration_s,
        cast(case
            when distance_m > 0 and duration_s > 0 then round(duration_s / (distance_m / 1000.0), 1)
        end as numeric(10, 1)) as pace_s_per_km,
        cast(case
            when distance_m > 0 and duration_s > 0 then round((distance_m / 1000.0) / (duration_s / 3600.0), 2)
        end as numeric(10, 2)) as speed_kmh
    from sets
    where is_cardio

)

select * from final
