-- 0009: per-athlete targets with effective dates (additive only).
--
-- A row holds the targets that apply from `effective_from` until the athlete's next row; a NULL target
-- means "no target of that kind" in that period. Written by `fitdata targets set`; the models fall back
-- to the `training_targets` seed (the athlete's row, then `default`) for dates before an athlete's
-- first row here, and for athletes without rows.
CREATE TABLE IF NOT EXISTS core.athlete_targets (
    athlete_sk         bigint NOT NULL REFERENCES core.athletes (athlete_sk),
    effective_from     date NOT NULL,
    kcal               numeric CHECK (kcal > 0 AND kcal < 20000),
    protein_g          numeric CHECK (protein_g > 0 AND protein_g < 1000),
    sessions_per_week  numeric CHECK (sessions_per_week >= 0 AND sessions_per_week <= 21),
    source             text NOT NULL DEFAULT 'cli' CHECK (source IN ('cli', 'macrofactor')),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (athlete_sk, effective_from)
);

COMMENT ON TABLE core.athlete_targets IS
    'Targets (kcal, protein g, sessions per week) per athlete from effective_from until the next row; NULL = no target of that kind.';
