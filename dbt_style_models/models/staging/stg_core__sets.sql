with source as (

    select * from {{ source('core', 'sets') }}

),

renamed as (

    select
        set_sk,
        workout_exercise_sk,
        position as set_position,
        set_index,
        lower(set_type) as set_type,
        weight_kg,
        reps,
        distance_m,
        duration_s,
        rpe
    from source

),

final as (

    select * from renamed

)

select * from final
