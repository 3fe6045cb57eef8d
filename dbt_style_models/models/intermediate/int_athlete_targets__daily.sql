{{ config(
    materialized='incremental',
    indexes=[{'columns': ['athlete_sk', 'target_date']}, {'columns': ['athlete_id', 'week_start']}],
    pre_hook="{% if is_incremental() %}delete from {{ this }} where target_date not between coalesce((select min(date_day) from {{ ref('dim_date') }}), date 'infinity') and coalesce((select max(date_day) from {{ ref('dim_date') }}), date '-infinity'){% endif %}"
) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}
-- a table: several models join it by date, and the planner then knows its size (as a view over a cross
-- join its estimate was ~10^4 times too high, which made PostgreSQL JIT-compile every query reading it)

-- One row per athlete and calendar date (dim_date): the targets that apply that day.
-- Rule (one home): the core.athlete_targets row with the latest effective_from <= date applies whole
-- (a NULL target in it = no target of that kind); before an athlete's first row, and for athletes without
-- rows, the seed baseline of int_athlete_targets applies (own seed row, else `default`, else the var).
-- Incremental: the folder pre-hook deletes the changed athletes' days from their rebuild_week on, this model's
-- pre-hook the days the calendar no longer has; an athlete's days left are then consecutive, and the days built
-- are those of the calendar before or after them (the rebuilt days, the calendar's new days for every athlete,
-- every day for a new athlete).
with baseline as (

    select * from {{ ref('int_athlete_targets') }}

),

dated as (

    select * from {{ ref('stg_core__athlete_targets') }}

),

calendar as (

    select date_day from {{ ref('dim_date') }}

),

athlete_days as (

    select
        baseline.athlete_sk,
        baseline.athlete_id,
        calendar.date_day,
        baseline.target_kcal,
        baseline.target_protein_g,
        baseline.target_sessions_per_week,
        baseline.target_source
    from baseline
    {% if is_incremental() %}
    cross join lateral (
        select min(built.target_date) as first_day, max(built.target_date) as last_day
        from {{ this }} as built
        where built.athlete_sk = baseline.athlete_sk
    ) as built
    join calendar
        on built.first_day is null or calendar.date_day < built.first_day or calendar.date_day > built.last_day
    {% else %}
    cross join calendar
    {% endif %}

),

final as (

    select
        athlete_days.athlete_sk,
        athlete_days.athlete_id,
        athlete_days.date_day as target_date,
        fitness.iso_week_start(athlete_days.date_day) as week_start,
        case when dated.athlete_sk is not null then dated.target_kcal
             else athlete_days.target_kcal end as target_kcal,
        case when dated.athlete_sk is not null then dated.target_protein_g
             else athlete_days.target_protein_g end as target_protein_g,
        case when dated.athlete_sk is not null then dated.target_sessions_per_week
             else cast(athlete_days.target_sessions_per_week as numeric) end as target_sessions_per_week,
        case when dated.athlete_sk is not null then 'core'
             else athlete_days.target_source end as target_source,
        dated.effective_from
    from athlete_days
    left join dated
        on dated.athlete_sk = athlete_days.athlete_sk
       and dated.effective_from <= athlete_days.date_day
       and (dated.effective_to is null or athlete_days.date_day < dated.effective_to)

)

select * from final
