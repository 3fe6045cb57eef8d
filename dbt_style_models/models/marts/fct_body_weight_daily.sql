{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'date']}, {'columns': ['athlete_id', 'week_start']}]) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete and day from the first to the last weigh-in: the weigh-in (NULL where not weighed)
-- and the smoothed trend (int_body_weight__trend), shown to 2 decimals.
-- Incremental: the changed athletes' days from their rebuild_week on (int_changes__rebuild_from).
with trend as (

    {{ changed_rows(ref('int_body_weight__trend'), 'trend',
        "changed.athlete_sk = trend.athlete_sk and trend.body_date >= changed.rebuild_week") }}

),

athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

final as (

    select
        md5(athletes.athlete_id || '|' || cast(trend.body_date as text)) as body_weight_day_key,
        athletes.athlete_id,
        trend.body_date as date,
        fitness.iso_week_start(trend.body_date) as week_start,
        fitness.iso_week_label(trend.body_date) as iso_week,
        cast(trend.weight_kg as numeric(8, 2)) as weight_kg,
        cast(trend.trend_kg as numeric(8, 2)) as trend_kg,
        trend.is_weigh_in,
        trend.measurement_source as source
    from trend
    join athletes on athletes.athlete_sk = trend.athlete_sk

)

select * from final
