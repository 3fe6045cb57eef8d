{{ config(materialized='table') }}

-- One row per athlete, exercise and workout (a "session" of that exercise), with the session's bests
-- and the running all-time bests of all EARLIER sessions (strictly before, by start time), so that
-- a PR is "strictly greater than everything before". The first session of an exercise sets the
-- baseline and is not a PR. Values are exact (not rounded), so a PR is never made or hidden by rounding.
with set_metrics as (

    select * from {{ ref('int_sets__metrics') }}

),

sessions as (

    select
        athlete_sk,
        athlete_id,
        exercise_sk,
        workout_sk,
        started_at,
        local_date,
        week_start,
        count(*) filter (where is_working_set) as working_sets,
        count(*) filter (where is_hard_set) as hard_sets,
        max(weight_kg) filter (where is_working_set and not is_assisted and weight_kg > 0) as max_weight_kg,
        max(e1rm_kg) as best_e1rm_kg,
        max(volume_kg) as best_set_volume_kg,
        sum(volume_kg) as session_tonnage_kg
    from set_metrics
    group by athlete_sk, athlete_id, exercise_sk, workout_sk, started_at, local_date, week_start

),

running as (

    select
        *,
        max(max_weight_kg) over earlier as prev_best_weight_kg,
        max(best_e1rm_kg) over earlier as prev_best_e1rm_kg,
        max(best_set_volume_kg) over earlier as prev_best_set_volume_kg,
        max(session_tonnage_kg) over earlier as prev_best_session_tonnage_kg
    from sessions
    window earlier as (
        partition by athlete_sk, exercise_sk
        order by started_at, workout_sk
        rows between unbounded preceding and 1 preceding
    )

),

final as (

    select
        *,
        coalesce(max_weight_kg > prev_best_weight_kg, false) as is_weight_pr,
        coalesce(best_e1rm_kg > prev_best_e1rm_kg, false) as is_e1rm_pr,
        coalesce(best_set_volume_kg > prev_best_set_volume_kg, false) as is_best_set_pr,
        coalesce(session_tonnage_kg > prev_best_session_tonnage_kg, false) as is_session_tonnage_pr
    from running

)

select * from final
