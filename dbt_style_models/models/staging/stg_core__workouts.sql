with source as (

    select * from {{ source('core', 'workouts') }}

),

renamed as (

    select
        workout_sk,
        athlete_sk,
        hevy_workout_id,
        source as workout_source,
        title as workout_title,
        start_local,
        started_at,
        ended_at,
        local_date,
        greatest(extract(epoch from (ended_at - started_at)), 0)::integer as duration_s,
        deleted_at
    from source

),

final as (

    -- soft-deleted workouts are gone for analytics
    select * from renamed
    where deleted_at is null

)

select * from final
