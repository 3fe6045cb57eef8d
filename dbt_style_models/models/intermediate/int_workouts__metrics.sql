{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'week_start']}]) }}
-- Incremental: the changed athletes' workouts from their rebuild_week on (int_changes__rebuild_from).
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per non-deleted workout with its set counts, hard sets, tonnage and cardio totals.
with workouts as (

    {{ changed_rows(ref('stg_core__workouts'), 'workouts',
        "changed.athlete_sk = workouts.athlete_sk and workouts.local_date >= changed.rebuild_week") }}

),

athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

set_metrics as (

    {{ changed_rows(ref('int_sets__metrics'), 'set_metrics',
        "changed.athlete_id = set_metrics.athlete_id and set_metrics.week_start >= changed.rebuild_week") }}

),

per_workout as (

    select
        workout_sk,
        count(distinct exercise_sk) as exercises,
        count(*) as sets,
        count(*) filter (where is_working_set) as working_sets,
        count(*) filter (where is_hard_set) as hard_sets,
        count(*) filter (where is_warmup) as warmup_sets,
        sum(volume_kg) as tonnage_kg,
        sum(reps) filter (where is_working_set) as reps,
        count(*) filter (where is_cardio) as cardio_sets,
        sum(distance_m) filter (where is_cardio) as cardio_distance_m,
        sum(duration_s) filter (where is_cardio) as cardio_duration_s
    from set_metrics
    group by workout_sk

),

final as (

    select
        workouts.workout_sk,
        workouts.athlete_sk,
        athletes.athlete_id,
        workouts.hevy_workout_id,
        workouts.workout_title,
        workouts.workout_source,
        workouts.start_local,
        workouts.started_at,
        workouts.ended_at,
        workouts.local_date,
        fitness.iso_week_start(workouts.local_date) as week_start,
        fitness.iso_week_label(workouts.local_date) as iso_week,
        workouts.duration_s,
        cast(coalesce(per_workout.exercises, 0) as bigint) as exercises,
        cast(coalesce(per_workout.sets, 0) as bigint) as sets,
        cast(coalesce(per_workout.working_sets, 0) as bigint) as working_sets,
        cast(coalesce(per_workout.hard_sets, 0) as bigint) as hard_sets,
        cast(coalesce(per_workout.warmup_sets, 0) as bigint) as warmup_sets,
        coalesce(per_workout.tonnage_kg, 0) as tonnage_kg,   -- exact: weekly sums add these, the marts round
        cast(coalesce(per_workout.reps, 0) as bigint) as reps,
        cast(coalesce(per_workout.cardio_sets, 0) as bigint) as cardio_sets,
        cast(round(coalesce(per_workout.cardio_distance_m, 0), 1) as numeric(14, 1)) as cardio_distance_m,
        cast(coalesce(per_workout.cardio_duration_s, 0) as bigint) as cardio_duration_s
    from workouts
    join athletes on athletes.athlete_sk = workouts.athlete_sk
    left join per_workout on per_workout.workout_sk = workouts.workout_sk

)

select * from final
