{{ config(
    materialized='incremental',
    indexes=[{'columns': ['athlete_id', 'week_start']}],
    pre_hook="{{ delete_weeks_after('select greatest((select max(training.week_start) from ' ~ ref('mart_weekly_training') ~ ' as training where training.athlete_id = changed.athlete_id), (select max(nutrition.week_start) from ' ~ ref('int_nutrition__weekly') ~ ' as nutrition where nutrition.athlete_id = changed.athlete_id))') }}"
) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete x ISO week, every week from the athlete's first to last week with training or
-- logged nutrition (weeks with neither are rows too: 0 sessions, 0 days logged).
--   trend_weight_change_kg      trend(Sunday of the week) - trend(Sunday before), both inside the trend
--                               range (first..last weigh-in), else NULL
--   energy_balance_kcal_per_day = kcal_per_kg (7700) x trend_weight_change_kg / 7, only when the week has
--                               >= energy_balance_min_days_logged (7) logged days and >= energy_balance_min_weigh_ins (2)
--                               weigh-ins (Monday..Sunday), else NULL
--   estimated_maintenance_kcal  = avg_kcal - energy_balance_kcal_per_day (NULL with it)
-- Main lifts (int_main_lifts__weekly): jsonb arrays of their titles by rank, each one's e1RM change (best of the 4 weeks
-- ending with the week - best of the 4 before) and the mean of those changes in %.
-- Computed from exact values; shown rounded (kg and kcal 2 decimals, % 1).
-- Incremental (macros/incremental_weeks.sql): the changed athletes' weeks from the first one not kept; every input
-- is read from that week on (the trend from the Sunday before it), for those athletes only.
with {% if is_incremental() %}rebuild as (

    select
        changed.athlete_sk,
        changed.athlete_id,
        {{ first_unbuilt_week('changed.athlete_id') }} as from_week
    from {{ ref('int_changes__rebuild_from') }} as changed

),

{% endif %}training as (

    {{ changed_rows(ref('mart_weekly_training'), 'training',
        "rebuild.athlete_id = training.athlete_id and training.week_start >= rebuild.from_week", changed='rebuild') }}

),

nutrition as (

    {{ changed_rows(ref('int_nutrition__weekly'), 'nutrition',
        "rebuild.athlete_id = nutrition.athlete_id and nutrition.week_start >= rebuild.from_week", changed='rebuild') }}

),

trend as (

    {{ changed_rows(ref('int_body_weight__trend'), 'trend',
        "rebuild.athlete_sk = trend.athlete_sk and trend.body_date >= rebuild.from_week - 1", changed='rebuild') }}

),

targets as (

    {{ changed_rows(ref('int_athlete_targets__daily'), 'targets',
        "rebuild.athlete_sk = targets.athlete_sk and targets.target_date >= rebuild.from_week", changed='rebuild') }}

),

main_lifts as (

    {{ changed_rows(ref('int_main_lifts__weekly'), 'main_lifts',
        "rebuild.athlete_sk = main_lifts.athlete_sk and main_lifts.week_start >= rebuild.from_week", changed='rebuild') }}

),

athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

calendar_weeks as (

    select distinct week_start from {{ ref('dim_date') }}

),

active_weeks as (

    select athlete_id, week_start from training
    union all
    select athlete_id, week_start from nutrition

),

athlete_weeks as (

    select
        athletes.athlete_sk,
        bounds.athlete_id,
        calendar_weeks.week_start
    from (
        {% if is_incremental() %}
        -- the weeks between the first one not kept (or the athlete's first active week) and the last active week
        select
            rebuild.athlete_id,
            greatest(rebuild.from_week, least(
                (select min(history.week_start) from {{ ref('mart_weekly_training') }} as history
                  where history.athlete_id = rebuild.athlete_id),
                (select min(history.week_start) from {{ ref('int_nutrition__weekly') }} as history
                  where history.athlete_id = rebuild.athlete_id)
            )) as first_week,
            last_weeks.last_week
        from rebuild
        -- one pass over active_weeks (as a subquery per athlete it was read whole for each)
        left join (
            select athlete_id, max(week_start) as last_week from active_weeks group by athlete_id
        ) as last_weeks
            on last_weeks.athlete_id = rebuild.athlete_id
        offset 0  -- each athlete's bounds computed once, not once per calendar week they are compared with
        {% else %}
        select athlete_id, min(week_start) as first_week, max(week_start) as last_week
        from active_weeks
        group by athlete_id
        {% endif %}
    ) as bounds
    join athletes on athletes.athlete_id = bounds.athlete_id
    join calendar_weeks
        on calendar_weeks.week_start between bounds.first_week and bounds.last_week

),

weekly_weigh_ins as (

    -- grouped once (a count per athlete-week in a subquery scanned the whole trend for every week)
    select athlete_sk, fitness.iso_week_start(body_date) as week_start, count(*) as weigh_ins
    from trend
    where is_weigh_in
    group by athlete_sk, fitness.iso_week_start(body_date)

),

body_weight as (

    select
        athlete_weeks.athlete_sk,
        athlete_weeks.week_start,
        week_end.trend_kg as trend_end_kg,
        week_end.trend_kg - previous_end.trend_kg as trend_change_kg,
        coalesce(weekly_weigh_ins.weigh_ins, 0) as weigh_ins
    from athlete_weeks
    left join weekly_weigh_ins
        on weekly_weigh_ins.athlete_sk = athlete_weeks.athlete_sk
       and weekly_weigh_ins.week_start = athlete_weeks.week_start
    left join trend as week_end
        on week_end.athlete_sk = athlete_weeks.athlete_sk
       and week_end.body_date = athlete_weeks.week_start + 6
    left join trend as previous_end
        on previous_end.athlete_sk = athlete_weeks.athlete_sk
       and previous_end.body_date = athlete_weeks.week_start - 1

),

energy as (

    select
        body_weight.*,
        nutrition.days_logged,
        nutrition.avg_kcal,
        case
            when coalesce(nutrition.days_logged, 0) >= {{ var('energy_balance_min_days_logged', 7) }}
             and body_weight.weigh_ins >= {{ var('energy_balance_min_weigh_ins', 2) }}
                then {{ var('kcal_per_kg', 7700) }} * body_weight.trend_change_kg / 7
        end as energy_balance_kcal_per_day
    from body_weight
    left join nutrition
        on nutrition.athlete_sk = body_weight.athlete_sk
       and nutrition.week_start = body_weight.week_start

),

lifts as (

    select
        athlete_sk,
        week_start,
        jsonb_agg(exercise_title order by lift_rank) as main_lifts,
        jsonb_agg(cast(e1rm_change_kg as numeric(12, 2)) order by lift_rank) as main_lift_e1rm_change_kg,
        avg(100.0 * e1rm_change_kg / nullif(e1rm_previous_kg, 0)) as main_lifts_e1rm_change_pct
    from main_lifts
    group by athlete_sk, week_start

),

final as (

    select
        md5(athlete_weeks.athlete_id || '|' || cast(athlete_weeks.week_start as text)) as athlete_week_key,
        athlete_weeks.athlete_id,
        athlete_weeks.week_start,
        fitness.iso_week_label(athlete_weeks.week_start) as iso_week,
        cast(coalesce(training.sessions, 0) as bigint) as sessions,
        targets.target_sessions_per_week as target_sessions,
        cast(coalesce(training.hard_sets, 0) as bigint) as hard_sets,
        cast(coalesce(training.tonnage_kg, 0) as numeric(14, 2)) as tonnage_kg,
        cast(nutrition.avg_kcal as numeric(10, 2)) as avg_kcal,
        cast(nutrition.avg_protein_g as numeric(10, 2)) as avg_protein_g,
        cast(targets.target_kcal as numeric(10, 2)) as target_kcal,
        cast(targets.target_protein_g as numeric(10, 2)) as target_protein_g,
        cast(coalesce(nutrition.days_logged, 0) as bigint) as days_logged,
        cast(round(nutrition.adherence_pct, 1) as numeric(8, 1)) as diet_adherence_pct,
        cast(round(nutrition.protein_adherence_pct, 1) as numeric(8, 1)) as protein_adherence_pct,
        cast(energy.weigh_ins as bigint) as weigh_ins,
        cast(energy.trend_end_kg as numeric(8, 2)) as trend_weight_kg,
        cast(energy.trend_change_kg as numeric(8, 2)) as trend_weight_change_kg,
        cast(energy.energy_balance_kcal_per_day as numeric(10, 2)) as energy_balance_kcal_per_day,
        cast(energy.avg_kcal - energy.energy_balance_kcal_per_day as numeric(10, 2)) as estimated_maintenance_kcal,
        lifts.main_lifts,
        lifts.main_lift_e1rm_change_kg,
        cast(round(lifts.main_lifts_e1rm_change_pct, 1) as numeric(8, 1)) as main_lifts_e1rm_change_pct
    from athlete_weeks
    left join training
        on training.athlete_id = athlete_weeks.athlete_id
       and training.week_start = athlete_weeks.week_start
    left join nutrition
        on nutrition.athlete_sk = athlete_weeks.athlete_sk
       and nutrition.week_start = athlete_weeks.week_start
    left join energy
        on energy.athlete_sk = athlete_weeks.athlete_sk
       and energy.week_start = athlete_weeks.week_start
    left join targets
        on targets.athlete_sk = athlete_weeks.athlete_sk
       and targets.target_date = athlete_weeks.week_start
    left join lifts
        on lifts.athlete_sk = athlete_weeks.athlete_sk
       and lifts.week_start = athlete_weeks.week_start

)

select * from final
