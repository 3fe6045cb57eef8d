{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'exercise_id', 'local_date']}, {'columns': ['workout_id']}, {'columns': ['athlete_id', 'week_start']}, {'columns': ['set_id']}]) }}
-- The set_id index: fct_cardio's relationships test looks its rewritten rows up in it (without it, the daily test
-- hashed all 8 M sets at 1,000 athletes x 5 years: docs/scaling.md).
-- Incremental: the changed athletes' sets from their rebuild_week on (int_changes__rebuild_from).
-- depends_on: {{ ref('int_changes__rebuild_from') }}

with set_metrics as (

    {{ changed_rows(ref('int_sets__metrics'), 'set_metrics',
        "changed.athlete_id = set_metrics.athlete_id and set_metrics.week_start >= changed.rebuild_week") }}

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
        exercise_position,
        set_position,
        set_index,
        set_type,
        weight_kg,
        reps,
        distance_m,
        duration_s,
        rpe,
        -- shown values: rounded to 2 decimals here (int_sets__metrics keeps them exact)
        cast(body_weight_kg as numeric(8, 2)) as body_weight_kg,
        cast(load_kg as numeric(12, 2)) as load_kg,
        cast(e1rm_kg as numeric(12, 2)) as e1rm_kg,
        cast(volume_kg as numeric(14, 2)) as volume_kg,
        is_hard_set,
        is_working_set,
        is_warmup,
        is_assisted,
        is_bodyweight,
        is_cardio
    from set_metrics

)

select * from final
