{{ config(
    materialized='incremental',
    indexes=[{'columns': ['athlete_id', 'week_start']}],
    pre_hook="{{ delete_weeks_after('select max(weeks.week_start) from ' ~ ref('mart_weekly_training_diet') ~ ' as weeks where weeks.athlete_id = changed.athlete_id') }}"
) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete x ISO week of mart_weekly_training_diet: everything the weekly report needs for the
-- week and each of the four before it. Series are jsonb arrays of 5 elements in a fixed order:
--   element 0 = this week, 1 = the week before, ..., 4 = four weeks before (jsonb: 0-based, `->0`);
--   an element is null when the athlete has no row for that week (before their first week).
-- jsonb rather than SQL arrays: one type for every series, readable by any client, and comparable in
-- dbt-core unit tests (which cannot cast expectations to array types).
-- muscle_hard_sets: jsonb {muscle_group: [5 weighted hard sets, same order]} over the groups trained in the
--   five weeks (0.0 in a week without sets for the group).
-- main_lifts: jsonb array, by rank, of this week's main lifts (int_main_lifts__weekly):
--   {rank, exercise_id, exercise_title, e1rm_kg: [5 weekly best e1RMs, same order], e1rm_change_kg}.
-- Flags: is_missing_nutrition = no logged day; is_missing_weigh_ins = no weigh-in (Monday..Sunday).
-- Incremental (macros/incremental_weeks.sql): the changed athletes' weeks from the first one not kept; the inputs
-- are read from four weeks before it (the series reach four weeks back), for those athletes only.
with {% if is_incremental() %}rebuild as (

    select
        changed.athlete_id,
        {{ first_unbuilt_week('changed.athlete_id') }} as from_week
    from {{ ref('int_changes__rebuild_from') }} as changed

),

{% endif %}weeks as (

    {{ changed_rows(ref('mart_weekly_training_diet'), 'weeks',
        "rebuild.athlete_id = weeks.athlete_id and weeks.week_start >= rebuild.from_week - 28", changed='rebuild') }}

),

muscle_volume as (

    {{ changed_rows(ref('mart_weekly_muscle_volume'), 'muscle_volume',
        "rebuild.athlete_id = muscle_volume.athlete_id and muscle_volume.week_start >= rebuild.from_week - 28", changed='rebuild') }}

),

progression as (

    {{ changed_rows(ref('mart_exercise_progression'), 'progression',
        "rebuild.athlete_id = progression.athlete_id and progression.week_start >= rebuild.from_week - 28", changed='rebuild') }}

),

exercise_sessions as (

    {{ changed_rows(ref('int_exercise_sessions'), 'exercise_sessions',
        "rebuild.athlete_id = exercise_sessions.athlete_id and exercise_sessions.week_start >= rebuild.from_week - 28", changed='rebuild') }}

),

main_lifts as (

    {{ changed_rows(ref('int_main_lifts__weekly'), 'main_lifts',
        "rebuild.athlete_id = main_lifts.athlete_id and main_lifts.week_start >= rebuild.from_week", changed='rebuild') }}

),

prs as (

    -- exercise sessions that set at least one PR (weight, e1RM, best set or session tonnage)
    select
        athlete_id,
        week_start,
        count(*) filter (
            where is_weight_pr or is_e1rm_pr or is_best_set_pr or is_session_tonnage_pr
        ) as prs
    from exercise_sessions
    group by athlete_id, week_start

),

weekly as (

    select
        weeks.*,
        cast(coalesce(prs.prs, 0) as bigint) as prs
    from weeks
    left join prs
        on prs.athlete_id = weeks.athlete_id
       and prs.week_start = weeks.week_start

),

muscles as (

    select
        weekly.athlete_id,
        weekly.week_start,
        muscle_volume.muscle_group,
        jsonb_build_array(
            coalesce(sum(muscle_volume.weighted_hard_sets) filter (where muscle_volume.week_start = weekly.week_start), 0.0),
            coalesce(sum(muscle_volume.weighted_hard_sets) filter (where muscle_volume.week_start = weekly.week_start - 7), 0.0),
            coalesce(sum(muscle_volume.weighted_hard_sets) filter (where muscle_volume.week_start = weekly.week_start - 14), 0.0),
            coalesce(sum(muscle_volume.weighted_hard_sets) filter (where muscle_volume.week_start = weekly.week_start - 21), 0.0),
            coalesce(sum(muscle_volume.weighted_hard_sets) filter (where muscle_volume.week_start = weekly.week_start - 28), 0.0)
        ) as hard_sets_5w
    from weekly
    join muscle_volume
        on muscle_volume.athlete_id = weekly.athlete_id
       and muscle_volume.week_start between weekly.week_start - 28 and weekly.week_start
    group by weekly.athlete_id, weekly.week_start, muscle_volume.muscle_group

),

muscle_summary as (

    select
        athlete_id,
        week_start,
        jsonb_object_agg(muscle_group, hard_sets_5w) as muscle_hard_sets
    from muscles
    group by athlete_id, week_start

),

lift_series as (

    select
        main_lifts.athlete_id,
        main_lifts.week_start,
        main_lifts.lift_rank,
        jsonb_build_object(
            'rank', main_lifts.lift_rank,
            'exercise_id', main_lifts.exercise_sk,
            'exercise_title', main_lifts.exercise_title,
            'e1rm_kg', jsonb_build_array(w0.best_e1rm_kg, w1.best_e1rm_kg, w2.best_e1rm_kg, w3.best_e1rm_kg, w4.best_e1rm_kg),
            'e1rm_change_kg', cast(main_lifts.e1rm_change_kg as numeric(12, 2))
        ) as lift
    from main_lifts
    left join progression as w0
        on w0.athlete_id = main_lifts.athlete_id and w0.exercise_id = main_lifts.exercise_sk
       and w0.week_start = main_lifts.week_start
    left join progression as w1
        on w1.athlete_id = main_lifts.athlete_id and w1.exercise_id = main_lifts.exercise_sk
       and w1.week_start = main_lifts.week_start - 7
    left join progression as w2
        on w2.athlete_id = main_lifts.athlete_id and w2.exercise_id = main_lifts.exercise_sk
       and w2.week_start = main_lifts.week_start - 14
    left join progression as w3
        on w3.athlete_id = main_lifts.athlete_id and w3.exercise_id = main_lifts.exercise_sk
       and w3.week_start = main_lifts.week_start - 21
    left join progression as w4
        on w4.athlete_id = main_lifts.athlete_id and w4.exercise_id = main_lifts.exercise_sk
       and w4.week_start = main_lifts.week_start - 28

),

lift_summary as (

    select
        athlete_id,
        week_start,
        jsonb_agg(lift order by lift_rank) as main_lifts
    from lift_series
    group by athlete_id, week_start

),

final as (

    select
        w0.athlete_week_key,
        w0.athlete_id,
        w0.week_start,
        w0.iso_week,
        jsonb_build_array(w0.iso_week, w1.iso_week, w2.iso_week, w3.iso_week, w4.iso_week) as iso_weeks,
        jsonb_build_array(w0.sessions, w1.sessions, w2.sessions, w3.sessions, w4.sessions) as sessions,
        jsonb_build_array(w0.target_sessions, w1.target_sessions, w2.target_sessions, w3.target_sessions, w4.target_sessions) as target_sessions,
        jsonb_build_array(w0.hard_sets, w1.hard_sets, w2.hard_sets, w3.hard_sets, w4.hard_sets) as hard_sets,
        jsonb_build_array(w0.tonnage_kg, w1.tonnage_kg, w2.tonnage_kg, w3.tonnage_kg, w4.tonnage_kg) as tonnage_kg,
        jsonb_build_array(w0.prs, w1.prs, w2.prs, w3.prs, w4.prs) as prs,
        coalesce(muscle_summary.muscle_hard_sets, '{}'::jsonb) as muscle_hard_sets,
        coalesce(lift_summary.main_lifts, '[]'::jsonb) as main_lifts,
        jsonb_build_array(w0.avg_kcal, w1.avg_kcal, w2.avg_kcal, w3.avg_kcal, w4.avg_kcal) as avg_kcal,
        jsonb_build_array(w0.target_kcal, w1.target_kcal, w2.target_kcal, w3.target_kcal, w4.target_kcal) as target_kcal,
        jsonb_build_array(w0.avg_protein_g, w1.avg_protein_g, w2.avg_protein_g, w3.avg_protein_g, w4.avg_protein_g) as avg_protein_g,
        jsonb_build_array(w0.target_protein_g, w1.target_protein_g, w2.target_protein_g, w3.target_protein_g, w4.target_protein_g) as target_protein_g,
        jsonb_build_array(w0.days_logged, w1.days_logged, w2.days_logged, w3.days_logged, w4.days_logged) as days_logged,
        jsonb_build_array(w0.diet_adherence_pct, w1.diet_adherence_pct, w2.diet_adherence_pct, w3.diet_adherence_pct, w4.diet_adherence_pct) as diet_adherence_pct,
        jsonb_build_array(w0.protein_adherence_pct, w1.protein_adherence_pct, w2.protein_adherence_pct, w3.protein_adherence_pct, w4.protein_adherence_pct) as protein_adherence_pct,
        jsonb_build_array(w0.weigh_ins, w1.weigh_ins, w2.weigh_ins, w3.weigh_ins, w4.weigh_ins) as weigh_ins,
        jsonb_build_array(w0.trend_weight_kg, w1.trend_weight_kg, w2.trend_weight_kg, w3.trend_weight_kg, w4.trend_weight_kg) as trend_weight_kg,
        jsonb_build_array(w0.trend_weight_change_kg, w1.trend_weight_change_kg, w2.trend_weight_change_kg, w3.trend_weight_change_kg, w4.trend_weight_change_kg) as trend_weight_change_kg,
        jsonb_build_array(w0.energy_balance_kcal_per_day, w1.energy_balance_kcal_per_day, w2.energy_balance_kcal_per_day, w3.energy_balance_kcal_per_day, w4.energy_balance_kcal_per_day) as energy_balance_kcal_per_day,
        jsonb_build_array(w0.estimated_maintenance_kcal, w1.estimated_maintenance_kcal, w2.estimated_maintenance_kcal, w3.estimated_maintenance_kcal, w4.estimated_maintenance_kcal) as estimated_maintenance_kcal,
        jsonb_build_array(w0.days_logged = 0, w1.days_logged = 0, w2.days_logged = 0, w3.days_logged = 0, w4.days_logged = 0) as is_missing_nutrition,
        jsonb_build_array(w0.weigh_ins = 0, w1.weigh_ins = 0, w2.weigh_ins = 0, w3.weigh_ins = 0, w4.weigh_ins = 0) as is_missing_weigh_ins
    from weekly as w0
    {% if is_incremental() %}
    join rebuild on rebuild.athlete_id = w0.athlete_id and w0.week_start >= rebuild.from_week
    {% endif %}
    left join weekly as w1 on w1.athlete_id = w0.athlete_id and w1.week_start = w0.week_start - 7
    left join weekly as w2 on w2.athlete_id = w0.athlete_id and w2.week_start = w0.week_start - 14
    left join weekly as w3 on w3.athlete_id = w0.athlete_id and w3.week_start = w0.week_start - 21
    left join weekly as w4 on w4.athlete_id = w0.athlete_id and w4.week_start = w0.week_start - 28
    left join muscle_summary
        on muscle_summary.athlete_id = w0.athlete_id and muscle_summary.week_start = w0.week_start
    left join lift_summary
        on lift_summary.athlete_id = w0.athlete_id and lift_summary.week_start = w0.week_start

)

select * from final
