with source as (

    select * from {{ source('core', 'exercise_aliases') }}

),

renamed as (

    select
        exercise_sk,
        alias as alias_title,
        -- re-normalized here so the seeds match whatever the loader stored
        fitness.title_key(alias) as alias_normalized,
        source as alias_source
    from source

),

final as (

    select * from renamed

)

select * from final
