{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'local_date']}, {'columns': ['athlete_id', 'week_start']}, {'columns': ['workout_id']}]) }}
-- The workout_id index: the relationships tests of fct_sets and fct_cardio look their rewritten rows up in it.
-- Incremental: the changed athletes' workouts from their rebuild_week on (int_changes__rebuild_from).
-- depends_on: {{ ref('int_changes__rebuild_from') }}

with workouts as (

    {{ changed_rows(ref('int_workouts__metrics'), 'workouts',
        "changed.athlete_id = workouts.athlete_id and workouts.week_start >= changed.rebuild_week") }}

),

final as (

    select
        workout_sk as workout_id,
        athlete_id,
        hevy_workout_id,
        workout_title as title,
        started_at,
        ended_at,
        start_local,
        local_date,
        week_start,
        iso_week,
        duration_s,
        exercises,
        sets,
        working_sets,
        warmup_sets,
        hard_sets,
        reps,
        cast(tonnage_kg as numeric(14, 2)) as tonnage_kg,
        cardio_sets,
        cardio_distance_m,
        cardio_duration_s,
        workout_source as source
    from workouts

)

select * from final
