-- e1RM formulas and the dispatching e1rm(weight, reps, rpe, formula).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS fitness;
DROP SCHEMA IF EXISTS fitness CASCADE;
RESET client_min_messages;
CREATE EXTENSION fitness;

-- RIR from RPE
SELECT fitness.rir_from_rpe(8) AS rpe8, fitness.rir_from_rpe(9.5) AS rpe95,
       fitness.rir_from_rpe(10) AS rpe10, fitness.rir_from_rpe(NULL) AS rpe_null;

-- Raw formulas. Epley: w(1 + n/30); Brzycki: 36w/(37 - n); Lombardi: w n^0.1.
-- Hand-computed: Epley 100x5 = 116.67, 100x7 = 123.33, 100x10 = 133.33;
-- Brzycki 100x5 = 3600/32 = 112.50, 100x7 = 120.00, 100x10 = 133.33, 100x36 = 3600.00;
-- Lombardi 100x5 = 117.46, 100x7 = 121.48, 100x10 = 125.89.
SELECT n,
       round(fitness.e1rm_epley(100, n), 2) AS epley,
       round(fitness.e1rm_brzycki(100, n), 2) AS brzycki,
       round(fitness.e1rm_lombardi(100, n), 2) AS lombardi
FROM (VALUES (0), (0.5), (1), (2), (5), (5.5), (7), (10), (12), (16), (36), (37), (40)) AS t(n)
ORDER BY n;

-- One rep is exactly the weight (no rounding needed), for every formula and through e1rm.
SELECT fitness.e1rm_epley(142.5, 1) AS epley, fitness.e1rm_brzycki(142.5, 1) AS brzycki,
       fitness.e1rm_lombardi(142.5, 1) AS lombardi, fitness.e1rm(142.5, 1) AS e1rm,
       fitness.e1rm(142.5, 1, 10, 'brzycki') AS e1rm_rpe10;

-- NULL in, NULL out.
SELECT fitness.e1rm_epley(NULL, 5) IS NULL AS a, fitness.e1rm_epley(100, NULL) IS NULL AS b,
       fitness.e1rm_brzycki(NULL, 5) IS NULL AS c, fitness.e1rm_lombardi(100, NULL) IS NULL AS d;

-- The DESIGN rule: reps 1-12 logged, weight > 0, n = reps + RIR (RIR = 10 - RPE, 0 without RPE).
SELECT label, weight, reps, rpe,
       round(fitness.e1rm(weight, reps, rpe), 2) AS epley,
       round(fitness.e1rm(weight, reps, rpe, 'brzycki'), 2) AS brzycki,
       round(fitness.e1rm(weight, reps, rpe, 'lombardi'), 2) AS lombardi
FROM (VALUES
  ( 1, '5 reps',                 100::numeric,  5, NULL::numeric),   -- 116.67 / 112.50 / 117.46
  ( 2, '5 reps @ RPE 8 (n=7)',   100,           5, 8),               -- 123.33 / 120.00 / 121.48
  ( 3, '5 reps @ RPE 9.5',       100,           5, 9.5),             -- n=5.5: 118.33 / 114.29 / 118.59
  ( 4, '5 reps @ RPE 10',        100,           5, 10),              -- same as no RPE
  ( 5, '1 rep',                  100,           1, NULL),            -- exactly 100
  ( 6, '1 rep @ RPE 10',         100,           1, 10),              -- exactly 100
  ( 7, '1 rep @ RPE 9 (n=2)',    100,           1, 9),               -- 106.67 / 102.86 / 107.18
  ( 8, '12 reps',                100,          12, NULL),            -- 140.00 / 144.00 / 128.21
  ( 9, '12 reps @ RPE 6 (n=16)', 100,          12, 6),               -- n > 12 is fine: 153.33 / 171.43 / 131.95
  (10, '13 reps',                100,          13, NULL),            -- out of range: NULL
  (11, '0 reps',                 100,           0, NULL),            -- NULL
  (12, 'weight 0',               0,             5, NULL),            -- NULL
  (13, 'assisted (negative)',    -20,           5, NULL),            -- NULL
  (14, 'NULL weight',            NULL,          5, NULL),            -- NULL
  (15, 'NULL reps',              100,        NULL, NULL),            -- NULL
  (16, 'fractional weight',      102.5,         3, 7)                -- n=6: 123.00 / 119.03 / 122.61
) AS t(i, label, weight, reps, rpe)
ORDER BY i;

-- Defaults: rpe NULL, formula 'epley'; named notation; formula names are case-insensitive.
SELECT fitness.e1rm(100, 5) = fitness.e1rm(100, 5, NULL, 'epley') AS default_is_epley,
       round(fitness.e1rm(100, 5, formula => 'brzycki'), 2) AS named_brzycki,
       round(fitness.e1rm(100, 5, 8, 'Lombardi'), 2) AS mixed_case;

-- Formula taken from a column.
SELECT f, round(fitness.e1rm(100, 5, 8, f), 2) AS e1rm
FROM (VALUES ('epley'), ('brzycki'), ('lombardi')) AS t(f) ORDER BY f;

-- Unknown formula: an error naming it (constant or per row), also when the set is out of range.
SELECT fitness.e1rm(100, 5, NULL, 'wathan');
SELECT fitness.e1rm(100, 20, NULL, 'mayhew');
SELECT fitness.e1rm(100, 5, NULL, NULL);
SELECT fitness.e1rm(100, 5, 8, f) FROM (VALUES ('epley'), ('oconner')) AS t(f);

-- IMMUTABLE: usable in an index expression.
CREATE TEMP TABLE sets (weight numeric, reps integer, rpe numeric);
INSERT INTO sets VALUES (100, 5, 8), (120, 3, NULL), (60, 15, NULL);
CREATE INDEX sets_e1rm_idx ON sets (fitness.e1rm(weight, reps, rpe));
SELECT weight, reps, rpe, round(fitness.e1rm(weight, reps, rpe), 2) AS e1rm FROM sets ORDER BY weight;
-- Exact Epley (1.2): three real sets that 1.1's weight * (1 + n / 30) put 0.01 kg low.
-- 94.35 x 7 = 116.365 and 95.25 x 7 = 117.475 exactly; 7.5 x 12 at RPE 7.5 (n = 14.5) = 11.125.
SELECT weight, reps, rpe, fitness.e1rm(weight, reps, rpe) AS exact, round(fitness.e1rm(weight, reps, rpe), 2) AS shown
FROM (VALUES (94.35, 7, NULL::numeric), (95.25, 7, NULL), (7.5, 12, 7.5)) AS t(weight, reps, rpe);

DROP TABLE sets;

DROP EXTENSION fitness;
DROP SCHEMA fitness;
