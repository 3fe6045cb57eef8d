-- One row per athlete: the baseline targets from the training_targets seed (own row, else its `default`
-- row, per kind; sessions else the default_target_sessions var). Targets with effective dates from
-- core.athlete_targets override this baseline per date in int_athlete_targets__daily.
with athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

targets as (

    select
        btrim(athlete_id) as athlete_id,
        cast(cast(nullif(btrim(cast(target_sessions_per_week as text)), '') as numeric) as integer) as target_sessions_per_week,
        cast(cast(nullif(btrim(cast(target_hard_sets_per_week as text)), '') as numeric) as integer) as target_hard_sets_per_week,
        cast(nullif(btrim(cast(target_kcal as text)), '') as numeric) as target_kcal,
        cast(nullif(btrim(cast(target_protein_g as text)), '') as numeric) as target_protein_g
    from {{ ref('training_targets') }}

),

final as (

    select
        athletes.athlete_sk,
        athletes.athlete_id,
        cast(coalesce(own.target_sessions_per_week, fallback.target_sessions_per_week,
                      {{ var('default_target_sessions', 3) }}) as integer) as target_sessions_per_week,
        coalesce(own.target_hard_sets_per_week, fallback.target_hard_sets_per_week) as target_hard_sets_per_week,
        coalesce(own.target_kcal, fallback.target_kcal) as target_kcal,
        coalesce(own.target_protein_g, fallback.target_protein_g) as target_protein_g,
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
