{{ config(indexes=[{'columns': ['athlete_id', 'week_start']}]) }}

-- One row per athlete x ISO week, every week from the athlete's first to last logged day (weeks without
-- logging are rows with days_logged 0). Averages are over logged days, from exact daily values.
-- adherence_pct         = 100 x days_on_target / 7         (DESIGN: days on target / days in the week)
-- protein_adherence_pct = 100 x days_protein_on_target / 7
-- Both are NULL in a week in which no day had a target of the kind they measure.
with days as (

    select * from {{ ref('int_nutrition_days__resolved') }}

),

targets as (

    select * from {{ ref('int_athlete_targets__daily') }}

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
        select athlete_sk, athlete_id, min(week_start) as first_week, max(week_start) as last_week
        from days
        group by athlete_sk, athlete_id
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
        md5(athlete_weeks.athlete_id || '|' || cast(athlete_weeks.week_start as text)) as athlete_week_key,
        athlete_weeks.athlete_id,
        athlete_weeks.week_start,
        fitness.iso_week_label(athlete_weeks.week_start) as iso_week,
        cast(coalesce(weekly.days_logged, 0) as bigint) as days_logged,
        cast(weekly.avg_kcal as numeric(10, 2)) as avg_kcal,
        cast(weekly.avg_protein_g as numeric(10, 2)) as avg_protein_g,
        cast(weekly.avg_carbs_g as numeric(10, 2)) as avg_carbs_g,
        cast(weekly.avg_fat_g as numeric(10, 2)) as avg_fat_g,
        cast(weekly.avg_fiber_g as numeric(10, 2)) as avg_fiber_g,
        cast(weekly_targets.target_kcal as numeric(10, 2)) as target_kcal,
        cast(weekly_targets.target_protein_g as numeric(10, 2)) as target_protein_g,
        cast(coalesce(weekly.days_kcal_on_target, 0) as bigint) as days_kcal_on_target,
        cast(coalesce(weekly.days_protein_on_target, 0) as bigint) as days_protein_on_target,
        cast(coalesce(weekly.days_on_target, 0) as bigint) as days_on_target,
        case when weekly_targets.has_diet_target
            then cast(round(100.0 * coalesce(weekly.days_on_target, 0) / 7, 1) as numeric(8, 1))
        end as adherence_pct,
        case when weekly_targets.has_protein_target
            then cast(round(100.0 * coalesce(weekly.days_protein_on_target, 0) / 7, 1) as numeric(8, 1))
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
