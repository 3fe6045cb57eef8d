{{ config(
    materialized='incremental',
    indexes=[{'columns': ['athlete_id', 'week_start']}, {'columns': ['athlete_sk', 'week_start']}],
    pre_hook="{{ delete_weeks_after('select max(history.week_start) from ' ~ ref('int_sets__metrics') ~ ' as history where history.athlete_id = changed.athlete_id') }}"
) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}
-- A table (mart_weekly_training_diet and mart_weekly_report both read it); incremental (macros/incremental_weeks.sql):
-- the changed athletes' weeks from the first one not kept, reading the sets of the window's weeks before it too. A
-- week without main lifts has no rows, so that week may come before weeks that have none either: they are computed
-- again and stay without rows.

-- One row per athlete x ISO week x main lift (rank 1..main_lift_count), for every week from the athlete's
-- first to last training week. Main lifts of week W (one home of the definition):
--   the main_lift_count (3) exercises with the most hard sets over the main_lift_window_weeks (12) weeks
--   ending with W, among exercises with at least one e1RM in that window; ties -> lower exercise_sk.
-- e1RM per lift (exact): e1rm_week_kg = best e1RM in W (NULL when not trained);
--   e1rm_recent_kg = best over the progression_change_weeks (4) weeks ending with W,
--   e1rm_previous_kg = best over the 4 weeks before those, e1rm_change_kg = recent - previous.
with {% if is_incremental() %}rebuild as (

    select
        changed.athlete_sk,
        changed.athlete_id,
        {{ first_unbuilt_week('changed.athlete_id') }} as from_week
    from {{ ref('int_changes__rebuild_from') }} as changed

),

{% endif %}set_metrics as (

    {{ changed_rows(ref('int_sets__metrics'), 'set_metrics',
        "rebuild.athlete_id = set_metrics.athlete_id and set_metrics.week_start > rebuild.from_week - 7 * "
        ~ [var('main_lift_window_weeks', 12), 2 * var('progression_change_weeks', 4)] | max, changed='rebuild') }}

),

calendar_weeks as (

    select distinct week_start from {{ ref('dim_date') }}

),

exercise_weeks as (

    select
        athlete_sk,
        athlete_id,
        exercise_sk,
        max(exercise_title) as exercise_title,
        week_start,
        count(*) filter (where is_hard_set) as hard_sets,
        max(e1rm_kg) as best_e1rm_kg
    from set_metrics
    group by athlete_sk, athlete_id, exercise_sk, week_start

),

athlete_weeks as (

    select
        bounds.athlete_sk,
        bounds.athlete_id,
        calendar_weeks.week_start
    from (
        {% if is_incremental() %}
        select
            rebuild.athlete_sk,
            rebuild.athlete_id,
            greatest(rebuild.from_week, (
                select min(history.week_start) from {{ ref('int_sets__metrics') }} as history
                where history.athlete_id = rebuild.athlete_id
            )) as first_week,
            last_weeks.last_week
        from rebuild
        -- one pass over exercise_weeks (as a subquery per athlete it was read whole for each: 5 s at 1,000 athletes)
        left join (
            select athlete_sk, max(week_start) as last_week from exercise_weeks group by athlete_sk
        ) as last_weeks
            on last_weeks.athlete_sk = rebuild.athlete_sk
        offset 0  -- each athlete's bounds computed once, not once per calendar week they are compared with
        {% else %}
        select athlete_sk, athlete_id, min(week_start) as first_week, max(week_start) as last_week
        from exercise_weeks
        group by athlete_sk, athlete_id
        {% endif %}
    ) as bounds
    join calendar_weeks
        on calendar_weeks.week_start between bounds.first_week and bounds.last_week

),

windowed as (

    select
        athlete_weeks.athlete_sk,
        athlete_weeks.athlete_id,
        athlete_weeks.week_start,
        exercise_weeks.exercise_sk,
        max(exercise_weeks.exercise_title) as exercise_title,
        sum(exercise_weeks.hard_sets) filter (
            where exercise_weeks.week_start > athlete_weeks.week_start - 7 * {{ var('main_lift_window_weeks', 12) }}
        ) as window_hard_sets,
        max(exercise_weeks.best_e1rm_kg) filter (
            where exercise_weeks.week_start > athlete_weeks.week_start - 7 * {{ var('main_lift_window_weeks', 12) }}
        ) as window_best_e1rm_kg,
        max(exercise_weeks.best_e1rm_kg) filter (
            where exercise_weeks.week_start = athlete_weeks.week_start
        ) as e1rm_week_kg,
        max(exercise_weeks.best_e1rm_kg) filter (
            where exercise_weeks.week_start > athlete_weeks.week_start - 7 * {{ var('progression_change_weeks', 4) }}
        ) as e1rm_recent_kg,
        max(exercise_weeks.best_e1rm_kg) filter (
            where exercise_weeks.week_start <= athlete_weeks.week_start - 7 * {{ var('progression_change_weeks', 4) }}
              and exercise_weeks.week_start > athlete_weeks.week_start - 14 * {{ var('progression_change_weeks', 4) }}
        ) as e1rm_previous_kg
    from athlete_weeks
    join exercise_weeks
        on exercise_weeks.athlete_sk = athlete_weeks.athlete_sk
       and exercise_weeks.week_start <= athlete_weeks.week_start
       and exercise_weeks.week_start > athlete_weeks.week_start
           - 7 * greatest({{ var('main_lift_window_weeks', 12) }}, 2 * {{ var('progression_change_weeks', 4) }})
    group by athlete_weeks.athlete_sk, athlete_weeks.athlete_id, athlete_weeks.week_start, exercise_weeks.exercise_sk

),

ranked as (

    select
        *,
        row_number() over (
            partition by athlete_sk, week_start
            order by window_hard_sets desc, exercise_sk
        ) as lift_rank
    from windowed
    where window_best_e1rm_kg is not null

),

final as (

    select
        athlete_sk,
        athlete_id,
        week_start,
        lift_rank,
        exercise_sk,
        exercise_title,
        window_hard_sets,
        e1rm_week_kg,
        e1rm_recent_kg,
        e1rm_previous_kg,
        e1rm_recent_kg - e1rm_previous_kg as e1rm_change_kg
    from ranked
    where lift_rank <= {{ var('main_lift_count', 3) }}

)

select * from final
