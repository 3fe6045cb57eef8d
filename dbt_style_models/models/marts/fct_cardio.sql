{{ config(indexes=[{'columns': ['athlete_id', 'week_start']}]) }}

-- One row per cardio set (exercises whose muscle group is cardio, distance/duration exercises,
-- and sets with a distance but no reps), with pace and speed where distance and duration are logged.
with set_metrics as (

    select * from {{ ref('int_sets__metrics') }}

),

final as (

    select
        set_sk as set_id,
        athlete_id,
        workout_sk as workout_id,
        exercise_sk as exercise_id,
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
    from set_metrics
    where is_cardio

)

select * from final
