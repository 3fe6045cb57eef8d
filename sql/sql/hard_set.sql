-- Hard (effective) sets: non-warmup, reps logged, RPE >= 7 or no RPE.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS fitness;
DROP SCHEMA IF EXISTS fitness CASCADE;
RESET client_min_messages;
CREATE EXTENSION fitness;

SELECT set_type, reps, rpe, fitness.is_hard_set(set_type, reps, rpe) AS hard
FROM (VALUES
  ( 1, 'normal',  8, 8::numeric),
  ( 2, 'normal',  8, 7),
  ( 3, 'normal',  8, 6.5),
  ( 4, 'normal',  8, NULL),
  ( 5, 'failure', 5, 10),
  ( 6, 'dropset', 12, NULL),
  ( 7, 'warmup',  8, NULL),
  ( 8, 'warmup',  8, 9),
  ( 9, 'WARMUP',  8, 9),
  (10, 'normal',  0, 8),
  (11, 'normal',  NULL, 8),
  (12, 'normal',  NULL, NULL),
  (13, NULL,      5, NULL)
) AS t(i, set_type, reps, rpe)
ORDER BY i;

-- A custom threshold; NULL threshold means the default 7.
SELECT rpe,
       fitness.is_hard_set('normal', 5, rpe, 8) AS min8,
       fitness.is_hard_set('normal', 5, rpe, 6) AS min6,
       fitness.is_hard_set('normal', 5, rpe, NULL) AS min_null
FROM (VALUES (6::numeric), (7), (7.5), (8), (NULL)) AS t(rpe)
ORDER BY rpe NULLS LAST;

DROP EXTENSION fitness;
DROP SCHEMA fitness;
