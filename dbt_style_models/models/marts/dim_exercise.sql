with exercises as (

    select * from {{ ref('int_exercises__resolved') }}

),

final as (

    select
        exercise_sk as exercise_id,
        exercise_title,
        canonical_title,
        hevy_template_id,
        is_custom,
        exercise_type,
        exercise_type_source,
        equipment,
        primary_muscle_group,
        coalesce(string_to_array(nullif(secondary_muscle_groups_list, ''), ', '), array[]::text[]) as secondary_muscle_groups,
        secondary_muscle_groups_list,
        muscle_source,
        exercise_type in ('reps_only', 'bodyweight_reps') as is_bodyweight,
        exercise_type = 'bodyweight_assisted_reps' as is_assisted
    from exercises

)

select * from final
