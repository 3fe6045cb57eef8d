-- Nothing lost, nothing doubled: every athlete-day with a logged intake in core.nutrition_days is exactly
-- one row of fct_nutrition_daily, from the highest-priority source that logged it; every athlete-day with a
-- weigh-in in core.body_measurements is a weigh-in day of fct_body_weight_daily, and no other day is.
-- A whole-history audit (tag whole_history): the daily pipeline's incremental test step leaves it to the weekly
-- pipeline and to full test runs (docs/scaling.md "The daily pipeline tests the rows it rebuilt").
{{ config(tags=['whole_history']) }}
with core_nutrition as (

    select
        athletes.athlete_id,
        nutrition.date,
        (array_agg(nutrition.source order by case nutrition.source
            when 'cronometer' then 1 when 'cronometer_servings' then 2
            when 'macrofactor' then 3 when 'myfitnesspal' then 4 end))[1] as expected_source
    from {{ source('core', 'nutrition_days') }} as nutrition
    join {{ source('core', 'athletes') }} as athletes on athletes.athlete_sk = nutrition.athlete_sk
    where nutrition.kcal is not null
    group by athletes.athlete_id, nutrition.date

),

core_weigh_ins as (

    select distinct athletes.athlete_id, body.date
    from {{ source('core', 'body_measurements') }} as body
    join {{ source('core', 'athletes') }} as athletes on athletes.athlete_sk = body.athlete_sk
    where body.weight_kg is not null

),

nutrition_diff as (

    select
        coalesce(core_nutrition.athlete_id, daily.athlete_id) as athlete_id,
        coalesce(core_nutrition.date, daily.date) as date,
        'nutrition' as check_name,
        core_nutrition.expected_source,
        daily.source as mart_source
    from core_nutrition
    full join {{ ref('fct_nutrition_daily') }} as daily
        on daily.athlete_id = core_nutrition.athlete_id and daily.date = core_nutrition.date
    where core_nutrition.date is null
       or daily.date is null
       or daily.source <> core_nutrition.expected_source

),

weigh_in_diff as (

    select
        coalesce(core_weigh_ins.athlete_id, weighed.athlete_id) as athlete_id,
        coalesce(core_weigh_ins.date, weighed.date) as date,
        'weigh_in' as check_name,
        null as expected_source,
        null as mart_source
    from core_weigh_ins
    full join (
        select athlete_id, date from {{ ref('fct_body_weight_daily') }} where is_weigh_in
    ) as weighed
        on weighed.athlete_id = core_weigh_ins.athlete_id and weighed.date = core_weigh_ins.date
    where core_weigh_ins.date is null or weighed.date is null

)

select * from nutrition_diff
union all
select * from weigh_in_diff
