{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'week_start']}, {'columns': ['athlete_id', 'muscle_group', 'week_start']}]) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete x ISO week x muscle group that received at least one working set.
-- weighted_hard_sets = hard sets x 1.0 for the primary muscle + x 0.5 for each secondary muscle.
-- The customary 10-20 weekly hard-set range is context, not a target; it is not applied to
-- non-muscle groups (cardio, full_body, other).
-- Incremental: the changed athletes' weeks from their rebuild_week on (int_changes__rebuild_from).
with set_metrics as (

    {{ changed_rows(ref('int_sets__metrics'), 'set_metrics',
        "changed.athlete_id = set_metrics.athlete_id and set_metrics.week_start >= changed.rebuild_week") }}

),

exercise_muscles as (

    select * from {{ ref('int_exercise_muscles') }}

),

credited as (

    select
        set_metrics.athlete_id,
        set_metrics.week_start,
        exercise_muscles.muscle_group,
        exercise_muscles.muscle_role,
        exercise_muscles.muscle_weight,
        set_metrics.set_sk,
        set_metrics.is_hard_set,
        set_metrics.is_working_set
    from set_metrics
    join exercise_muscles on exercise_muscles.exercise_sk = set_metrics.exercise_sk
    where set_metrics.is_working_set

),

weekly as (

    select
        athlete_id,
        week_start,
        muscle_group,
        sum(muscle_weight) filter (where is_hard_set) as weighted_hard_sets,
        count(*) filter (where is_hard_set and muscle_role = 'primary') as direct_hard_sets,
        count(*) filter (where is_hard_set and muscle_role = 'secondary') as indirect_hard_sets,
        count(*) as working_sets
    from credited
    group by athlete_id, week_start, muscle_group

),

final as (

    select
        md5(athlete_id || '|' || cast(week_start as text) || '|' || muscle_group) as athlete_week_muscle_key,
        athlete_id,
        week_start,
        fitness.iso_week_label(week_start) as iso_week,
        muscle_group,
        cast(round(coalesce(weighted_hard_sets, 0), 1) as numeric(8, 1)) as weighted_hard_sets,
        direct_hard_sets,
        indirect_hard_sets,
        working_sets,
        muscle_group not in ('cardio', 'full_body', 'other') as is_muscle,
        case when muscle_group not in ('cardio', 'full_body', 'other')
            then {{ var('weekly_sets_low', 10) }} end as customary_sets_low,
        case when muscle_group not in ('cardio', 'full_body', 'other')
            then {{ var('weekly_sets_high', 20) }} end as customary_sets_high,
        case
            when muscle_group in ('cardio', 'full_body', 'other') then null
            when coalesce(weighted_hard_sets, 0) < {{ var('weekly_sets_low', 10) }} then 'below'
            when coalesce(weighted_hard_sets, 0) > {{ var('weekly_sets_high', 20) }} then 'above'
            else 'within'
        end as customary_range_position
    from weekly

)

select * from final
