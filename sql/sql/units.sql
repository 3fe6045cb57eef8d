-- Unit conversions (exact factors: 1 lb = 0.45359237 kg, 1 mile = 1609.344 m).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS fitness;
DROP SCHEMA IF EXISTS fitness CASCADE;
RESET client_min_messages;
CREATE EXTENSION fitness;

SELECT fitness.lb_to_kg(1) AS one_lb, fitness.lb_to_kg(100) AS hundred_lb,
       round(fitness.lb_to_kg(225), 2) AS plate_225, round(fitness.lb_to_kg(45), 3) AS bar_45;

SELECT round(fitness.kg_to_lb(1), 6) AS one_kg, round(fitness.kg_to_lb(100), 2) AS hundred_kg,
       round(fitness.kg_to_lb(0.45359237), 10) AS exact_one_lb;

-- Round trips agree to 12 decimals (kg_to_lb divides, so its result is not exact).
SELECT w, round(fitness.kg_to_lb(fitness.lb_to_kg(w)), 12) = w AS lb_kg_lb,
       round(fitness.lb_to_kg(fitness.kg_to_lb(w)), 12) = w AS kg_lb_kg
FROM (VALUES (0::numeric), (1), (2.5), (142.5), (315), (1234.5678)) AS t(w) ORDER BY w;

SELECT fitness.mile_to_m(1) AS mile, fitness.mile_to_m(0.5) AS half_mile,
       round(fitness.mile_to_m(26.21875), 3) AS marathon_miles,
       fitness.km_to_m(1) AS km, fitness.km_to_m(42.195) AS marathon_km, fitness.km_to_m(0.4) AS lap;

SELECT fitness.lb_to_kg(NULL) IS NULL AS a, fitness.kg_to_lb(NULL) IS NULL AS b,
       fitness.mile_to_m(NULL) IS NULL AS c, fitness.km_to_m(NULL) IS NULL AS d;

DROP EXTENSION fitness;
DROP SCHEMA fitness;
