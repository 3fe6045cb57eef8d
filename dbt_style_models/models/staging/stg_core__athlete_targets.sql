-- One row per athlete and effective date: the targets that apply from effective_from until the day
-- before the athlete's next row (effective_to, exclusive; NULL = open-ended). A NULL target means
-- "no target of that kind" in that period (sql/migrations/0009_athlete_targets.sql).
with source as (

    select * from {{ source('core', 'athlete_targets') }}

),

renamed as (

    select
        athlete_sk,
        effective_from,
        lead(effective_from) over (partition by athlete_sk order by effective_from) as effective_to,
        kcal as target_kcal,
        protein_g as target_protein_g,
        sessions_per_week as target_sessions_per_week,
        source as target_origin
    from source

),

final as (

    select * from renamed

)

select * from final
