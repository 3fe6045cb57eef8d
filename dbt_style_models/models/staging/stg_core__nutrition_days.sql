-- One row per athlete, date and source that logged the day (kcal known); every source is kept here.
-- source_priority is the winner rule when two sources log the same day (lower wins), applied in
-- int_nutrition_days__resolved: cronometer (1) > cronometer_servings (2) > macrofactor (3) > myfitnesspal (4).
-- Cronometer first: its daily summary is the app's own total of weighed foods; its servings export is the
-- same data summed by the loader; MacroFactor next; MyFitnessPal last (meal rows summed, most user-entered data).
with source as (

    select * from {{ source('core', 'nutrition_days') }}

),

renamed as (

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
    from source

),

final as (

    -- a row without energy is not a logged day (e.g. a MacroFactor row with only a weigh-in)
    select * from renamed
    where kcal is not null

)

select * from final
