-- 0015: an index on the date of each athlete table dim_date reads, so that the calendar's first and last day are one
-- index step each (docs/scaling.md "Incremental marts"). dim_date is rebuilt whole whenever data changes; before,
-- it took the minimum and maximum over every row of the history (2.4 s a build at 1,000 athletes x 5 years). A query
-- per athlete through the (athlete, date) keys would do the same on one server but not on Citus, which cannot join a
-- reference table laterally to distributed ones; a minimum over a distributed table is taken on each shard, through
-- that shard's index.
CREATE INDEX workouts_local_date_idx ON core.workouts (local_date);
CREATE INDEX nutrition_days_date_idx ON core.nutrition_days (date);
CREATE INDEX body_measurements_date_idx ON core.body_measurements (date);
