{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'exercise_id', 'week_start']}, {'columns': ['athlete_id', 'week_start']}]) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete x exercise x ISO week in which the exercise was logged.
-- Incremental: the changed athletes' weeks from their rebuild_week on are rebuilt, reading progression_change_weeks
-- more weeks of sets for the N-week changes; the all-time best before them is the last kept week's (rounding to 2
-- decimals keeps the order, so the rounded maximum of both equals the rounded maximum of all).
with set_metrics as (

    {{ changed_rows(ref('int_sets__metrics'), 'set_metrics',
        "changed.athlete_id = set_metrics.athlete_id and set_metrics.week_start >= changed.rebuild_week - 7 * "
        ~ var('progression_change_weeks', 4)) }}

),

sessions as (

    {{ changed_rows(ref('int_exercise_sessions'), 'sessions',
        "changed.athlete_id = sessions.athlete_id and sessions.week_start >= changed.rebuild_week") }}

),

weekly_sets as (

    select
        athlete_id,
        exercise_sk,
        week_start,
        max(exercise_title) as exercise_title,
        count(*) as sets,
        count(*) filter (where is_working_set) as working_sets,
        count(*) filter (where is_hard_set) as hard_sets,
        max(e1rm_kg) as best_e1rm_kg,
        max(weight_kg) filter (where is_working_set and not is_assisted and weight_kg > 0) as top_set_weight_kg,
        max(volume_kg) as best_set_volume_kg,
        coalesce(sum(volume_kg), 0) as volume_kg,
        cast(coalesce(sum(reps) filter (where is_working_set), 0) as bigint) as reps
    from set_metrics
    group by athlete_id, exercise_sk, week_start

),

top_set_reps as (

    -- most reps done at the week's top weight
    select
        weekly_sets.athlete_id,
        weekly_sets.exercise_sk,
        weekly_sets.week_start,
        max(set_metrics.reps) as top_set_reps
    from weekly_sets
    join set_metrics
        on set_metrics.athlete_id = weekly_sets.athlete_id
       and set_metrics.exercise_sk = weekly_sets.exercise_sk
       and set_metrics.week_start = weekly_sets.week_start
       and set_metrics.weight_kg = weekly_sets.top_set_weight_kg
       and set_metrics.is_working_set
    group by weekly_sets.athlete_id, weekly_sets.exercise_sk, weekly_sets.week_start

),

weekly_sessions as (

    select
        athlete_id,
        exercise_sk,
        week_start,
        count(*) as sessions,
        max(session_tonnage_kg) as best_session_tonnage_kg,
        bool_or(is_weight_pr) as is_weight_pr,
        bool_or(is_e1rm_pr) as is_e1rm_pr,
        bool_or(is_best_set_pr) as is_best_set_pr,
        bool_or(is_session_tonnage_pr) as is_session_tonnage_pr
    from sessions
    group by athlete_id, exercise_sk, week_start

),

weekly as (

    select
        weekly_sets.*,
        top_set_reps.top_set_reps,
        weekly_sessions.sessions,
        weekly_sessions.best_session_tonnage_kg,
        weekly_sessions.is_weight_pr,
        weekly_sessions.is_e1rm_pr,
        weekly_sessions.is_best_set_pr,
        weekly_sessions.is_session_tonnage_pr,
        max(weekly_sets.best_e1rm_kg) over (
            partition by weekly_sets.athlete_id, weekly_sets.exercise_sk
            order by weekly_sets.week_start
            rows between unbounded preceding and current row
        ) as all_time_best_e1rm_kg
    from weekly_sets
    left join top_set_reps
        on top_set_reps.athlete_id = weekly_sets.athlete_id
       and top_set_reps.exercise_sk = weekly_sets.exercise_sk
       and top_set_reps.week_start = weekly_sets.week_start
    left join weekly_sessions
        on weekly_sessions.athlete_id = weekly_sets.athlete_id
       and weekly_sessions.exercise_sk = weekly_sets.exercise_sk
       and weekly_sessions.week_start = weekly_sets.week_start

),

final as (

    select
        md5(weekly.athlete_id || '|' || cast(weekly.exercise_sk as text) || '|' || cast(weekly.week_start as text)) as progression_key,
        weekly.athlete_id,
        weekly.exercise_sk as exercise_id,
        weekly.exercise_title,
        weekly.week_start,
        fitness.iso_week_label(weekly.week_start) as iso_week,
        cast(coalesce(weekly.sessions, 0) as bigint) as sessions,
        weekly.sets,
        weekly.working_sets,
        weekly.hard_sets,
        weekly.reps,
        cast(weekly.best_e1rm_kg as numeric(12, 2)) as best_e1rm_kg,
        weekly.top_set_weight_kg,
        weekly.top_set_reps,
        cast(weekly.best_set_volume_kg as numeric(14, 2)) as best_set_volume_kg,
        cast(weekly.volume_kg as numeric(14, 2)) as volume_kg,
        cast(weekly.best_session_tonnage_kg as numeric(14, 2)) as best_session_tonnage_kg,
        {% if is_incremental() %}
        greatest(cast(weekly.all_time_best_e1rm_kg as numeric(12, 2)), kept_best.all_time_best_e1rm_kg) as all_time_best_e1rm_kg,
        {% else %}
        cast(weekly.all_time_best_e1rm_kg as numeric(12, 2)) as all_time_best_e1rm_kg,
        {% endif %}
        cast(earlier.best_e1rm_kg as numeric(12, 2)) as e1rm_change_base_kg,
        cast(round(weekly.best_e1rm_kg - earlier.best_e1rm_kg, 2) as numeric(12, 2)) as e1rm_change_4w_kg,
        cast(round(100.0 * (weekly.best_e1rm_kg - earlier.best_e1rm_kg) / nullif(earlier.best_e1rm_kg, 0), 1) as numeric(8, 1)) as e1rm_change_4w_pct,
        cast(round(weekly.volume_kg - earlier.volume_kg, 2) as numeric(14, 2)) as volume_change_4w_kg,
        coalesce(weekly.is_weight_pr, false) as is_weight_pr,
        coalesce(weekly.is_e1rm_pr, false) as is_e1rm_pr,
        coalesce(weekly.is_best_set_pr, false) as is_best_set_pr,
        coalesce(weekly.is_session_tonnage_pr, false) as is_session_tonnage_pr
    from weekly
    left join weekly as earlier
        on earlier.athlete_id = weekly.athlete_id
       and earlier.exercise_sk = weekly.exercise_sk
       and earlier.week_start = weekly.week_start - 7 * {{ var('progression_change_weeks', 4) }}
    {% if is_incremental() %}
    join {{ ref('int_changes__rebuild_from') }} as changed
        on changed.athlete_id = weekly.athlete_id and weekly.week_start >= changed.rebuild_week
    left join lateral (
        select kept.all_time_best_e1rm_kg
        from {{ this }} as kept
        where kept.athlete_id = weekly.athlete_id
          and kept.exercise_id = weekly.exercise_sk
          and kept.week_start < changed.rebuild_week
        order by kept.week_start desc
        limit 1
    ) as kept_best on true
    {% endif %}

)

select * from final
