-- 0002: the cleaned relational model. Surrogate identity keys; natural keys unique.
-- Units are SI: kilograms, metres, seconds. Times are timestamptz plus the athlete's local date.

CREATE TABLE core.athletes (
    athlete_sk   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    athlete_id   text NOT NULL UNIQUE CHECK (athlete_id <> ''),   -- the --athlete value
    timezone     text NOT NULL DEFAULT 'UTC',                     -- IANA name, e.g. Europe/Lisbon
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE core.exercises (
    exercise_sk      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title            text NOT NULL,
    hevy_template_id text UNIQUE,
    exercise_type    text CHECK (exercise_type IN ('weight_reps', 'reps_only', 'bodyweight_reps',
                         'bodyweight_assisted_reps', 'duration', 'weight_duration', 'distance_duration',
                         'short_distance_weight', 'floors_duration', 'steps_duration')),
    equipment        text,
    primary_muscle_group    text,
    secondary_muscle_groups text[] NOT NULL DEFAULT '{}',
    is_custom        boolean,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Every spelling an exercise is known by: localized CSV titles, template titles, user renames.
-- Titles are matched after normalization (NFC, case-folded, whitespace collapsed).
CREATE TABLE core.exercise_aliases (
    alias_normalized text PRIMARY KEY CHECK (alias_normalized <> ''),
    alias            text NOT NULL,
    exercise_sk      bigint NOT NULL REFERENCES core.exercises (exercise_sk) ON DELETE CASCADE,
    source           text NOT NULL CHECK (source IN ('hevy_csv', 'hevy_api', 'seed', 'manual')),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exercise_aliases_exercise_idx ON core.exercise_aliases (exercise_sk);

CREATE TABLE core.workouts (
    workout_sk       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    athlete_sk       bigint NOT NULL REFERENCES core.athletes (athlete_sk),
    source           text NOT NULL CHECK (source IN ('hevy_csv', 'hevy_api')),
    hevy_workout_id  text UNIQUE,                      -- natural key of API workouts
    title            text NOT NULL,
    description      text,
    description_raw  text,                             -- as exported, before unescaping \n
    start_local      timestamp(0) NOT NULL CHECK (start_local = date_trunc('minute', start_local)),
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz NOT NULL,
    local_date       date NOT NULL,
    content_sha256   text,                             -- of the CSV rows / API payload last applied
    csv_file_id      bigint REFERENCES raw.files (file_id) ON DELETE SET NULL,  -- history link kept when the API wins
    api_updated_at   timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz,
    -- natural key of CSV history, also how CSV and API versions of one workout meet
    CONSTRAINT workouts_natural_key UNIQUE (athlete_sk, start_local, title)
);
CREATE INDEX workouts_athlete_date_idx ON core.workouts (athlete_sk, local_date);

CREATE TABLE core.workout_exercises (
    workout_exercise_sk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workout_sk    bigint NOT NULL REFERENCES core.workouts (workout_sk) ON DELETE CASCADE,
    position      integer NOT NULL CHECK (position >= 0),   -- block order within the workout
    exercise_sk   bigint NOT NULL REFERENCES core.exercises (exercise_sk),
    superset_id   integer CHECK (superset_id >= 0),         -- per workout, not global
    notes         text,
    notes_raw     text,
    UNIQUE (workout_sk, position)
);
CREATE INDEX workout_exercises_exercise_idx ON core.workout_exercises (exercise_sk);

CREATE TABLE core.sets (
    set_sk        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workout_exercise_sk bigint NOT NULL REFERENCES core.workout_exercises (workout_exercise_sk) ON DELETE CASCADE,
    position      integer NOT NULL CHECK (position >= 0),   -- dense order within the block
    set_index     integer,                                  -- as exported (may have gaps)
    set_type      text NOT NULL CHECK (set_type IN ('warmup', 'normal', 'failure', 'dropset')),
    weight_kg     numeric CHECK (weight_kg > -1000 AND weight_kg < 10000),  -- negative = assisted
    reps          integer CHECK (reps >= 0),
    distance_m    numeric CHECK (distance_m >= 0),
    duration_s    integer CHECK (duration_s >= 0),
    rpe           numeric(3,1) CHECK (rpe >= 6 AND rpe <= 10 AND rpe * 2 = trunc(rpe * 2)),
    custom_metric numeric,
    source_line   integer,                                  -- physical CSV line, for CSV sets
    UNIQUE (workout_exercise_sk, position)
);

CREATE TABLE core.nutrition_days (
    athlete_sk   bigint NOT NULL REFERENCES core.athletes (athlete_sk),
    date         date NOT NULL,
    source       text NOT NULL CHECK (source IN ('myfitnesspal', 'cronometer', 'cronometer_servings', 'macrofactor')),
    kcal         numeric CHECK (kcal >= 0),
    protein_g    numeric CHECK (protein_g >= 0),
    carbs_g      numeric CHECK (carbs_g >= 0),
    fat_g        numeric CHECK (fat_g >= 0),
    fiber_g      numeric CHECK (fiber_g >= 0),
    extra        jsonb NOT NULL DEFAULT '{}'::jsonb,       -- every other column, by header name
    file_id      bigint REFERENCES raw.files (file_id) ON DELETE SET NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (athlete_sk, date, source)
);

CREATE TABLE core.body_measurements (
    athlete_sk   bigint NOT NULL REFERENCES core.athletes (athlete_sk),
    date         date NOT NULL,
    source       text NOT NULL CHECK (source IN ('hevy_api', 'macrofactor', 'csv')),
    weight_kg    numeric CHECK (weight_kg > 0 AND weight_kg < 500),
    fat_percent  numeric CHECK (fat_percent >= 0 AND fat_percent <= 100),
    extra        jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (athlete_sk, date, source)
);
