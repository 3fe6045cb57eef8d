\echo Use "CREATE EXTENSION fitness" to load this file. \quit

-- fitness 1.2: full install (1.0 plus Lombardi and ISO week labels (1.1), Epley computed exactly and title_key (1.2)).
--
-- This script is also applied as plain SQL where CREATE EXTENSION is not allowed (e.g. RDS):
-- the loader drops the \echo line above and replaces @extschema@ with the schema name. Keep it
-- that way: CREATE OR REPLACE only, no other psql meta-commands, nothing extension-specific.
--
-- All functions are LANGUAGE sql single expressions, IMMUTABLE and PARALLEL SAFE, so the planner
-- can inline them. The formula/rule functions are declared non-STRICT on purpose: a STRICT SQL
-- function whose body uses CASE is never inlined. They still return NULL for NULL inputs.
-- Literals carry explicit types so operators resolve to exact matches in pg_catalog.

-- RPE / RIR ----------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.rir_from_rpe(rpe numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT 10::numeric - rpe $$;

COMMENT ON FUNCTION @extschema@.rir_from_rpe(numeric) IS
'Repetitions in reserve from an RPE rating: 10 - rpe (NULL for NULL).';

-- e1RM formulas ------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.e1rm_epley(weight numeric, reps numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE
         WHEN reps < 1::numeric THEN NULL
         WHEN reps = 1::numeric THEN weight
         ELSE weight * (30::numeric + reps) / 30::numeric
       END
$$;

COMMENT ON FUNCTION @extschema@.e1rm_epley(numeric, numeric) IS
'Epley estimated one-rep max: weight * (30 + reps) / 30 (exactly: the division comes last), exactly weight when reps = 1; NULL when reps < 1 or an input is NULL.';

CREATE OR REPLACE FUNCTION @extschema@.e1rm_brzycki(weight numeric, reps numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE
         WHEN reps < 1::numeric OR reps >= 37::numeric THEN NULL
         WHEN reps = 1::numeric THEN weight
         ELSE weight * 36::numeric / (37::numeric - reps)
       END
$$;

COMMENT ON FUNCTION @extschema@.e1rm_brzycki(numeric, numeric) IS
'Brzycki estimated one-rep max: weight * 36 / (37 - reps), exactly weight when reps = 1; NULL when reps < 1, reps >= 37 or an input is NULL.';

-- The power is taken in double precision (15 significant digits): numeric power() with a
-- fractional exponent is about ten times slower over a large table.
CREATE OR REPLACE FUNCTION @extschema@.e1rm_lombardi(weight numeric, reps numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE
         WHEN reps < 1::numeric THEN NULL
         WHEN reps = 1::numeric THEN weight
         ELSE weight * power(reps::double precision, 0.10::double precision)::numeric
       END
$$;

COMMENT ON FUNCTION @extschema@.e1rm_lombardi(numeric, numeric) IS
'Lombardi estimated one-rep max: weight * reps ^ 0.10, exactly weight when reps = 1; NULL when reps < 1 or an input is NULL.';

-- e1rm(weight, reps, rpe, formula): the DESIGN rule. Only logged reps 1-12 and weight > 0 count;
-- n = reps + RIR (RIR = 10 - RPE, 0 when no RPE is logged), so n may exceed 12.
-- An unknown formula is an error; SQL functions cannot RAISE, so the error is produced by casting
-- a message naming the formula to integer (SQLSTATE 22P02).
CREATE OR REPLACE FUNCTION @extschema@.e1rm(weight numeric, reps integer, rpe numeric DEFAULT NULL,
                                            formula text DEFAULT 'epley')
RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE
         WHEN formula IS NULL OR lower(formula) NOT IN ('epley', 'brzycki', 'lombardi')
           THEN ('e1rm: unknown formula ' || quote_nullable(formula)
                 || ' (expected ''epley'', ''brzycki'' or ''lombardi'')')::integer
         WHEN NOT coalesce(weight > 0::numeric AND reps BETWEEN 1 AND 12, false) THEN NULL
         WHEN lower(formula) = 'epley'
           THEN @extschema@.e1rm_epley(weight, reps::numeric + coalesce(10::numeric - rpe, 0::numeric))
         WHEN lower(formula) = 'brzycki'
           THEN @extschema@.e1rm_brzycki(weight, reps::numeric + coalesce(10::numeric - rpe, 0::numeric))
         ELSE @extschema@.e1rm_lombardi(weight, reps::numeric + coalesce(10::numeric - rpe, 0::numeric))
       END
$$;

COMMENT ON FUNCTION @extschema@.e1rm(numeric, integer, numeric, text) IS
'Estimated one-rep max by formula (''epley'' default, ''brzycki'', ''lombardi''). NULL unless 1 <= reps <= 12 and weight > 0. Uses n = reps + RIR, RIR = 10 - rpe (0 when rpe is NULL). Unknown formula: error.';

-- Units --------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.lb_to_kg(pounds numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT pounds * 0.45359237::numeric $$;

COMMENT ON FUNCTION @extschema@.lb_to_kg(numeric) IS
'Pounds to kilograms (exact factor 0.45359237).';

CREATE OR REPLACE FUNCTION @extschema@.kg_to_lb(kilograms numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT kilograms / 0.45359237::numeric $$;

COMMENT ON FUNCTION @extschema@.kg_to_lb(numeric) IS
'Kilograms to pounds (divides by the exact factor 0.45359237).';

CREATE OR REPLACE FUNCTION @extschema@.mile_to_m(miles numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT miles * 1609.344::numeric $$;

COMMENT ON FUNCTION @extschema@.mile_to_m(numeric) IS
'International miles to metres (exact factor 1609.344).';

CREATE OR REPLACE FUNCTION @extschema@.km_to_m(kilometres numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT kilometres * 1000::numeric $$;

COMMENT ON FUNCTION @extschema@.km_to_m(numeric) IS
'Kilometres to metres.';

-- Calendar -----------------------------------------------------------------------------------------

-- Integer arithmetic against a known Monday (2000-01-03): immutable, unlike date_trunc on a date
-- (which resolves to the time-zone dependent timestamptz variant).
CREATE OR REPLACE FUNCTION @extschema@.iso_week_start(d date)
RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT d - ((d - DATE '2000-01-03') % 7 + 7) % 7 $$;

COMMENT ON FUNCTION @extschema@.iso_week_start(date) IS
'Monday of the ISO 8601 week containing the date.';

CREATE OR REPLACE FUNCTION @extschema@.iso_week_label(d date)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT (extract(isoyear FROM d::timestamp)::integer)::text
       || '-W' || lpad((extract(week FROM d::timestamp)::integer)::text, 2, '0')
$$;

COMMENT ON FUNCTION @extschema@.iso_week_label(date) IS
'ISO 8601 week label of the date, e.g. 2026-W38 (ISO year, zero-padded week number).';

-- Sets ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION @extschema@.is_hard_set(set_type text, reps integer, rpe numeric,
                                                   min_rpe numeric DEFAULT 7)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT lower(set_type) IS DISTINCT FROM 'warmup'
       AND coalesce(reps > 0, false)
       AND (rpe IS NULL OR rpe >= coalesce(min_rpe, 7::numeric))
$$;

COMMENT ON FUNCTION @extschema@.is_hard_set(text, integer, numeric, numeric) IS
'Hard (effective) set: not a warmup, reps logged (> 0), and rpe >= min_rpe (default 7) or no RPE logged. Never NULL; a NULL min_rpe means 7.';

-- Titles -------------------------------------------------------------------------------------------

-- title_key(title): the matching key of an exercise or workout title, the same rule as the loader's
-- TitleNormalizer.key (a test compares the two on every title of the real exports and seeds):
-- NFC, lower-case (the database's lower()), every run of Unicode White_Space collapsed to one space,
-- and trimmed. The White_Space set is spelled out (not \s, which depends on the locale), so tabs,
-- no-break spaces and ideographic spaces separate words everywhere.
CREATE OR REPLACE FUNCTION @extschema@.title_key(title text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT btrim(regexp_replace(lower(normalize(title, NFC)),
                            '[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+',
                            ' ', 'g'), ' ')
$$;

COMMENT ON FUNCTION @extschema@.title_key(text) IS
'Matching key of a title: NFC, lower-case, runs of Unicode White_Space collapsed to one space, trimmed (as the fitdata loader computes it).';
