-- Install the extension, check its catalog entries and its functions.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS fitness;
DROP SCHEMA IF EXISTS fitness CASCADE;
RESET client_min_messages;
SET datestyle = 'ISO, YMD';

SELECT name, version, superuser, trusted, relocatable, schema
FROM pg_available_extension_versions WHERE name = 'fitness' ORDER BY version;

SELECT * FROM pg_extension_update_paths('fitness') ORDER BY source, target;

CREATE EXTENSION fitness;

SELECT e.extname, e.extversion, e.extnamespace::regnamespace AS schema, e.extrelocatable
FROM pg_extension e WHERE e.extname = 'fitness';

-- Every function: signature, result, volatility, parallel safety, strictness, language, comment.
SELECT p.oid::regprocedure AS function,
       pg_get_function_result(p.oid) AS returns,
       p.provolatile AS vol, p.proparallel AS par, p.proisstrict AS strict,
       l.lanname AS lang,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'fitness'::regnamespace
ORDER BY p.proname COLLATE "C", pg_get_function_identity_arguments(p.oid) COLLATE "C";

-- Defaults as declared.
SELECT p.proname, pg_get_function_arguments(p.oid) AS arguments
FROM pg_proc p
WHERE p.pronamespace = 'fitness'::regnamespace AND p.pronargdefaults > 0
ORDER BY 1;

-- All of them belong to the extension.
SELECT count(*) AS functions,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
         WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
           AND e.extname = 'fitness' AND d.deptype = 'e')) AS members
FROM pg_proc p WHERE p.pronamespace = 'fitness'::regnamespace;

-- A smoke call of each.
SELECT fitness.rir_from_rpe(8) AS rir,
       round(fitness.e1rm(100, 5), 2) AS e1rm,
       fitness.lb_to_kg(1) AS lb_kg,
       fitness.iso_week_start('2026-09-17') AS week_start,
       fitness.iso_week_label('2026-09-17') AS week_label,
       fitness.is_hard_set('normal', 5, 8) AS hard;

DROP EXTENSION fitness;
DROP SCHEMA fitness;

-- A non-superuser with CREATE on the database can install it (superuser = false, trusted).
CREATE ROLE regress_fitness_owner;
DO $$ BEGIN
  EXECUTE format('GRANT CREATE ON DATABASE %I TO regress_fitness_owner', current_database());
END $$;
SET ROLE regress_fitness_owner;
CREATE EXTENSION fitness;
SELECT e.extowner::regrole AS owner, n.nspowner::regrole AS schema_owner
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'fitness';
SELECT round(fitness.e1rm(100, 5, 8), 2) AS e1rm;
DROP EXTENSION fitness;
DROP SCHEMA fitness;
RESET ROLE;
DO $$ BEGIN
  EXECUTE format('REVOKE CREATE ON DATABASE %I FROM regress_fitness_owner', current_database());
END $$;
DROP ROLE regress_fitness_owner;
