-- The weekly nutrition mart adds up to the daily rows: per athlete-week, days_logged = the days in
-- fct_nutrition_daily, days_on_target = its on-target days, and avg_kcal / avg_protein_g = the mean of the
-- exact daily values (int_nutrition_days__resolved) rounded once to 2 decimals.
-- A whole-history audit (tag whole_history): the daily pipeline's incremental test step leaves it to the weekly
-- pipeline and to full test runs (docs/scaling.md "The daily pipeline tests the rows it rebuilt").
{{ config(tags=['whole_history']) }}
with daily as (

    select
        athlete_id,
        week_start,
        count(*) as days_logged,
        count(*) filter (where is_on_target) as days_on_target
    from {{ ref('fct_nutrition_daily') }}
    group by athlete_id, week_start

),

exact as (

    select
        athlete_id,
        week_start,
        round(avg(kcal), 2) as avg_kcal,
        round(avg(protein_g), 2) as avg_protein_g
    from {{ ref('int_nutrition_days__resolved') }}
    group by athlete_id, week_start

)

select
    weekly.athlete_id,
    weekly.iso_week,
    weekly.days_logged,
    daily.days_logged as days_in_daily,
    weekly.days_on_target,
    daily.days_on_target as on_target_in_daily,
    weekly.avg_kcal,
    exact.avg_kcal as avg_kcal_from_days,
    weekly.avg_protein_g,
    exact.avg_protein_g as avg_protein_from_days
from {{ ref('mart_weekly_nutrition') }} as weekly
left join daily
    on daily.athlete_id = weekly.athlete_id and daily.week_start = weekly.week_start
left join exact
    on exact.athlete_id = weekly.athlete_id and exact.week_start = weekly.week_start
where weekly.days_logged <> coalesce(daily.days_logged, 0)
   or weekly.days_on_target <> coalesce(daily.days_on_target, 0)
   or weekly.avg_kcal is distinct from exact.avg_kcal
   or weekly.avg_protein_g is distinct from exact.avg_protein_g
