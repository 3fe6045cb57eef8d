{{ config(materialized='incremental', indexes=[{'columns': ['athlete_sk', 'body_date']}, {'columns': ['athlete_id', 'week_start']}]) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}
-- a table: the recursion runs once per build; fct_body_weight_daily and the body weight of sets read it.
-- Incremental: for a changed athlete whose trend has a kept day before its rebuild_week, the recursion restarts from
-- that day's trend over the days from rebuild_week on (reading the weigh-ins from the kept weigh-in before it, for the
-- interpolation); an athlete without one (the change reaches its first weigh-in) is rebuilt from its first weigh-in.

-- One row per athlete and day from the first to the last weigh-in (DESIGN "Body weight trend").
--   weight_kg   the day's weigh-in (stg_core__body_measurements: one per day; Hevy app > MacroFactor > CSV), else NULL
--   input_kg    the weigh-in, else linear interpolation between the weigh-ins before and after, rounded to 6 decimals
--   trend_kg    exponential smoothing every day: trend(first day) = the first weigh-in;
--               trend(d) = round(trend(d - 1) + alpha x (input(d) - trend(d - 1)), 6), alpha = var body_weight_trend_alpha
-- Rounding each step to 6 decimals (1 mg) keeps numeric scales bounded; the error stays below 1e-5 kg.
-- The recursion sits in a subquery (its own WITH RECURSIVE) so that unit-test inputs can be injected as CTEs;
-- it steps over an array per athlete, so a build is linear in the days (9 years of days: see docs/marts-diet.md).
with
{% if is_incremental() %}
starts as (

    select
        changed.athlete_sk,
        changed.rebuild_week,
        kept.body_date as seed_date,
        kept.trend_kg as seed_trend_kg,
        kept.body_date - kept.day_index as origin,
        (select max(weighed.body_date) from {{ this }} as weighed
          where weighed.athlete_sk = changed.athlete_sk and weighed.is_weigh_in
            and weighed.body_date < changed.rebuild_week) as kept_weigh_in
    from {{ ref('int_changes__rebuild_from') }} as changed
    left join lateral (
        -- the last kept day (the day before rebuild_week, or the athlete's last day when its trend ended earlier:
        -- then no weigh-in was added after it, since a new one reaches back to the weigh-in before it)
        select last_kept.body_date, last_kept.trend_kg, last_kept.day_index
        from {{ this }} as last_kept
        where last_kept.athlete_sk = changed.athlete_sk and last_kept.body_date < changed.rebuild_week
        order by last_kept.body_date desc
        limit 1
    ) as kept on true

),
{% endif %}

weigh_ins as (

    {#- one index range per changed athlete (as a join, PostgreSQL ranked every weigh-in of every athlete) #}
    {{ changed_rows(ref('stg_core__body_measurements'), 'weigh_ins',
        "weigh_ins.athlete_sk = starts.athlete_sk
        and (starts.seed_date is null or weigh_ins.measured_on >= starts.kept_weigh_in)", changed='starts') }}

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
        {% if is_incremental() %}
        cast(day as date) - coalesce(starts.origin, bounds.first_weigh_in) as day_index
        {% else %}
        cast(day as date) - bounds.first_weigh_in as day_index
        {% endif %}
    from bounds
    {% if is_incremental() %}
    join starts on starts.athlete_sk = bounds.athlete_sk
    {% endif %}
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

    -- each athlete's inputs as one array (element 1 = its first_index-th day): the recursion reads one element per
    -- step instead of joining the whole day table at every step (which made it quadratic in the days).
    -- seed_trend_kg: the trend of the day before the first element (incremental runs), else NULL (the recursion
    -- starts with the first weigh-in).
    select
        inputs.athlete_sk,
        array_agg(inputs.input_kg order by inputs.day_index) as input_series,
        count(*) as days,
        min(inputs.day_index) as first_index,
        {% if is_incremental() %}
        max(starts.seed_trend_kg) as seed_trend_kg
        {% else %}
        cast(null as numeric) as seed_trend_kg
        {% endif %}
    from inputs
    {% if is_incremental() %}
    join starts on starts.athlete_sk = inputs.athlete_sk
    where starts.seed_date is null or inputs.body_date > starts.seed_date
    {% endif %}
    group by inputs.athlete_sk

),

smoothed as (

    select * from (
        with recursive steps as (

            -- position p is array element p; position 0 is the seed day before the first element
            select
                athlete_sk,
                case when seed_trend_kg is null then 1 else 0 end as position,
                cast(coalesce(seed_trend_kg, input_series[1]) as numeric) as trend_kg
            from series

            union all

            select
                steps.athlete_sk,
                steps.position + 1,
                round(steps.trend_kg
                      + {{ var('body_weight_trend_alpha', 0.1) }} * (series.input_series[steps.position + 1] - steps.trend_kg), 6)
            from steps
            join series on series.athlete_sk = steps.athlete_sk
            where steps.position < series.days

        )
        select steps.athlete_sk, series.first_index + steps.position - 1 as day_index, steps.trend_kg
        from steps
        join series on series.athlete_sk = steps.athlete_sk
        where steps.position >= 1
    ) as recursion

),

final as (

    select
        inputs.athlete_sk,
        athletes.athlete_id,
        inputs.body_date,
        fitness.iso_week_start(inputs.body_date) as week_start,
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
    join {{ ref('stg_core__athletes') }} as athletes
        on athletes.athlete_sk = inputs.athlete_sk
    {% if is_incremental() %}
    join starts
        on starts.athlete_sk = inputs.athlete_sk
       and inputs.body_date >= starts.rebuild_week
    {% endif %}

)

select * from final
