#!/usr/bin/env bash
# Loads a many-athlete sample (`fitdata sample --athletes N --out DIR`) into the configured PostgreSQL:
#   fitdata db init, then for every row of DIR/athletes.csv
#     fitdata load hevy-csv    <hevy_csv>      --athlete ID --timezone TZ --max-rejects 0
#     fitdata load nutrition   <nutrition_csv> --athlete ID --format FORMAT --max-rejects 0
#     fitdata load body-weight <body_weight_csv> --athlete ID --max-rejects 0   (when the athlete has one)
#     fitdata targets set --athlete ID --from TARGETS_FROM --kcal K --protein-g P --sessions-per-week S
# one athlete per process chain, LOAD_JOBS chains at a time (loads of any kind commit one at a time:
# the loaders' `fit_load` lock; parallel chains overlap the parsing and process start-up with it).
# The build is separate: `fitdata build --project-dir dbt_style_models`.
#
# Usage: scripts/load-sample-athletes.sh DIR
# Environment: FITDATA (binary, default .build/debug/fitdata; use .build/release/fitdata for big loads),
#   LOAD_JOBS (default 2), DATABASE_URL / PG* (connection). Per-athlete output: DIR/load-logs/<id>.log.
# Exit status: 0 every athlete loaded with zero rejects; 1 some athlete failed (listed); 2 bad usage.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FITDATA="${FITDATA:-$ROOT/.build/debug/fitdata}"
JOBS="${LOAD_JOBS:-2}"
DIR="${1:-}"
say() { printf 'load-sample-athletes: %s\n' "$*" >&2; }
[ -n "$DIR" ] && [ $# -eq 1 ] || { say "usage: scripts/load-sample-athletes.sh DIR"; exit 2; }
MANIFEST="$DIR/athletes.csv"
[ -f "$MANIFEST" ] || { say "$MANIFEST: no such file (write it with: fitdata sample --athletes N --out $DIR)"; exit 2; }
[ -x "$FITDATA" ] || { say "fitdata binary not found at $FITDATA"; exit 2; }
HEADER="$(head -n 1 "$MANIFEST")"
[ "$HEADER" = "athlete_id,timezone,split,sessions_per_week,units,hevy_csv,nutrition_csv,nutrition_format,body_weight_csv,targets_from,kcal_target,protein_g_target" ] \
  || { say "$MANIFEST line 1: unexpected header: $HEADER"; exit 2; }
LOGS="$DIR/load-logs"
mkdir -p "$LOGS"

# One athlete: its loads in order; stdout/stderr into its log; prints the id on failure.
load_one() {
  local line="$1" id tz split spw units hevy nutrition format bw from kcal protein
  IFS=, read -r id tz split spw units hevy nutrition format bw from kcal protein <<<"$line"
  local log="$LOGS/$id.log"
  {
    "$FITDATA" load hevy-csv "$DIR/$hevy" --athlete "$id" --timezone "$tz" --max-rejects 0 &&
    "$FITDATA" load nutrition "$DIR/$nutrition" --athlete "$id" --format "$format" --max-rejects 0 &&
    { [ -z "$bw" ] || "$FITDATA" load body-weight "$DIR/$bw" --athlete "$id" --max-rejects 0; } &&
    "$FITDATA" targets set --athlete "$id" --from "$from" --kcal "$kcal" --protein-g "$protein" --sessions-per-week "$spw"
  } >"$log" 2>&1 || echo "$id"
}
export -f load_one
export FITDATA DIR LOGS

say "fitdata db init"
"$FITDATA" db init >/dev/null
total=$(($(wc -l <"$MANIFEST") - 1))
say "loading $total athletes from $MANIFEST, $JOBS at a time (logs in $LOGS)"
start=$(date +%s.%N)
failed="$(tail -n +2 "$MANIFEST" | tr '\n' '\0' | xargs -0 -P "$JOBS" -I{} bash -c 'load_one "$1"' _ {})"
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ -n "$failed" ]; then
  say "$(wc -l <<<"$failed") athlete(s) failed after ${secs}s; see their logs: $(tr '\n' ' ' <<<"$failed")"
  exit 1
fi
say "loaded $total athletes in ${secs}s"
