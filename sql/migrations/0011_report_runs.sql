-- 0011: one row per written weekly report (additive only).
--
-- Keyed by athlete and ISO week: re-running a week replaces that week's row (and its files), never another.
-- `location` is where the HTML was written (a file path or an s3:// URL); the Markdown and the facts JSON
-- are beside it with the same name. Checksums are lower-case hex SHA-256 of the bytes written.
CREATE TABLE IF NOT EXISTS meta.reports (
    athlete_id         text NOT NULL CHECK (athlete_id <> ''),
    iso_week           text NOT NULL CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
    week_start         date NOT NULL,
    language           text NOT NULL CHECK (language IN ('en', 'pt')),
    provider           text NOT NULL CHECK (provider IN ('none', 'openai', 'anthropic', 'bedrock')),
    model              text,
    input_tokens       integer CHECK (input_tokens >= 0),
    output_tokens      integer CHECK (output_tokens >= 0),
    unverified_numbers integer NOT NULL CHECK (unverified_numbers >= 0),
    location           text NOT NULL,
    markdown_sha256    text NOT NULL CHECK (markdown_sha256 ~ '^[0-9a-f]{64}$'),
    html_sha256        text NOT NULL CHECK (html_sha256 ~ '^[0-9a-f]{64}$'),
    facts_sha256       text NOT NULL CHECK (facts_sha256 ~ '^[0-9a-f]{64}$'),
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (athlete_id, iso_week)
);

COMMENT ON TABLE meta.reports IS
    'Weekly reports written by fitdata report weekly: one row per athlete and ISO week, replaced when the week is re-run.';
COMMENT ON COLUMN meta.reports.unverified_numbers IS
    'Numbers in the report text that the grounding check could not match to the facts (listed under "could not verify").';
COMMENT ON COLUMN meta.reports.location IS
    'Where the HTML was written (path or s3:// URL); the .md and .json are beside it.';
