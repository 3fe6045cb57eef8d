-- Bridge exercise -> muscle group: the primary muscle with weight muscle_primary_weight (1.0),
-- each distinct secondary muscle with muscle_secondary_weight (0.5). One row per exercise and muscle.
with exercises as (

    select * from {{ ref('int_exercises__resolved') }}

),

primary_muscles as (

    select
        exercise_sk,
        primary_muscle_group as muscle_group,
        'primary' as muscle_role,
        cast({{ var('muscle_primary_weight', 1.0) }} as numeric) as muscle_weight
    from exercises

),

secondary_muscles as (

    select distinct
        exercises.exercise_sk,
        btrim(secondary.muscle_group) as muscle_group,
        'secondary' as muscle_role,
        cast({{ var('muscle_secondary_weight', 0.5) }} as numeric) as muscle_weight
    from exercises
    cross join lateral unnest(string_to_array(exercises.secondary_muscle_groups_list, ', ')) as secondary(muscle_group)
    where btrim(secondary.muscle_group) <> ''
      and btrim(secondary.muscle_group) <> exercises.primary_muscle_group

),

final as (

    select * from primary_muscles
    union all
    select * from secondary_muscles

)

select * from final
