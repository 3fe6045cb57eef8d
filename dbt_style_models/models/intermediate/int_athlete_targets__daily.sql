{{ config(materialized='table') }}
-- a table: several models join it by date, and the planner then knows its size (as a view over a cross
-- join its estimate was ~10^4 times too high, which made PostgreSQL JIT-compile every query reading it)

-- One row per athlete and calendar date (dim_date): the targets that apply that day.
-- Rule (one home): the core.athlete_targets row with the latest effective_from <= date applies whole
-- (a NULL target in it = no target of that kind); before an athlete's first row, and for athletes without
-- rows, the seed baseline of int_athlete_targets applies (own seed row, else `default`, else the var).
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
    cross join calendar

),

final as (

    select
        athlete_days.athlete_sk,
        athlete_days.athlete_id,
        athlete_days.date_day as target_date,
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
