{{ config(materialized='table', indexes=[{'columns': ['athlete_sk', 'body_date']}]) }}
-- a table: the recursion runs once per build; fct_body_weight_daily and the body weight of sets read it

-- One row per athlete and day from the first to the last weigh-in (DESIGN "Body weight trend").
--   weight_kg   the day's weigh-in (stg_core__body_measurements: one per day; Hevy app > MacroFactor > CSV), else NULL
--   input_kg    the weigh-in, else linear interpolation between the weigh-ins before and after, rounded to 6 decimals
--   trend_kg    exponential smoothing every day: trend(first day) = the first weigh-in;
--               trend(d) = round(trend(d - 1) + alpha x (input(d) - trend(d - 1)), 6), alpha = var body_weight_trend_alpha
-- Rounding each step to 6 decimals (1 mg) keeps numeric scales bounded; the error stays below 1e-5 kg.
-- The recursion sits in a subquery (its own WITH RECURSIVE) so that unit-test inputs can be injected as CTEs;
-- it steps over an array per athlete, so a build is linear in the days (9 years of days: see docs/marts-diet.md).
with weigh_ins as (

    select * from {{ ref('stg_core__body_measurements') }}

),

bounds as (

    select
        athlete_sk,
        min(measured_on) as first_weigh_in,
        max(measured_on) as last_weigh_in
    from weigh_ins
    group by athlete_sk

),

days as (

    select
        bounds.athlete_sk,
        cast(day as date) as body_date,
        cast(day as date) - bounds.first_weigh_in as day_index
    from bounds
    cross join lateral generate_series(bounds.first_weigh_in, bounds.last_weigh_in, interval '1 day') as day

),

with_weigh_ins as (

    select
        days.athlete_sk,
        days.body_date,
        days.day_index,
        weigh_ins.body_weight_kg as weight_kg,
        weigh_ins.measurement_source,
        -- groups that start at a weigh-in: carried forward to the next one (and, reversed, back to the previous)
        count(weigh_ins.body_weight_kg) over (
            partition by days.athlete_sk order by days.body_date
        ) as grp_forward,
        count(weigh_ins.body_weight_kg) over (
            partition by days.athlete_sk order by days.body_date desc
        ) as grp_backward
    from days
    left join weigh_ins
        on weigh_ins.athlete_sk = days.athlete_sk
       and weigh_ins.measured_on = days.body_date

),

neighbours as (

    select
        *,
        max(weight_kg) over (partition by athlete_sk, grp_forward) as prev_weight_kg,
        max(case when weight_kg is not null then body_date end) over (partition by athlete_sk, grp_forward) as prev_date,
        max(weight_kg) over (partition by athlete_sk, grp_backward) as next_weight_kg,
        max(case when weight_kg is not null then body_date end) over (partition by athlete_sk, grp_backward) as next_date
    from with_weigh_ins

),

inputs as (

    select
        athlete_sk,
        body_date,
        day_index,
        weight_kg,
        measurement_source,
        case
            when weight_kg is not null then weight_kg
            else round(prev_weight_kg + (next_weight_kg - prev_weight_kg)
                       * (body_date - prev_date) / (next_date - prev_date), 6)
        end as input_kg
    from neighbours

),

series as (

    -- each athlete's inputs as one array (element day_index + 1): the recursion reads one element per step
    -- instead of joining the whole day table at every step (which made it quadratic in the days)
    select
        athlete_sk,
        array_agg(input_kg order by day_index) as input_series,
        count(*) as days
    from inputs
    group by athlete_sk

),

smoothed as (

    select * from (
        with recursive steps as (

            select athlete_sk, 0 as day_index, cast(input_series[1] as numeric) as trend_kg
            from series

            union all

            select
                steps.athlete_sk,
                steps.day_index + 1,
                round(steps.trend_kg
                      + {{ var('body_weight_trend_alpha', 0.1) }} * (series.input_series[steps.day_index + 2] - steps.trend_kg), 6)
            from steps
            join series on series.athlete_sk = steps.athlete_sk
            where steps.day_index + 1 < series.days

        )
        select * from steps
    ) as recursion

),

final as (

    select
        inputs.athlete_sk,
        inputs.body_date,
        inputs.day_index,
        inputs.weight_kg,
        inputs.measurement_source,
        inputs.weight_kg is not null as is_weigh_in,
        inputs.input_kg,
        smoothed.trend_kg
    from inputs
    join smoothed
        on smoothed.athlete_sk = inputs.athlete_sk
       and smoothed.day_index = inputs.day_index

)

select * from final
