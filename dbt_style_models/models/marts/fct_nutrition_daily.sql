{{ config(materialized='incremental', indexes=[{'columns': ['athlete_id', 'date']}, {'columns': ['athlete_id', 'week_start']}]) }}
-- depends_on: {{ ref('int_changes__rebuild_from') }}

-- One row per athlete and logged day (the winning source when several logged it), with the day's targets.
-- Incremental: the changed athletes' days from their rebuild_week on (int_changes__rebuild_from).
-- Values shown to 2 decimals; int_nutrition_days__resolved keeps them exact for the weekly averages.
with days as (

    {{ changed_rows(ref('int_nutrition_days__resolved'), 'days',
        "changed.athlete_sk = days.athlete_sk and days.nutrition_date >= changed.rebuild_week") }}

),

final as (

    select
        md5(athlete_id || '|' || cast(nutrition_date as text)) as nutrition_day_key,
        athlete_id,
        nutrition_date as date,
        week_start,
        iso_week,
        cast(kcal as numeric(10, 2)) as kcal,
        cast(protein_g as numeric(10, 2)) as protein_g,
        cast(carbs_g as numeric(10, 2)) as carbs_g,
        cast(fat_g as numeric(10, 2)) as fat_g,
        cast(fiber_g as numeric(10, 2)) as fiber_g,
        nutrition_source as source,
        sources_logged,
        cast(target_kcal as numeric(10, 2)) as target_kcal,
        cast(target_protein_g as numeric(10, 2)) as target_protein_g,
        is_kcal_on_target,
        is_protein_on_target,
        is_on_target
    from days

)

select * from final
