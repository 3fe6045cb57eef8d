-- 0001: schemas, the meta bookkeeping tables and the raw landing tables.
CREATE SCHEMA IF NOT EXISTS meta;
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;

-- One row per load or sync run (CSV file, nutrition file, API sync).
CREATE TABLE meta.loads (
    load_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('hevy_csv', 'hevy_api', 'nutrition', 'body_weight')),
    athlete_id     text NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    status         text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    rows_read      integer NOT NULL DEFAULT 0 CHECK (rows_read >= 0),
    rows_loaded    integer NOT NULL DEFAULT 0 CHECK (rows_loaded >= 0),
    rows_rejected  integer NOT NULL DEFAULT 0 CHECK (rows_rejected >= 0),
    summary        jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- Per-athlete, per-source position of incremental syncs (advanced only after a committed run).
CREATE TABLE meta.sync_watermarks (
    athlete_id   text NOT NULL,
    source       text NOT NULL,
    watermark    timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (athlete_id, source)
);

-- Every file ever loaded, identified by its content hash.
CREATE TABLE raw.files (
    file_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    file_name    text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    kind         text NOT NULL,
    athlete_id   text NOT NULL,
    first_loaded_at timestamptz NOT NULL DEFAULT now(),
    last_loaded_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (sha256, kind, athlete_id)
);

-- Every rejected input line, verbatim, with where it came from and why.
CREATE TABLE raw.rejects (
    reject_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    load_id      bigint NOT NULL REFERENCES meta.loads (load_id) ON DELETE CASCADE,
    file_id      bigint REFERENCES raw.files (file_id) ON DELETE CASCADE,
    source_name  text NOT NULL,           -- file name or request URL
    line_number  integer,                 -- physical line where the record starts (1 = header)
    field        text,                    -- column that failed, when one did
    reason       text NOT NULL,
    raw_record   text NOT NULL,
    rejected_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rejects_load_idx ON raw.rejects (load_id);

-- Hevy API payloads as received (one row per object version).
CREATE TABLE raw.hevy_api_payloads (
    payload_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    athlete_id   text NOT NULL,
    endpoint     text NOT NULL,
    object_type  text NOT NULL,           -- workout, workout_event, exercise_template, body_measurement
    object_id    text,
    payload_sha256 text NOT NULL,
    payload      jsonb NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (athlete_id, object_type, payload_sha256)
);
CREATE INDEX hevy_api_payloads_object_idx ON raw.hevy_api_payloads (athlete_id, object_type, object_id);
