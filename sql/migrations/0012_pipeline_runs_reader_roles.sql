-- 0012: the scheduled pipeline's bookkeeping and the read-only roles (additive only).

-- One row per `fitdata pipeline daily|weekly` run: inserted when the run holds the pipeline lock,
-- updated after each step (so a killed run shows how far it got) and at its end. A row left 'running'
-- by a process that died is marked 'abandoned' by the next run (only one run holds the lock).
CREATE TABLE IF NOT EXISTS meta.pipeline_runs (
    run_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('daily', 'weekly')),
    athlete_id   text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    ended_at     timestamptz,
    outcome      text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'succeeded', 'failed', 'abandoned')),
    exit_code    integer CHECK (exit_code IN (0, 1, 2)),
    backend_pid  integer NOT NULL DEFAULT pg_backend_pid(),
    -- one object per step: step, started, duration_ms, counts, outcome, error (the JSON log lines)
    steps        jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(steps) = 'array'),
    CHECK ((outcome = 'running') = (ended_at IS NULL))
);
CREATE INDEX IF NOT EXISTS pipeline_runs_started_idx ON meta.pipeline_runs (started_at DESC);

COMMENT ON TABLE meta.pipeline_runs IS
    'One row per fitdata pipeline run: kind, start/end, outcome, exit code and the per-step log (steps).';

-- What the marts were last built from by a pipeline whose build and data tests passed: a fingerprint of
-- each declared source table's content and one of the model project's files. The next run builds only
-- the models downstream of the sources whose fingerprint differs (everything when the project differs).
CREATE TABLE IF NOT EXISTS meta.pipeline_built_inputs (
    input        text PRIMARY KEY,            -- 'project' or 'source:<source>.<table>'
    fingerprint  text NOT NULL,
    run_id       bigint REFERENCES meta.pipeline_runs (run_id) ON DELETE SET NULL,
    built_at     timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE meta.pipeline_built_inputs IS
    'Fingerprints of the sources and model project the marts were last built from by a successful pipeline run.';

-- Login roles `fitdata db grant-reader` made readers of the marts; every build re-grants them SELECT
-- on what is in the marts schema then (materializations replace tables, and with them their grants).
CREATE TABLE IF NOT EXISTS meta.reader_roles (
    role_name    text PRIMARY KEY,
    granted_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE meta.reader_roles IS
    'Roles fitdata db grant-reader made read-only readers of the marts schema; re-granted after every build.';
