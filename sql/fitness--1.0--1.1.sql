\echo Use "ALTER EXTENSION fitness UPDATE TO '1.1'" to load this file. \quit

-- fitness 1.0 -> 1.1: the Lombardi formula (also selectable in e1rm), and ISO week labels.
-- Like the full scripts, this is also applied as plain SQL (\echo line dropped, @extschema@
-- replaced). e1rm keeps its signature, so objects that depend on it survive the update.

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

CREATE OR REPLACE FUNCTION @extschema@.iso_week_label(d date)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT (extract(isoyear FROM d::timestamp)::integer)::text
       || '-W' || lpad((extract(week FROM d::timestamp)::integer)::text, 2, '0')
$$;

COMMENT ON FUNCTION @extschema@.iso_week_label(date) IS
'ISO 8601 week label of the date, e.g. 2026-W38 (ISO year, zero-padded week number).';
