{{ config(severity='warn') }}
-- Exercises no override, Hevy template or title seed knows: they are kept with muscle group `other`.
-- Add them to seeds/exercise_muscle_overrides.csv (or exercise_muscle_map.csv) to classify them.
select
    exercise_id,
    exercise_title,
    exercise_type,
    primary_muscle_group
from {{ ref('dim_exercise') }}
where muscle_source = 'fallback'
