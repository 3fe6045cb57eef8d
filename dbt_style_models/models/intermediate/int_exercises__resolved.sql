-- One row per exercise: type, equipment and muscle groups resolved from, in order,
-- the override seed, the Hevy template (core.exercises), the title seed, and finally
-- `other` (listed by the warn-severity test assert_exercises_have_muscle_group).
-- Titles match after normalization (lower-case, trimmed, whitespace collapsed), on the
-- exercise's own title first, then on any of its aliases.
with exercises as (

    select * from {{ ref('stg_core__exercises') }}

),

aliases as (

    select * from {{ ref('stg_core__exercise_aliases') }}

),

sets as (

    select * from {{ ref('stg_core__sets') }}

),

workout_exercises as (

    select * from {{ ref('stg_core__workout_exercises') }}

),

muscle_map as (

    select
        fitness.title_key(title) as title_normalized,
        nullif(btrim(canonical_title), '') as canonical_title,
        nullif(btrim(exercise_type), '') as exercise_type,
        nullif(btrim(equipment), '') as equipment,
        nullif(btrim(primary_muscle_group), '') as primary_muscle_group,
        coalesce(string_to_array(nullif(btrim(secondary_muscle_groups), ''), '|'), array[]::text[]) as secondary_muscle_groups
    from {{ ref('exercise_muscle_map') }}

),

overrides as (

    select
        fitness.title_key(title) as title_normalized,
        nullif(btrim(exercise_type), '') as exercise_type,
        nullif(btrim(equipment), '') as equipment,
        nullif(btrim(primary_muscle_group), '') as primary_muscle_group,
        coalesce(string_to_array(nullif(btrim(secondary_muscle_groups), ''), '|'), array[]::text[]) as secondary_muscle_groups
    from {{ ref('exercise_muscle_overrides') }}

),

-- every normalized name of an exercise, its own title ranked first
names as (

    select exercise_sk, title_normalized as name_normalized, 0 as name_rank
    from exercises
    union all
    select exercise_sk, alias_normalized, 1
    from aliases

),

map_match as (

    select distinct on (names.exercise_sk)
        names.exercise_sk,
        muscle_map.*
    from names
    join muscle_map on muscle_map.title_normalized = names.name_normalized
    order by names.exercise_sk, names.name_rank, names.name_normalized

),

override_match as (

    select distinct on (names.exercise_sk)
        names.exercise_sk,
        overrides.*
    from names
    join overrides on overrides.title_normalized = names.name_normalized
    order by names.exercise_sk, names.name_rank, names.name_normalized

),

-- what the logged sets look like, for exercises nobody has typed
set_shapes as (

    select
        workout_exercises.exercise_sk,
        bool_or(sets.weight_kg < 0) as has_negative_weight,
        bool_or(sets.weight_kg > 0 and sets.reps > 0) as has_weight_reps,
        bool_or(sets.reps > 0) as has_reps,
        bool_or(sets.weight_kg > 0 and sets.duration_s > 0) as has_weight_duration,
        bool_or(sets.distance_m > 0) as has_distance,
        bool_or(sets.duration_s > 0) as has_duration
    from sets
    join workout_exercises on workout_exercises.workout_exercise_sk = sets.workout_exercise_sk
    -- only the exercises no seed or template types: the sets of typed exercises are not read (every build
    -- reads this view, and typed exercises are most of the history)
    where workout_exercises.exercise_sk in (
        select exercises.exercise_sk
        from exercises
        left join map_match on map_match.exercise_sk = exercises.exercise_sk
        left join override_match on override_match.exercise_sk = exercises.exercise_sk
        where coalesce(override_match.exercise_type, exercises.exercise_type, map_match.exercise_type) is null
    )
    group by workout_exercises.exercise_sk

),

inferred as (

    select
        exercise_sk,
        case
            when has_negative_weight then 'bodyweight_assisted_reps'
            when has_weight_reps then 'weight_reps'
            when has_reps then 'reps_only'
            when has_weight_duration then 'weight_duration'
            when has_distance then 'distance_duration'
            when has_duration then 'duration'
        end as exercise_type
    from set_shapes

),

resolved as (

    select
        exercises.exercise_sk,
        exercises.exercise_title,
        exercises.title_normalized,
        coalesce(map_match.canonical_title, exercises.exercise_title) as canonical_title,
        exercises.hevy_template_id,
        coalesce(exercises.is_custom, false) as is_custom,
        coalesce(override_match.exercise_type, exercises.exercise_type, map_match.exercise_type,
                 inferred.exercise_type) as exercise_type,
        case
            when override_match.exercise_type is not null then 'override'
            when exercises.exercise_type is not null then 'hevy_template'
            when map_match.exercise_type is not null then 'seed'
            when inferred.exercise_type is not null then 'inferred'
        end as exercise_type_source,
        coalesce(override_match.equipment, exercises.equipment, map_match.equipment) as equipment,
        case
            when override_match.primary_muscle_group is not null then 'override'
            when exercises.primary_muscle_group is not null then 'hevy_template'
            when map_match.primary_muscle_group is not null then 'seed'
            else 'fallback'
        end as muscle_source,
        coalesce(override_match.primary_muscle_group, exercises.primary_muscle_group,
                 map_match.primary_muscle_group, '{{ var('unknown_muscle_group', 'other') }}') as primary_muscle_group,
        case
            when override_match.primary_muscle_group is not null then override_match.secondary_muscle_groups
            when exercises.primary_muscle_group is not null
                then coalesce(string_to_array(nullif(btrim(exercises.secondary_muscle_groups), ''), '|'), array[]::text[])
            when map_match.primary_muscle_group is not null then map_match.secondary_muscle_groups
            else array[]::text[]
        end as secondary_muscle_groups
    from exercises
    left join map_match on map_match.exercise_sk = exercises.exercise_sk
    left join override_match on override_match.exercise_sk = exercises.exercise_sk
    left join inferred on inferred.exercise_sk = exercises.exercise_sk

),

final as (

    select
        exercise_sk,
        exercise_title,
        title_normalized,
        canonical_title,
        hevy_template_id,
        is_custom,
        exercise_type,
        exercise_type_source,
        equipment,
        muscle_source,
        primary_muscle_group,
        -- a comma-separated list (no arrays below the marts: dbt unit-test fixtures cannot type them)
        array_to_string(secondary_muscle_groups, ', ') as secondary_muscle_groups_list
    from resolved

)

select * from final
