{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'week_start']}, {'columns': ['athlete_sk', 'exercise_sk', 'started_at']}]) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete, exercise and workout (a "session" of that exercise), with the session's bests
-- and the running all-time bests of all EARLIER sessions (strictly before, by start time), so that
-- a PR is "strictly greater than everything before". The first session of an exercise sets the
-- baseline and is not a PR. Values are exact (not rounded), so a PR is never made or hidden by rounding.
-- Incremental: the changed athletes' sessions from their rebuild_week on are rebuilt; the bests before them come
-- from the last kept session of each exercise (its own bests and its running bests): one index probe, not the history.
-- Within an athlete loaded in one time zone, start time order is local date order, so every kept session is earlier.
with set_metrics as (

    {{ changed_rows(ref('int_sets__metrics'), 'set_metrics',
        "changed.athlete_id = set_metrics.athlete_id and set_metrics.week_start >= changed.rebuild_week") }}

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

{% if is_incremental() %}
kept_bests as (

    select
        pairs.athlete_sk,
        pairs.exercise_sk,
        last_kept.best_weight_kg,
        last_kept.best_e1rm_kg,
        last_kept.best_set_volume_kg,
        last_kept.best_session_tonnage_kg
    from (select distinct athlete_sk, exercise_sk from sessions) as pairs
    join {{ ref('int_changes__rebuild_from') }} as changed on changed.athlete_sk = pairs.athlete_sk
    cross join lateral (
        select
            greatest(kept.max_weight_kg, kept.prev_best_weight_kg) as best_weight_kg,
            greatest(kept.best_e1rm_kg, kept.prev_best_e1rm_kg) as best_e1rm_kg,
            greatest(kept.best_set_volume_kg, kept.prev_best_set_volume_kg) as best_set_volume_kg,
            greatest(kept.session_tonnage_kg, kept.prev_best_session_tonnage_kg) as best_session_tonnage_kg
        from {{ this }} as kept
        where kept.athlete_sk = pairs.athlete_sk
          and kept.exercise_sk = pairs.exercise_sk
          and kept.week_start < changed.rebuild_week
        order by kept.started_at desc, kept.workout_sk desc
        limit 1
    ) as last_kept

),
{% endif %}

running as (

    -- greatest() skips NULLs: the best of the earlier sessions rebuilt and of those kept
    select
        sessions.*,
        {% if is_incremental() %}
        greatest(max(sessions.max_weight_kg) over earlier, kept_bests.best_weight_kg) as prev_best_weight_kg,
        greatest(max(sessions.best_e1rm_kg) over earlier, kept_bests.best_e1rm_kg) as prev_best_e1rm_kg,
        greatest(max(sessions.best_set_volume_kg) over earlier, kept_bests.best_set_volume_kg) as prev_best_set_volume_kg,
        greatest(max(sessions.session_tonnage_kg) over earlier, kept_bests.best_session_tonnage_kg) as prev_best_session_tonnage_kg
        {% else %}
        max(sessions.max_weight_kg) over earlier as prev_best_weight_kg,
        max(sessions.best_e1rm_kg) over earlier as prev_best_e1rm_kg,
        max(sessions.best_set_volume_kg) over earlier as prev_best_set_volume_kg,
        max(sessions.session_tonnage_kg) over earlier as prev_best_session_tonnage_kg
        {% endif %}
    from sessions
    {% if is_incremental() %}
    left join kept_bests
        on kept_bests.athlete_sk = sessions.athlete_sk
       and kept_bests.exercise_sk = sessions.exercise_sk
    {% endif %}
    window earlier as (
        partition by sessions.athlete_sk, sessions.exercise_sk
        order by sessions.started_at, sessions.workout_sk
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
