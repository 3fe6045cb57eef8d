with athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

targets as (

    select * from {{ ref('int_athlete_targets') }}

),

workouts as (

    select * from {{ ref('int_workouts__metrics') }}

),

activity as (

    select
        athlete_sk,
        min(local_date) as first_workout_date,
        max(local_date) as last_workout_date,
        count(*) as workouts
    from workouts
    group by athlete_sk

),

final as (

    select
        athletes.athlete_id,
        athletes.athlete_sk,
        athletes.timezone,
        activity.first_workout_date,
        activity.last_workout_date,
        coalesce(activity.workouts, 0) as workouts,
        targets.target_sessions_per_week,
        targets.target_hard_sets_per_week,
        targets.target_source
    from athletes
    left join activity on activity.athlete_sk = athletes.athlete_sk
    left join targets on targets.athlete_sk = athletes.athlete_sk

)

select * from final
