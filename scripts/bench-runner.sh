#!/usr/bin/env bash
# Model-runner benchmark (make bench, runner part): generated layered projects of 10/100/500 models over a
# 20k-row source; `fitdata build` (1 and 2 threads) vs the floor (the same compiled SQL run serially by
# `psql -f`), vs `dbt build` when .venv-dbt/bin/dbt exists; plus parse+compile of 1,000 models and peak memory.
# Env: FITDATA_BIN (default .build/release/fitdata), BENCH_RUNNER_SIZES ("10 100 500"), BENCH_REPEAT (3),
#      PG* / DATABASE_URL-free: uses database fitdata_bench_runner on the current PG* server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${FITDATA_BIN:-.build/release/fitdata}"
SIZES="${BENCH_RUNNER_SIZES:-10 100 500}"
REPEAT="${BENCH_REPEAT:-3}"
OUT=bench/out/runner
mkdir -p "$OUT"
DB=fitdata_bench_runner
DBT="${BENCH_DBT-.venv-dbt/bin/dbt}"   # BENCH_DBT= (empty) skips dbt
[ -x "$BIN" ] || { echo "missing $BIN (run: swift build -c release)" >&2; exit 2; }

dropdb --if-exists "$DB" >/dev/null 2>&1 || true
createdb "$DB"
psql -X -q -d "$DB" -c "CREATE SCHEMA bench_raw;
  CREATE TABLE bench_raw.events AS
  SELECT g AS id, 'athlete_' || (g % 5) AS athlete, (ARRAY['squat','bench','deadlift','row','press'])[1 + g % 5] AS kind,
         1 + g % 12 AS reps, round((20 + (g % 180))::numeric, 1) AS weight_kg, DATE '2024-01-01' + (g % 700) AS day
    FROM generate_series(1, 20000) g;
  ALTER TABLE bench_raw.events ADD PRIMARY KEY (id); ANALYZE bench_raw.events;"

reset_db() {
  psql -X -q -d "$DB" -c "DROP SCHEMA IF EXISTS bench_staging, bench_intermediate, bench_marts CASCADE" 2>/dev/null
}
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
# best_of CMD...: runs a fresh build REPEAT times (resetting first), prints the best wall time in seconds.
best_of() {
  local best=""
  for _ in $(seq "$REPEAT"); do
    reset_db
    local t0; t0=$(now)
    "$@" >"$OUT/last.log" 2>&1 || { echo "command failed: $*" >&2; tail -20 "$OUT/last.log" >&2; exit 1; }
    local t1; t1=$(now)
    local s; s=$(secs "$t0" "$t1")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then best=$s; fi
  done
  echo "$best"
}

if [ -n "$DBT" ] && [ -x "$DBT" ]; then
  cat >"$OUT/profiles.yml" <<YML
bench:
  target: dev
  outputs:
    dev:
      type: postgres
      host: "${PGHOST:-localhost}"
      port: ${PGPORT:-5432}
      user: "${PGUSER:-postgres}"
      password: "${PGPASSWORD:-}"
      dbname: $DB
      schema: public
      threads: 1
YML
fi

RESULTS="$OUT/results.md"
{
  echo "| models | floor (psql -f) | fitdata build | ratio | fitdata --threads 2 | rebuild (existing) | dbt build | peak RSS |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$RESULTS"

for N in $SIZES; do
  P="$OUT/p$N"
  rm -rf "$P"
  python3 bench/runner/generate.py "$N" "$P"
  "$BIN" compile --project-dir "$P" >/dev/null
  python3 bench/runner/floor.py "$P" >"$OUT/floor$N.sql"
  FLOOR=$(best_of psql -X -q -d "$DB" -f "$OUT/floor$N.sql")
  OURS=$(best_of "$BIN" build --project-dir "$P" --database-url "dbname=$DB")
  OURS2=$(best_of "$BIN" build --project-dir "$P" --database-url "dbname=$DB" --threads 2)
  # A rebuild over existing relations (the daily case: swaps, dependent views kept).
  reset_db; "$BIN" build --project-dir "$P" --database-url "dbname=$DB" >/dev/null
  t0=$(now); "$BIN" build --project-dir "$P" --database-url "dbname=$DB" >/dev/null; t1=$(now); REBUILD=$(secs "$t0" "$t1")
  reset_db
  /usr/bin/time -v "$BIN" build --project-dir "$P" --database-url "dbname=$DB" >/dev/null 2>"$OUT/time$N.txt"
  RSS_MB=$(awk '/Maximum resident set size/ {printf "%.0f", $NF/1024}' "$OUT/time$N.txt")
  DBT_S="n/a"
  if [ -n "$DBT" ] && [ -x "$DBT" ]; then
    DBT_S=$(best_of "$DBT" build --project-dir "$P" --profiles-dir "$OUT" --threads 1 --quiet)
  fi
  RATIO=$(python3 -c "print(f'{$OURS / $FLOOR:.2f}x')")
  echo "| $N | ${FLOOR}s | ${OURS}s | $RATIO | ${OURS2}s | ${REBUILD}s | ${DBT_S}$( [ "$DBT_S" = n/a ] || echo s) | ${RSS_MB} MB |" >>"$RESULTS"
  echo "size $N: floor ${FLOOR}s, fitdata ${OURS}s ($RATIO), threads=2 ${OURS2}s, rebuild ${REBUILD}s, dbt ${DBT_S}, ${RSS_MB} MB"
done

# Parse + compile of 1,000 models (no database), best of REPEAT, including process start.
P="$OUT/p1000"
rm -rf "$P"
python3 bench/runner/generate.py 1000 "$P"
BEST=""
for _ in $(seq "$REPEAT"); do
  t0=$(now); "$BIN" compile --project-dir "$P" >/dev/null; t1=$(now)
  s=$(secs "$t0" "$t1")
  if [ -z "$BEST" ] || python3 -c "import sys; sys.exit(0 if $s < $BEST else 1)"; then BEST=$s; fi
done
/usr/bin/time -v "$BIN" compile --project-dir "$P" >/dev/null 2>"$OUT/time-compile.txt"
CRSS=$(awk '/Maximum resident set size/ {printf "%.0f", $NF/1024}' "$OUT/time-compile.txt")
echo "" >>"$RESULTS"
echo "parse + compile of 1,000 models (+1,000 tests): ${BEST}s, peak RSS ${CRSS} MB" >>"$RESULTS"
echo "compile 1000 models: ${BEST}s (${CRSS} MB)"
echo
cat "$RESULTS"
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
