#!/usr/bin/env bash
# The three typical dashboard queries (docs/scaling.md "Dashboard queries"), as the dashboard and the weekly report run
# them, each with EXPLAIN (ANALYZE, BUFFERS), second run of each (warm cache). Reads the marts of the PG* database.
#
# Usage: scripts/bench-dashboard.sh PLANS_FILE [COPIES]
#   COPIES > 1: first copies mart_exercise_progression, mart_weekly_training and mart_weekly_report COPIES times into
#   schema dashboard_scale (athlete ids suffixed -c1 … -cN, the models' indexes), and queries those: the tables at
#   COPIES times the athletes, for when loading that many athletes is out of reach. Prints one line per query.
set -euo pipefail
PLANS="${1:?usage: scripts/bench-dashboard.sh PLANS_FILE [COPIES]}"
COPIES="${2:-1}"
SCHEMA=marts
if [ "$COPIES" -gt 1 ]; then
  SCHEMA=dashboard_scale
  copy_sql() {   # the table's columns, athlete_id suffixed with the copy number
    local cols
    cols="$(psql -Atqc "SELECT string_agg(CASE WHEN column_name = 'athlete_id' THEN 'athlete_id || ''-c'' || c AS athlete_id'
                                              ELSE quote_ident(column_name) END, ', ' ORDER BY ordinal_position)
                       FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = '$1'")"
    printf 'CREATE TABLE dashboard_scale.%s AS SELECT %s FROM marts.%s, generate_series(1, %s) AS c %s;\n' "$1" "$cols" "$1" "$COPIES" "$2"
  }
  {
    printf 'DROP SCHEMA IF EXISTS dashboard_scale CASCADE;\nCREATE SCHEMA dashboard_scale;\n'
    copy_sql mart_exercise_progression ""
    copy_sql mart_weekly_training "ORDER BY week_start, c"
    copy_sql mart_weekly_report ""
    cat <<SQL
CREATE INDEX ON dashboard_scale.mart_exercise_progression (athlete_id, exercise_id, week_start);
CREATE INDEX ON dashboard_scale.mart_exercise_progression (athlete_id, week_start);
CREATE INDEX ON dashboard_scale.mart_weekly_training (athlete_id, week_start);
CREATE INDEX ON dashboard_scale.mart_weekly_training (week_start);
CREATE INDEX ON dashboard_scale.mart_weekly_report (athlete_id, week_start);
ANALYZE dashboard_scale.mart_exercise_progression, dashboard_scale.mart_weekly_training, dashboard_scale.mart_weekly_report;
SQL
  } | psql -qX -v ON_ERROR_STOP=1
fi
SUFFIX=""; [ "$COPIES" -gt 1 ] && SUFFIX="-c$COPIES"
count="$(psql -Atqc "SELECT count(DISTINCT athlete_id) FROM $SCHEMA.mart_weekly_training")"
ATHLETE="$(psql -Atqc "SELECT athlete_id FROM $SCHEMA.mart_weekly_training WHERE athlete_id LIKE '%$SUFFIX' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")"
WEEK="$(psql -Atqc "SELECT max(week_start) - 7 FROM $SCHEMA.mart_weekly_training")"
EXERCISE="$(psql -Atqc "SELECT exercise_id FROM $SCHEMA.mart_exercise_progression WHERE athlete_id = '$ATHLETE' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")"
printf -- '-- %s athletes in %s (%s rows in mart_exercise_progression, %s in mart_weekly_training)\n\n' "$count" "$SCHEMA" \
  "$(psql -Atqc "SELECT count(*) FROM $SCHEMA.mart_exercise_progression")" "$(psql -Atqc "SELECT count(*) FROM $SCHEMA.mart_weekly_training")" >"$PLANS"
explain() {
  local name="$1" sql="$2" out
  psql -Atqc "EXPLAIN (ANALYZE, BUFFERS) $sql" >/dev/null
  out="$(psql -Atqc "EXPLAIN (ANALYZE, BUFFERS) $sql")"
  printf -- '-- %s\n%s;\n%s\n\n' "$name" "$sql" "$out" >>"$PLANS"
  printf 'dashboard query (%s athletes), %s: %s ms\n' "$count" "$name" "$(sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p' <<<"$out")"
}
explain "one athlete's progression ($ATHLETE, exercise $EXERCISE)" \
  "SELECT week_start, best_e1rm_kg, top_set_weight_kg, top_set_reps, e1rm_change_4w_kg, is_e1rm_pr, is_weight_pr FROM $SCHEMA.mart_exercise_progression WHERE athlete_id = '$ATHLETE' AND exercise_id = $EXERCISE ORDER BY week_start"
explain "one week across athletes ($WEEK)" \
  "SELECT athlete_id, sessions, training_days, hard_sets, tonnage_kg, target_sessions, adherence_pct FROM $SCHEMA.mart_weekly_training WHERE week_start = date '$WEEK' ORDER BY athlete_id"
explain "one athlete's weekly report facts: the week's row ($ATHLETE, $WEEK)" \
  "SELECT to_jsonb(r)::text FROM $SCHEMA.mart_weekly_report r WHERE athlete_id = '$ATHLETE' AND week_start = date '$WEEK'"
explain "one athlete's weekly report facts: the week's PRs" \
  "SELECT exercise_title, is_weight_pr, is_e1rm_pr, is_best_set_pr, is_session_tonnage_pr, best_e1rm_kg, top_set_weight_kg, top_set_reps FROM $SCHEMA.mart_exercise_progression WHERE athlete_id = '$ATHLETE' AND week_start = date '$WEEK' AND (is_weight_pr OR is_e1rm_pr OR is_best_set_pr OR is_session_tonnage_pr) ORDER BY exercise_title, exercise_id"
explain "one athlete's weekly report facts: 5 weeks of session adherence" \
  "SELECT week_start, adherence_pct FROM $SCHEMA.mart_weekly_training WHERE athlete_id = '$ATHLETE' AND week_start BETWEEN date '$WEEK' - 28 AND date '$WEEK'"
