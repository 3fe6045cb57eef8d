with source as (

    select * from {{ source('core', 'athletes') }}

),

renamed as (

    select
        athlete_sk,
        athlete_id,
        timezone
    from source

),

final as (

    select * from renamed

)

select * from final
