with source as (

    select * from {{ source('core', 'body_measurements') }}

),

renamed as (

    select
        athlete_sk,
        date as measured_on,
        source as measurement_source,
        weight_kg,
        -- one body weight per athlete and day: the Hevy app first, then MacroFactor, then CSV
        row_number() over (
            partition by athlete_sk, date
            order by case source when 'hevy_api' then 1 when 'macrofactor' then 2 else 3 end, source
        ) as source_rank
    from source
    where weight_kg is not null

),

final as (

    select
        athlete_sk,
        measured_on,
        measurement_source,
        weight_kg as body_weight_kg
    from renamed
    where source_rank = 1

)

select * from final
