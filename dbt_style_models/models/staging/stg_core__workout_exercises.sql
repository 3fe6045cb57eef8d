with source as (

    select * from {{ source('core', 'workout_exercises') }}

),

renamed as (

    select
        workout_exercise_sk,
        workout_sk,
        exercise_sk,
        position as exercise_position,
        superset_id,
        notes as exercise_notes
    from source

),

final as (

    select * from renamed

)

select * from final
