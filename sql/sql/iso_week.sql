-- ISO 8601 weeks: Monday start, ISO year in the label.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS fitness;
DROP SCHEMA IF EXISTS fitness CASCADE;
RESET client_min_messages;
SET datestyle = 'ISO, YMD';
CREATE EXTENSION fitness;

SELECT d, to_char(d, 'Dy') AS dow, fitness.iso_week_start(d) AS week_start, fitness.iso_week_label(d) AS label
FROM (VALUES
  (DATE '1999-12-31'),   -- before the 2000-01-03 anchor
  (DATE '2020-12-28'),
  (DATE '2020-12-31'),
  (DATE '2021-01-01'),
  (DATE '2021-01-03'),
  (DATE '2021-01-04'),
  (DATE '2024-12-29'),
  (DATE '2024-12-30'),
  (DATE '2025-01-05'),
  (DATE '2026-01-01'),
  (DATE '2026-09-13'),
  (DATE '2026-09-14'),
  (DATE '2026-09-20'),
  (DATE '2026-12-31'),
  (DATE '2027-01-03')
) AS t(d)
ORDER BY d;

-- Agrees with PostgreSQL's own ISO week functions over 1990-2040.
SELECT count(*) AS days,
       count(*) FILTER (WHERE fitness.iso_week_start(d) <> date_trunc('week', d)::date) AS start_mismatches,
       count(*) FILTER (WHERE fitness.iso_week_label(d) <> to_char(d, 'IYYY-"W"IW')) AS label_mismatches,
       count(*) FILTER (WHERE extract(isodow FROM fitness.iso_week_start(d)) <> 1) AS not_monday
FROM generate_series(DATE '1990-01-01', DATE '2040-12-31', interval '1 day') AS g(ts),
     LATERAL (SELECT ts::date AS d) AS x;

SELECT fitness.iso_week_start(NULL) IS NULL AS a, fitness.iso_week_label(NULL) IS NULL AS b;

DROP EXTENSION fitness;
DROP SCHEMA fitness;
