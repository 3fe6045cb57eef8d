{{ config(
    materialized='incremental',
    indexes=[{'columns': ['athlete_id', 'week_start']}],
    pre_hook="{{ delete_weeks_after('select max(weekly.week_start) from ' ~ ref('int_nutrition__weekly') ~ ' as weekly where weekly.athlete_id = changed.athlete_id') }}"
) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete x ISO week from the athlete's first to last logged day: int_nutrition__weekly shown
-- (averages to 2 decimals, percentages to 1).
-- Incremental (macros/incremental_weeks.sql): the changed athletes' weeks from the first one not kept.
with weekly as (

    {{ changed_rows(ref('int_nutrition__weekly'), 'weekly',
        "changed.athlete_id = weekly.athlete_id and weekly.week_start >= " ~ first_unbuilt_week('changed.athlete_id')) }}

),

final as (

    select
        md5(athlete_id || '|' || cast(week_start as text)) as athlete_week_key,
        athlete_id,
        week_start,
        fitness.iso_week_label(week_start) as iso_week,
        days_logged,
        cast(avg_kcal as numeric(10, 2)) as avg_kcal,
        cast(avg_protein_g as numeric(10, 2)) as avg_protein_g,
        cast(avg_carbs_g as numeric(10, 2)) as avg_carbs_g,
        cast(avg_fat_g as numeric(10, 2)) as avg_fat_g,
        cast(avg_fiber_g as numeric(10, 2)) as avg_fiber_g,
        cast(target_kcal as numeric(10, 2)) as target_kcal,
        cast(target_protein_g as numeric(10, 2)) as target_protein_g,
        days_kcal_on_target,
        days_protein_on_target,
        days_on_target,
        cast(round(adherence_pct, 1) as numeric(8, 1)) as adherence_pct,
        cast(round(protein_adherence_pct, 1) as numeric(8, 1)) as protein_adherence_pct
    from weekly

)

select * from final
