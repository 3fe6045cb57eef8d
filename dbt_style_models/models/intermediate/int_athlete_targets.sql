-- One row per athlete: the training targets that apply (own row in the training_targets seed,
-- else its `default` row, else the default_target_sessions var).
with athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

targets as (

    select
        btrim(athlete_id) as athlete_id,
        cast(cast(nullif(btrim(cast(target_sessions_per_week as text)), '') as numeric) as integer) as target_sessions_per_week,
        cast(cast(nullif(btrim(cast(target_hard_sets_per_week as text)), '') as numeric) as integer) as target_hard_sets_per_week
    from {{ ref('training_targets') }}

),

final as (

    select
        athletes.athlete_sk,
        athletes.athlete_id,
        cast(coalesce(own.target_sessions_per_week, fallback.target_sessions_per_week,
                      {{ var('default_target_sessions', 3) }}) as integer) as target_sessions_per_week,
        coalesce(own.target_hard_sets_per_week, fallback.target_hard_sets_per_week) as target_hard_sets_per_week,
        case
            when own.athlete_id is not null then 'athlete'
            when fallback.athlete_id is not null then 'default'
            else 'var'
        end as target_source
    from athletes
    left join targets as own
        on own.athlete_id = athletes.athlete_id
    left join targets as fallback
        on fallback.athlete_id = 'default'

)

select * from final
