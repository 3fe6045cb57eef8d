-- Deterministic diet and body-weight rows for the sample athlete `me`, so that the diet marts have data in
-- `make build-marts` / `make compat-dbt` until `fitdata sample` writes nutrition and body-weight files
-- (issue 12, item 5). scripts/build-marts.sh applies it only when core has no nutrition and no body weight.
-- Shape, over the athlete's workout date range: ~1 day in 8 not logged and one whole week not logged;
-- Cronometer most days, MyFitnessPal alone for the first 3 weeks and beside Cronometer every 5th day (the
-- winner rule); weigh-ins about 4 days a week with a slow loss, a 2-week gap, Hevy and a CSV on some
-- same days; dated targets from the 9th week. Pseudo-random values come from hashtext(), so every run is identical.
\set ON_ERROR_STOP on
begin;

with me as (
    select a.athlete_sk, min(w.local_date) as first_day, max(w.local_date) as last_day
    from core.athletes a join core.workouts w on w.athlete_sk = a.athlete_sk
    where a.athlete_id = 'me'
    group by a.athlete_sk
),
days as (
    select me.athlete_sk, me.first_day, cast(d as date) as day, cast(d as date) - me.first_day as n
    from me cross join lateral generate_series(me.first_day, me.last_day, interval '1 day') as d
),
logged as (
    select *, abs(hashtext('k' || day)) % 700 as k, abs(hashtext('p' || day)) % 50 as p
    from days
    where abs(hashtext('log' || day)) % 8 <> 0      -- ~1 day in 8 not logged
      and n / 7 <> 10                                -- the 11th week not logged at all
)
insert into core.nutrition_days (athlete_sk, date, source, kcal, protein_g, carbs_g, fat_g, fiber_g)
select athlete_sk, day, 'cronometer', 2250 + k + 0.25, 130 + p + 0.5, 250 + k / 4, 70 + p / 2, 25 + p % 10
from logged where n >= 21
union all
select athlete_sk, day, 'myfitnesspal', 2300 + k, 125 + p, 260 + k / 4, 75 + p / 2, 20 + p % 10
from logged where n < 21 or n % 5 = 0;

with me as (
    select a.athlete_sk, min(w.local_date) as first_day, max(w.local_date) as last_day
    from core.athletes a join core.workouts w on w.athlete_sk = a.athlete_sk
    where a.athlete_id = 'me'
    group by a.athlete_sk
),
days as (
    select me.athlete_sk, cast(d as date) as day, cast(d as date) - me.first_day as n
    from me cross join lateral generate_series(me.first_day + 3, me.last_day - 2, interval '1 day') as d
),
weighed as (
    select *, round(84 - 0.02 * n + (abs(hashtext('w' || day)) % 120 - 60) / 100.0, 2) as kg
    from days
    where abs(hashtext('weigh' || day)) % 7 < 4      -- about 4 weigh-ins a week
      and n / 7 not in (14, 15)                      -- a 2-week gap
)
insert into core.body_measurements (athlete_sk, date, source, weight_kg)
select athlete_sk, day, 'csv', kg from weighed
union all
select athlete_sk, day, 'hevy_api', kg - 0.3 from weighed where n % 6 = 0;

insert into core.athlete_targets (athlete_sk, effective_from, kcal, protein_g, sessions_per_week, source)
select a.athlete_sk, min(w.local_date) + 56, 2500, 165, 4, 'cli'
from core.athletes a join core.workouts w on w.athlete_sk = a.athlete_sk
where a.athlete_id = 'me'
group by a.athlete_sk;

commit;
