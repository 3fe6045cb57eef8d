\echo Use "ALTER EXTENSION fitness UPDATE TO '1.2'" to load this file. \quit

-- fitness 1.1 -> 1.2: title_key(), the one matching key of titles (below), and Epley computed exactly. 1.1 computed weight * (1 + reps / 30), and numeric
-- division rounds reps / 30 to 16 significant digits before the multiplication, so a value such as
-- 94.35 kg x 7 (exactly 116.365) came out as 116.36499..., and 116.36 once rounded for display.
-- weight * (30 + reps) / 30 divides last: the result is exact whenever it terminates, and a value
-- that ends in 5 at the third decimal always terminates, so display rounding is right.
-- e1rm_epley keeps its signature, so objects that depend on it (and on e1rm) survive the update.

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
