-- One row per athlete and date with a known body weight (DESIGN "Metrics": body weight on a date), the one
-- home of that rule:
--   between the first and last weigh-in: the trend weight of that day (int_body_weight__trend, exact);
--   else the nearest weigh-in within var body_weight_nearest_days (14) days - before the first weigh-in the
--   first one, after the last weigh-in the last one; further away: unknown (no row).
with trend as (

    select * from {{ ref('int_body_weight__trend') }}

),

bounds as (

    select
        athlete_sk,
        min(body_date) as first_weigh_in,
        max(body_date) as last_weigh_in
    from trend
    group by athlete_sk

),

ends as (

    select
        bounds.athlete_sk,
        bounds.first_weigh_in,
        bounds.last_weigh_in,
        first_day.weight_kg as first_weight_kg,
        last_day.weight_kg as last_weight_kg
    from bounds
    join trend as first_day
        on first_day.athlete_sk = bounds.athlete_sk and first_day.body_date = bounds.first_weigh_in
    join trend as last_day
        on last_day.athlete_sk = bounds.athlete_sk and last_day.body_date = bounds.last_weigh_in

),

in_range as (

    select athlete_sk, body_date, trend_kg as body_weight_kg, 'trend' as body_weight_basis
    from trend

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
