-- One row per athlete and date with a known body weight (DESIGN "Metrics": body weight on a date), the one
-- home of that rule:
--   between the first and last weigh-in: the trend weight of that day (int_body_weight__trend, exact);
--   else the nearest weigh-in within var body_weight_nearest_days (14) days - before the first weigh-in the
--   first one, after the last weigh-in the last one; further away: unknown (no row).
-- Each ref is read in its own subquery (no shared CTE) so that the view stays one that PostgreSQL can restrict: a
-- build that needs a few athletes' days (int_sets__metrics' incremental runs) reads theirs through the trend's
-- (athlete_sk, body_date) index, the first and last weigh-in by one index probe each.
with in_range as (

    select athlete_sk, body_date, trend_kg as body_weight_kg, 'trend' as body_weight_basis
    from {{ ref('int_body_weight__trend') }}

),

ends as not materialized (  -- inlined where used, so a restriction on the athlete reaches it

    select
        athletes.athlete_sk,
        first_day.body_date as first_weigh_in,
        last_day.body_date as last_weigh_in,
        first_day.weight_kg as first_weight_kg,
        last_day.weight_kg as last_weight_kg
    from {{ ref('stg_core__athletes') }} as athletes   -- athletes without weigh-ins have no first day: no row
    cross join lateral (
        select trend.body_date, trend.weight_kg from {{ ref('int_body_weight__trend') }} as trend
        where trend.athlete_sk = athletes.athlete_sk
        order by trend.body_date
        limit 1
    ) as first_day
    cross join lateral (
        select trend.body_date, trend.weight_kg from {{ ref('int_body_weight__trend') }} as trend
        where trend.athlete_sk = athletes.athlete_sk
        order by trend.body_date desc
        limit 1
    ) as last_day

),

before_first as (

    select
        ends.athlete_sk,
        cast(day as date) as body_date,
        ends.first_weight_kg as body_weight_kg,
        'nearest_weigh_in' as body_weight_basis
    from ends
    cross join lateral generate_series(
        ends.first_weigh_in - {{ var('body_weight_nearest_days', 14) }},
        ends.first_weigh_in - 1,
        interval '1 day'
    ) as day

),

after_last as (

    select
        ends.athlete_sk,
        cast(day as date) as body_date,
        ends.last_weight_kg as body_weight_kg,
        'nearest_weigh_in' as body_weight_basis
    from ends
    cross join lateral generate_series(
        ends.last_weigh_in + 1,
        ends.last_weigh_in + {{ var('body_weight_nearest_days', 14) }},
        interval '1 day'
    ) as day

),

final as (

    select * from in_range
    union all
    select * from before_first
    union all
    select * from after_last

)

select * from final
