{{ config(
    materialized='incremental',
    indexes=[{'columns': ['athlete_id', 'week_start']}, {'columns': ['week_start']}],
    pre_hook="{{ delete_weeks_after('select max(workouts.week_start) from ' ~ ref('int_workouts__metrics') ~ ' as workouts where workouts.athlete_id = changed.athlete_id') }}"
) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete x ISO week, every week from the athlete's first to last workout
-- (weeks without training are rows with 0 sessions), with adherence to the target sessions in effect on
-- the week's Monday (int_athlete_targets__daily: dated targets, else the seed).
-- Incremental (macros/incremental_weeks.sql): the changed athletes' weeks from the first one not kept; the first week
-- comes from all workouts. Workouts are read from rebuild_week on: a week between the last kept one and rebuild_week
-- was after the athlete's last workout at the previous build and has none now (a new one would move rebuild_week).
with workouts as (

    {{ changed_rows(ref('int_workouts__metrics'), 'workouts',
        "changed.athlete_id = workouts.athlete_id and workouts.week_start >= changed.rebuild_week") }}

),

targets as (

    select * from {{ ref('int_athlete_targets__daily') }}

),

baseline as (

    select * from {{ ref('int_athlete_targets') }}

),

calendar_weeks as (

    select distinct week_start from {{ ref('dim_date') }}

),

athlete_weeks as (

    -- every ISO week between the athlete's first and latest workout (the calendar spans all data)
    select
        bounds.athlete_sk,
        bounds.athlete_id,
        calendar_weeks.week_start
    from (
        {% if is_incremental() %}
        select
            changed.athlete_sk,
            changed.athlete_id,
            greatest({{ first_unbuilt_week('changed.athlete_id') }}, (
                select min(history.week_start) from {{ ref('int_workouts__metrics') }} as history
                where history.athlete_id = changed.athlete_id
            )) as first_week,
            last_weeks.last_week
        from {{ ref('int_changes__rebuild_from') }} as changed
        -- one pass over workouts (as a subquery per athlete it was read whole for each)
        left join (
            select athlete_sk, max(week_start) as last_week from workouts group by athlete_sk
        ) as last_weeks
            on last_weeks.athlete_sk = changed.athlete_sk
        offset 0  -- each athlete's bounds computed once, not once per calendar week they are compared with
        {% else %}
        select athlete_sk, athlete_id, min(week_start) as first_week, max(week_start) as last_week
        from workouts
        group by athlete_sk, athlete_id
        {% endif %}
    ) as bounds
    join calendar_weeks
        on calendar_weeks.week_start between bounds.first_week and bounds.last_week

),

weekly as (

    select
        athlete_sk,
        week_start,
        count(*) as sessions,
        count(distinct local_date) as training_days,
        sum(duration_s) as duration_s,
        sum(exercises) as exercises,
        sum(sets) as sets,
        sum(working_sets) as working_sets,
        sum(hard_sets) as hard_sets,
        sum(reps) as reps,
        sum(tonnage_kg) as tonnage_kg,
        sum(cardio_sets) as cardio_sets,
        sum(cardio_distance_m) as cardio_distance_m,
        sum(cardio_duration_s) as cardio_duration_s
    from workouts
    group by athlete_sk, week_start

),

final as (

    select
        md5(athlete_weeks.athlete_id || '|' || cast(athlete_weeks.week_start as text)) as athlete_week_key,
        athlete_weeks.athlete_id,
        athlete_weeks.week_start,
        fitness.iso_week_label(athlete_weeks.week_start) as iso_week,
        cast(coalesce(weekly.sessions, 0) as bigint) as sessions,
        cast(coalesce(weekly.training_days, 0) as bigint) as training_days,
        cast(coalesce(weekly.duration_s, 0) as bigint) as duration_s,
        cast(coalesce(weekly.sets, 0) as bigint) as sets,
        cast(coalesce(weekly.working_sets, 0) as bigint) as working_sets,
        cast(coalesce(weekly.hard_sets, 0) as bigint) as hard_sets,
        cast(coalesce(weekly.reps, 0) as bigint) as reps,
        cast(coalesce(weekly.tonnage_kg, 0) as numeric(14, 2)) as tonnage_kg,
        cast(coalesce(weekly.cardio_sets, 0) as bigint) as cardio_sets,
        cast(round(coalesce(weekly.cardio_distance_m, 0), 1) as numeric(14, 1)) as cardio_distance_m,
        cast(coalesce(weekly.cardio_duration_s, 0) as bigint) as cardio_duration_s,
        targets.target_sessions_per_week as target_sessions,
        cast(round(100.0 * coalesce(weekly.sessions, 0) / nullif(targets.target_sessions_per_week, 0), 1) as numeric(8, 1)) as adherence_pct,
        coalesce(weekly.sessions, 0) >= targets.target_sessions_per_week as is_target_met,
        baseline.target_hard_sets_per_week as target_hard_sets
    from athlete_weeks
    left join weekly
        on weekly.athlete_sk = athlete_weeks.athlete_sk
       and weekly.week_start = athlete_weeks.week_start
    left join targets
        on targets.athlete_sk = athlete_weeks.athlete_sk
       and targets.target_date = athlete_weeks.week_start
    left join baseline
        on baseline.athlete_sk = athlete_weeks.athlete_sk

)

select * from final
