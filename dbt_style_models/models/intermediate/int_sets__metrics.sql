{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'week_start']}]) }}
-- a table: every mart reads it, and the planner then knows its size. Incremental (docs/scaling.md): a run
-- deletes and rebuilds the sets of changed athletes from their rebuild_week on (int_changes__rebuild_from).
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per set of a non-deleted workout, with the set-level metrics (DESIGN.md "Metrics"):
--   load_kg     the load of the set: the logged weight; for bodyweight exercises (reps_only /
--               bodyweight_reps) the day's body weight (+ added weight), NULL when the body weight is
--               not known that day (int_body_weight__by_date: the trend weight between the first and last
--               weigh-in, else the nearest weigh-in within 14 days); NULL for assisted exercises or negative weights.
--   e1rm_kg     fitness.e1rm(load, reps, rpe, var e1rm_formula), RPE-adjusted (n = reps + 10 - RPE);
--               only non-warmup sets with 1..e1rm_max_reps reps and a known positive load; never assisted.
--   volume_kg   load_kg x reps for non-warmup sets with reps, else NULL (not counted).
--   is_hard_set fitness.is_hard_set(set_type, reps, rpe, var hard_set_min_rpe): non-warmup, reps >= 1,
--               RPE >= the var or no RPE logged.
-- The metrics are exact (unrounded numeric): sums and comparisons downstream use them as they are, and
-- only the marts that show a value round it (to 2 decimals).
with workouts as (

    {{ changed_rows(ref('stg_core__workouts'), 'workouts',
        "changed.athlete_sk = workouts.athlete_sk and workouts.local_date >= changed.rebuild_week") }}

),

block_sets as (

    -- every set with its block (exercise and position); in an incremental run, the rebuilt workouts' only, read one
    -- workout and one block at a time through their keys (see changed_rows: the staging views are subqueries
    -- PostgreSQL does not flatten, so only a restriction, not a join, reaches their tables' indexes)
    select
        workout_exercises.workout_sk,
        workout_exercises.workout_exercise_sk,
        workout_exercises.exercise_sk,
        workout_exercises.exercise_position,
        sets.set_sk,
        sets.set_position,
        sets.set_index,
        sets.set_type,
        sets.weight_kg,
        sets.reps,
        sets.distance_m,
        sets.duration_s,
        sets.rpe
    {% if is_incremental() %}
    from workouts
    cross join lateral (
        select * from {{ ref('stg_core__workout_exercises') }} as workout_exercises
        where workout_exercises.workout_sk = workouts.workout_sk
        offset 0
    ) as workout_exercises
    cross join lateral (
        select * from {{ ref('stg_core__sets') }} as sets
        where sets.workout_exercise_sk = workout_exercises.workout_exercise_sk
        offset 0
    ) as sets
    {% else %}
    from {{ ref('stg_core__workout_exercises') }} as workout_exercises
    join {{ ref('stg_core__sets') }} as sets on sets.workout_exercise_sk = workout_exercises.workout_exercise_sk
    {% endif %}

),

athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

exercises as (

    select * from {{ ref('int_exercises__resolved') }}

),

joined as (

    select
        sets.set_sk,
        workouts.workout_sk,
        sets.workout_exercise_sk,
        athletes.athlete_sk,
        athletes.athlete_id,
        exercises.exercise_sk,
        exercises.exercise_title,
        exercises.exercise_type,
        exercises.primary_muscle_group,
        workouts.started_at,
        workouts.local_date,
        sets.exercise_position,
        sets.set_position,
        sets.set_index,
        sets.set_type,
        sets.weight_kg,
        sets.reps,
        sets.distance_m,
        sets.duration_s,
        sets.rpe,
        body_weight.body_weight_kg,
        sets.set_type = 'warmup' as is_warmup,
        (coalesce(exercises.exercise_type = 'bodyweight_assisted_reps', false)
            or coalesce(sets.weight_kg < 0, false)) as is_assisted,
        coalesce(exercises.exercise_type in ('reps_only', 'bodyweight_reps'), false) as is_bodyweight
    from block_sets as sets
    join workouts on workouts.workout_sk = sets.workout_sk
    join athletes on athletes.athlete_sk = workouts.athlete_sk
    join exercises on exercises.exercise_sk = sets.exercise_sk
    {% if is_incremental() %}
    -- the day's body weight, one lookup per rebuilt workout (see changed_rows)
    left join lateral (
        select body_weight.body_weight_kg from {{ ref('int_body_weight__by_date') }} as body_weight
        where body_weight.athlete_sk = workouts.athlete_sk and body_weight.body_date = workouts.local_date
        offset 0
    ) as body_weight on true
    {% else %}
    left join {{ ref('int_body_weight__by_date') }} as body_weight
        on body_weight.athlete_sk = workouts.athlete_sk
       and body_weight.body_date = workouts.local_date
    {% endif %}

),

loads as (

    select
        *,
        case
            when is_assisted then null
            when is_bodyweight then body_weight_kg + coalesce(greatest(weight_kg, 0), 0)
            when weight_kg > 0 then weight_kg
        end as load_raw_kg
    from joined

),

final as (

    select
        set_sk,
        workout_sk,
        workout_exercise_sk,
        athlete_sk,
        athlete_id,
        exercise_sk,
        exercise_title,
        exercise_type,
        primary_muscle_group,
        started_at,
        local_date,
        fitness.iso_week_start(local_date) as week_start,
        fitness.iso_week_label(local_date) as iso_week,
        exercise_position,
        set_position,
        set_index,
        set_type,
        weight_kg,
        reps,
        distance_m,
        duration_s,
        rpe,
        body_weight_kg,
        is_warmup,
        is_assisted,
        is_bodyweight,
        load_raw_kg as load_kg,
        case
            when not is_warmup and not is_assisted and reps <= {{ var('e1rm_max_reps', 12) }}
                then fitness.e1rm(load_raw_kg, reps, rpe, '{{ var('e1rm_formula', 'epley') }}')
        end as e1rm_kg,
        case
            when not is_warmup and reps > 0 and load_raw_kg > 0 then load_raw_kg * reps
        end as volume_kg,
        fitness.is_hard_set(set_type, reps, rpe, {{ var('hard_set_min_rpe', 7) }}) as is_hard_set,
        (not is_warmup and coalesce(reps > 0, false)) as is_working_set,
        (coalesce(primary_muscle_group = 'cardio', false)
            or coalesce(exercise_type = 'distance_duration', false)
            or (reps is null and coalesce(distance_m > 0, false))) as is_cardio
    from loads

)

select * from final
