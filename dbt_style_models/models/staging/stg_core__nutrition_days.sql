-- One row per athlete, date and source that logged the day (kcal known); every source is kept here.
-- source_priority is the winner rule when two sources log the same day (lower wins), applied in
-- int_nutrition_days__resolved: cronometer (1) > cronometer_servings (2) > macrofactor (3) > myfitnesspal (4).
-- Cronometer first: its daily summary is the app's own total of weighed foods; its servings export is the
-- same data summed by the loader; MacroFactor next; MyFitnessPal last (meal rows summed, most user-entered data).
-- One SELECT, not a CTE chain: PostgreSQL merges a view without WITH into the query that reads it, so an athlete's
-- first or last logged day is one step in core's primary key (through a CTE chain, every day of the athlete was read:
-- the incremental nutrition models look these up for each changed athlete; docs/scaling.md).
select
    athlete_sk,
    date as nutrition_date,
    source as nutrition_source,
    case source
        when 'cronometer' then 1
        when 'cronometer_servings' then 2
        when 'macrofactor' then 3
        when 'myfitnesspal' then 4
    end as source_priority,
    kcal,
    protein_g,
    carbs_g,
    fat_g,
    fiber_g
from {{ source('core', 'nutrition_days') }}
-- a row without energy is not a logged day (e.g. a MacroFactor row with only a weigh-in)
where kcal is not null
