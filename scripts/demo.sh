#!/usr/bin/env bash
# make demo: the main job end to end on the configured (default: private local) PostgreSQL.
# Creates the database `fitdata_demo`, initializes it, writes a synthetic athlete in the real
# export formats (training, nutrition, body weight), loads it, builds the marts and shows what landed.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/debug/fitdata
DB="${DEMO_DATABASE:-fitdata_demo}"
OUT=demo-out
SAMPLE_END=2026-11-22                                   # a Sunday: the sample's last complete ISO week
SAMPLE_WEEK="$(date -u -d "$SAMPLE_END" +%G-W%V)"
if [ -n "${DATABASE_URL:-}" ]; then URL="$DATABASE_URL"; else
  psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 || createdb "$DB"
  URL="dbname=$DB"
fi
export DATABASE_URL="$URL"

echo "== fitdata db init";                 "$BIN" db init
echo "== fitdata sample --weeks 26";       "$BIN" sample --weeks 26 --seed 42 --end-date "$SAMPLE_END" --out "$OUT" >/dev/null
echo "== fitdata load hevy-csv";           "$BIN" load hevy-csv "$OUT"/hevy_workouts.csv --athlete me --timezone Europe/Lisbon
echo "== loading it again changes nothing"; "$BIN" load hevy-csv "$OUT"/hevy_workouts.csv --athlete me | sed -n 2,3p
echo "== fitdata load nutrition";          "$BIN" load nutrition "$OUT"/cronometer_dailysummary.csv --athlete me
echo "== fitdata load body-weight";        "$BIN" load body-weight "$OUT"/body_weight.csv --athlete me
if "$BIN" build --help >/dev/null 2>&1; then
  echo "== fitdata build (staging → intermediate → marts)"
  "$BIN" build --project-dir dbt_style_models
fi
echo "== what landed in core"
psql -d "${DATABASE_URL}" -P pager=off -c "
  SELECT a.athlete_id, a.timezone, count(DISTINCT w.workout_sk) AS workouts, count(s.set_sk) AS sets,
         min(w.local_date) AS first_day, max(w.local_date) AS last_day
  FROM core.athletes a JOIN core.workouts w USING (athlete_sk)
  JOIN core.workout_exercises we USING (workout_sk) JOIN core.sets s USING (workout_exercise_sk)
  GROUP BY 1, 2"
if psql -d "${DATABASE_URL}" -Atqc "SELECT to_regclass('marts.mart_weekly_training') IS NOT NULL" | grep -q t; then
  echo "== the last four weeks (marts.mart_weekly_training)"
  psql -d "${DATABASE_URL}" -P pager=off -c "
    SELECT iso_week, sessions, hard_sets, round(tonnage_kg) AS tonnage_kg, adherence_pct
    FROM marts.mart_weekly_training WHERE athlete_id = 'me' ORDER BY week_start DESC LIMIT 4"
  echo "== training and diet, the last four weeks (marts.mart_weekly_training_diet)"
  psql -d "${DATABASE_URL}" -P pager=off -c "
    SELECT iso_week, sessions, round(avg_kcal) AS avg_kcal, round(avg_protein_g) AS avg_protein_g, days_logged,
           diet_adherence_pct, trend_weight_change_kg, round(energy_balance_kcal_per_day) AS balance_kcal_per_day
    FROM marts.mart_weekly_training_diet WHERE athlete_id = 'me' ORDER BY week_start DESC LIMIT 4"
fi
echo "== fitdata report weekly (the sample athlete's latest week, $SAMPLE_WEEK; provider none)"
# The sample ends on a fixed Sunday so the demo stays repeatable; on live data use --week latest.
"$BIN" report weekly --athlete me --week "$SAMPLE_WEEK" --llm none --out "$OUT/reports"
echo "== fitdata dashboard (static HTML from the marts, docs/dashboard.md)"
DASHBOARD=$("$BIN" dashboard --athlete me --out "$OUT")
echo "demo database: $DB (query it with: psql -d $DB)"
echo "weekly report: $OUT/reports/me/$SAMPLE_WEEK.html (also .md and .json beside it)"
echo "dashboard: $DASHBOARD"
