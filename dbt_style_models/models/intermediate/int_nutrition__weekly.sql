{{ config(
    materialized='incremental',
    indexes=[{'columns': ['athlete_id', 'week_start']}],
    pre_hook="{{ delete_weeks_after('select fitness.iso_week_start(max(logged.nutrition_date)) from ' ~ ref('stg_core__nutrition_days') ~ ' as logged where logged.athlete_sk = changed.athlete_sk') }}"
) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}
-- depends_on: {{ ref('stg_core__nutrition_days') }}

-- One row per athlete x ISO week, every week from the athlete's first to last logged day (weeks without
-- logging are rows with days_logged 0). Exact values; mart_weekly_nutrition rounds them for display.
--   avg_*                 means over the logged days of the week
--   days_on_target        logged days on target (int_nutrition_days__resolved.is_on_target, each day against its own targets)
--   adherence_pct         = 100 x days_on_target / 7         (DESIGN: days on target / days in the week)
--   protein_adherence_pct = 100 x days_protein_on_target / 7
-- Both percentages are NULL in a week in which no day had a target of the kind they measure.
-- target_kcal / target_protein_g: the targets in effect on the week's Monday (shown beside the averages).
-- Incremental (macros/incremental_weeks.sql): the changed athletes' weeks from the first one not kept.
with {% if is_incremental() %}rebuild as (

    select
        changed.athlete_sk,
        changed.athlete_id,
        {{ first_unbuilt_week('changed.athlete_id') }} as from_week
    from {{ ref('int_changes__rebuild_from') }} as changed

),

{% endif %}days as (

    {{ changed_rows(ref('int_nutrition_days__resolved'), 'days',
        "rebuild.athlete_sk = days.athlete_sk and days.nutrition_date >= rebuild.from_week", changed='rebuild') }}

),

targets as (

    {{ changed_rows(ref('int_athlete_targets__daily'), 'targets',
        "rebuild.athlete_sk = targets.athlete_sk and targets.target_date >= rebuild.from_week", changed='rebuild') }}

),

calendar_weeks as (

    select distinct week_start from {{ ref('dim_date') }}

),

athlete_weeks as (

    select
        bounds.athlete_sk,
        bounds.athlete_id,
        calendar_weeks.week_start
    from (
        {% if is_incremental() %}
        -- the weeks between the first one not kept (or the athlete's first) and the last logged
        select
            rebuild.athlete_sk,
            rebuild.athlete_id,
            -- a day is logged when any source logged it (the winner rule picks among them). An athlete with kept
            -- weeks starts at from_week (its first logged week is the first kept one); one without starts at its
            -- first logged day, looked up only then (one step in core's primary key)
            case when rebuild.from_week > date '-infinity' then rebuild.from_week else (
                select fitness.iso_week_start(min(logged.nutrition_date)) from {{ ref('stg_core__nutrition_days') }} as logged
                where logged.athlete_sk = rebuild.athlete_sk
            ) end as first_week,
            last_weeks.last_week
        from rebuild
        -- one pass over days (as a subquery per athlete it was read whole for each: 1.2 s at 1,000 athletes)
        left join (
            select athlete_sk, max(week_start) as last_week from days group by athlete_sk
        ) as last_weeks
            on last_weeks.athlete_sk = rebuild.athlete_sk
        offset 0  -- each athlete's bounds computed once, not once per calendar week they are compared with
        {% else %}
        select athlete_sk, athlete_id, min(week_start) as first_week, max(week_start) as last_week
        from days
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
        count(*) as days_logged,
        avg(kcal) as avg_kcal,
        avg(protein_g) as avg_protein_g,
        avg(carbs_g) as avg_carbs_g,
        avg(fat_g) as avg_fat_g,
        avg(fiber_g) as avg_fiber_g,
        count(*) filter (where is_kcal_on_target) as days_kcal_on_target,
        count(*) filter (where is_protein_on_target) as days_protein_on_target,
        count(*) filter (where is_on_target) as days_on_target
    from days
    group by athlete_sk, week_start

),

weekly_targets as (

    -- the targets shown for a week are those in effect on its Monday; adherence uses each day's own
    select
        athlete_sk,
        fitness.iso_week_start(target_date) as week_start,
        max(target_kcal) filter (where target_date = fitness.iso_week_start(target_date)) as target_kcal,
        max(target_protein_g) filter (where target_date = fitness.iso_week_start(target_date)) as target_protein_g,
        bool_or(target_kcal is not null or target_protein_g is not null) as has_diet_target,
        bool_or(target_protein_g is not null) as has_protein_target
    from targets
    group by athlete_sk, fitness.iso_week_start(target_date)

),

final as (

    select
        athlete_weeks.athlete_sk,
        athlete_weeks.athlete_id,
        athlete_weeks.week_start,
        cast(coalesce(weekly.days_logged, 0) as bigint) as days_logged,
        weekly.avg_kcal,
        weekly.avg_protein_g,
        weekly.avg_carbs_g,
        weekly.avg_fat_g,
        weekly.avg_fiber_g,
        weekly_targets.target_kcal,
        weekly_targets.target_protein_g,
        cast(coalesce(weekly.days_kcal_on_target, 0) as bigint) as days_kcal_on_target,
        cast(coalesce(weekly.days_protein_on_target, 0) as bigint) as days_protein_on_target,
        cast(coalesce(weekly.days_on_target, 0) as bigint) as days_on_target,
        case when weekly_targets.has_diet_target
            then 100.0 * coalesce(weekly.days_on_target, 0) / 7
        end as adherence_pct,
        case when weekly_targets.has_protein_target
            then 100.0 * coalesce(weekly.days_protein_on_target, 0) / 7
        end as protein_adherence_pct
    from athlete_weeks
    left join weekly
        on weekly.athlete_sk = athlete_weeks.athlete_sk
       and weekly.week_start = athlete_weeks.week_start
    left join weekly_targets
        on weekly_targets.athlete_sk = athlete_weeks.athlete_sk
       and weekly_targets.week_start = athlete_weeks.week_start

)

select * from final
