-- 0010: meal and food detail behind core.nutrition_days, and the documented rules of the nutrition tables
-- (additive only).

-- One row per meal (MyFitnessPal, Cronometer daily-summary groups) or per food (Cronometer servings) of a
-- logged day, in file order. `fitdata load nutrition` replaces a day's entries whenever a file logs that day.
CREATE TABLE IF NOT EXISTS core.nutrition_entries (
    athlete_sk   bigint NOT NULL REFERENCES core.athletes (athlete_sk),
    date         date NOT NULL,
    source       text NOT NULL CHECK (source IN ('myfitnesspal', 'cronometer', 'cronometer_servings', 'macrofactor')),
    position     integer NOT NULL CHECK (position >= 0),     -- order within the day in the file
    meal         text,                                       -- MyFitnessPal meal, Cronometer group (user-named)
    time_of_day  time,                                       -- when the app exported one
    food         text,                                       -- Cronometer servings: Food Name
    amount       text,                                       -- Cronometer servings: "107.00 g" as exported
    kcal         numeric CHECK (kcal >= 0),
    protein_g    numeric CHECK (protein_g >= 0),
    carbs_g      numeric CHECK (carbs_g >= 0),
    fat_g        numeric CHECK (fat_g >= 0),
    fiber_g      numeric CHECK (fiber_g >= 0),
    extra        jsonb NOT NULL DEFAULT '{}'::jsonb,         -- every other column, by header name, as exported
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (athlete_sk, source, date, position)
);

COMMENT ON TABLE core.nutrition_entries IS
    'Meal or food rows behind core.nutrition_days (same athlete, date, source); the day row is their sum (or the export''s own Total row for Cronometer).';

COMMENT ON TABLE core.nutrition_days IS
    'Daily intake per athlete, date and source; only logged days have a row (days an export shows blank are not logged, never zero). '
    'When several sources log the same day, one wins by fixed priority: cronometer > cronometer_servings > macrofactor > myfitnesspal '
    '(independent of load order). extra holds every other column of the export by header name; unit-less ones are not used in analytics.';

COMMENT ON COLUMN core.body_measurements.source IS
    'hevy_api (Hevy sync), macrofactor (weigh-ins of a MacroFactor export), csv (fitdata load body-weight).';
