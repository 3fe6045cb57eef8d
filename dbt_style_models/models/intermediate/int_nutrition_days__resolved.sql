-- One row per athlete and logged day: the winning source's totals (exact, as loaded) with the day's targets.
-- Winner rule (when two sources log the same day): the lowest stg_core__nutrition_days.source_priority,
-- i.e. cronometer > cronometer_servings > macrofactor > myfitnesspal. Sources are never summed.
-- On-target rule (DESIGN "Adherence"):
--   is_kcal_on_target    |kcal - target_kcal| <= target_kcal x diet_kcal_tolerance_pct / 100 (NULL without a kcal target)
--   is_protein_on_target protein_g >= target_protein_g (NULL without a protein target; no protein logged = false)
--   is_on_target         both of the above, a missing target counting as met; NULL when neither target exists
-- Written as a plain join (no window function, each ref read once per subquery) so that the view stays flat: a
-- build that needs a few athletes' days (the incremental models) reads only theirs, through core's primary key.
with nutrition as (

    select * from {{ ref('stg_core__nutrition_days') }}

),

athletes as (

    select * from {{ ref('stg_core__athletes') }}

),

targets as (

    select * from {{ ref('int_athlete_targets__daily') }}

),

winners as (

    -- the source no other source of the same day outranks, and how many sources logged the day: one look at the
    -- athlete's day in core's primary key per row (as an anti-join, PostgreSQL hashed all of the athlete's days for
    -- each athlete an incremental build read: 1,500 rows at 5 years)
    select
        nutrition.*,
        same_day.sources_logged
    from nutrition
    cross join lateral (
        select
            count(*) as sources_logged,
            bool_and((nutrition.source_priority, nutrition.nutrition_source)
                     <= (logged.source_priority, logged.nutrition_source)) as is_first
        from {{ ref('stg_core__nutrition_days') }} as logged
        where logged.athlete_sk = nutrition.athlete_sk and logged.nutrition_date = nutrition.nutrition_date
    ) as same_day
    where same_day.is_first

),

flagged as (

    select
        winners.athlete_sk,
        athletes.athlete_id,
        winners.nutrition_date,
        winners.nutrition_source,
        winners.sources_logged,
        winners.kcal,
        winners.protein_g,
        winners.carbs_g,
        winners.fat_g,
        winners.fiber_g,
        targets.target_kcal,
        targets.target_protein_g,
        case when targets.target_kcal is not null
            then abs(winners.kcal - targets.target_kcal)
                 <= targets.target_kcal * {{ var('diet_kcal_tolerance_pct', 10) }} / 100.0
        end as is_kcal_on_target,
        case when targets.target_protein_g is not null
            then coalesce(winners.protein_g >= targets.target_protein_g, false)
        end as is_protein_on_target
    from winners
    join athletes on athletes.athlete_sk = winners.athlete_sk
    left join targets
        on targets.athlete_sk = winners.athlete_sk
       and targets.target_date = winners.nutrition_date

),

final as (

    select
        athlete_sk,
        athlete_id,
        nutrition_date,
        fitness.iso_week_start(nutrition_date) as week_start,
        fitness.iso_week_label(nutrition_date) as iso_week,
        nutrition_source,
        sources_logged,
        kcal,
        protein_g,
        carbs_g,
        fat_g,
        fiber_g,
        target_kcal,
        target_protein_g,
        is_kcal_on_target,
        is_protein_on_target,
        case
            when target_kcal is null and target_protein_g is null then null
            else coalesce(is_kcal_on_target, true) and coalesce(is_protein_on_target, true)
        end as is_on_target
    from flagged

)

select * from final
