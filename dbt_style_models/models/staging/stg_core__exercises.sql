with source as (

    select * from {{ source('core', 'exercises') }}

),

renamed as (

    select
        exercise_sk,
        title as exercise_title,
        -- matching key: fitness.title_key, the same rule as the loader's TitleNormalizer.key
        fitness.title_key(title) as title_normalized,
        hevy_template_id,
        exercise_type,
        equipment,
        nullif(btrim(primary_muscle_group), '') as primary_muscle_group,
        -- text, not text[]: '|'-separated, like the seeds (and usable in unit-test fixtures)
        array_to_string(secondary_muscle_groups, '|') as secondary_muscle_groups,
        is_custom
    from source

),

final as (

    select * from renamed

)

select * from final
