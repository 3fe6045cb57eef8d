-- 1.0 -> 1.1 -> 1.2: ALTER EXTENSION UPDATE gives the same functions as a fresh 1.2 install.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS fitness;
DROP SCHEMA IF EXISTS fitness CASCADE;
RESET client_min_messages;
SET datestyle = 'ISO, YMD';

CREATE EXTENSION fitness VERSION '1.0';
SELECT extversion FROM pg_extension WHERE extname = 'fitness';
SELECT p.oid::regprocedure AS function FROM pg_proc p
WHERE p.pronamespace = 'fitness'::regnamespace ORDER BY p.proname COLLATE "C";

-- 1.0 knows Epley and Brzycki only.
SELECT round(fitness.e1rm(100, 5, 8), 2) AS epley, round(fitness.e1rm(100, 5, 8, 'brzycki'), 2) AS brzycki;
SELECT fitness.e1rm(100, 5, 8, 'lombardi');

-- Objects that depend on e1rm survive the update (its signature does not change).
CREATE VIEW e1rm_view AS
SELECT round(fitness.e1rm(100, 5, 8), 2) AS e1rm, fitness.iso_week_start(DATE '2026-09-17') AS week_start;

ALTER EXTENSION fitness UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'fitness';

SELECT * FROM e1rm_view;
SELECT round(fitness.e1rm(100, 5, 8, 'lombardi'), 2) AS lombardi,
       round(fitness.e1rm_lombardi(100, 5), 2) AS lombardi_raw,
       fitness.iso_week_label(DATE '2026-09-14') AS label;

-- Snapshot of the updated functions: full definition (incl. attributes and defaults) and comment.
CREATE TEMP TABLE fn_updated AS
SELECT p.oid::regprocedure::text AS function, pg_get_functiondef(p.oid) AS def,
       obj_description(p.oid, 'pg_proc') AS comment,
       EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                 AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e') AS member
FROM pg_proc p WHERE p.pronamespace = 'fitness'::regnamespace;

DROP VIEW e1rm_view;
DROP EXTENSION fitness;

CREATE EXTENSION fitness;   -- default_version: 1.2
SELECT extversion FROM pg_extension WHERE extname = 'fitness';

CREATE TEMP TABLE fn_fresh AS
SELECT p.oid::regprocedure::text AS function, pg_get_functiondef(p.oid) AS def,
       obj_description(p.oid, 'pg_proc') AS comment,
       EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                 AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e') AS member
FROM pg_proc p WHERE p.pronamespace = 'fitness'::regnamespace;

SELECT (SELECT count(*) FROM fn_updated) AS updated, (SELECT count(*) FROM fn_fresh) AS fresh,
       (SELECT count(*) FROM fn_updated WHERE member) AS updated_members;

-- Differences either way: none expected.
(SELECT 'only after update' AS side, * FROM fn_updated EXCEPT SELECT 'only after update', * FROM fn_fresh)
UNION ALL
(SELECT 'only in fresh 1.2', * FROM fn_fresh EXCEPT SELECT 'only in fresh 1.2', * FROM fn_updated);

-- Explicit target version is a no-op now.
SET client_min_messages = warning;
ALTER EXTENSION fitness UPDATE TO '1.2';
RESET client_min_messages;

DROP TABLE fn_updated, fn_fresh;
DROP EXTENSION fitness;

-- 1.1 -> 1.2: Epley becomes exact (94.35 kg x 7 is 116.365: 1.1 shows 116.36, 1.2 shows 116.37).
CREATE EXTENSION fitness VERSION '1.1';
SELECT round(fitness.e1rm(94.35, 7), 2) AS e1rm_1_1;
ALTER EXTENSION fitness UPDATE TO '1.2';
SELECT extversion, round(fitness.e1rm(94.35, 7), 2) AS e1rm_1_2, fitness.e1rm_epley(94.35, 7) AS exact
FROM pg_extension WHERE extname = 'fitness';
DROP EXTENSION fitness;
DROP SCHEMA fitness;
