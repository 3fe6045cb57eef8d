#!/usr/bin/env bash
# make bench: the loader benchmark, then the model-runner benchmark (scripts/bench-runner.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${BENCH_ROWS:-1000000}"
OUT=bench/out; mkdir -p "$OUT"
CSV="$OUT/hevy-$ROWS.csv"
BIN=.build/release/fitdata
[ -f "$CSV" ] || python3 bench/gen_hevy_csv.py "$ROWS" "$CSV"
DB=fitdata_bench
dropdb --if-exists "$DB" >/dev/null 2>&1; createdb "$DB"
URL="dbname=$DB"
"$BIN" db init --database-url "$URL" >/dev/null

echo "== loader: $ROWS sets, $(du -h "$CSV" | cut -f1)"
psql -d "$DB" -qc "CREATE TABLE flat (title text, start_time text, end_time text, description text, exercise_title text,
  superset_id int, exercise_notes text, set_index int, set_type text, weight_kg numeric, reps int, distance_km numeric,
  duration_seconds int, rpe numeric)"
t0=$(date +%s.%N)
psql -d "$DB" -qc "\\copy flat FROM '$CSV' WITH (FORMAT csv, HEADER true)"
t1=$(date +%s.%N)
COPY_S=$(python3 -c "print($t1 - $t0)")

/usr/bin/time -v "$BIN" load hevy-csv "$CSV" --database-url "$URL" --athlete bench --timezone UTC >"$OUT/load.out" 2>"$OUT/load.time"
LOAD_S=$(grep "Elapsed (wall clock)" "$OUT/load.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
RSS_KB=$(grep "Maximum resident set size" "$OUT/load.time" | awk '{print $NF}')
SETS=$(psql -d "$DB" -Atc "SELECT count(*) FROM core.sets")
/usr/bin/time -v "$BIN" load hevy-csv "$CSV" --database-url "$URL" --athlete bench >"$OUT/reload.out" 2>"$OUT/reload.time"
RELOAD_S=$(grep "Elapsed (wall clock)" "$OUT/reload.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')

python3 - "$ROWS" "$COPY_S" "$LOAD_S" "$RSS_KB" "$RELOAD_S" <<'PY'
import sys
rows, copy_s, load_s, rss_kb, reload_s = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"psql \\copy into one flat table : {copy_s:6.2f} s  {rows / copy_s:9.0f} rows/s")
print(f"fitdata load hevy-csv into core : {load_s:6.2f} s  {rows / load_s:9.0f} rows/s  peak RSS {rss_kb / 1024:.0f} MB  ({load_s / copy_s:.2f}x \\copy)")
print(f"second load (all unchanged)     : {reload_s:6.2f} s")
PY
echo "sets in core: $SETS"
dropdb "$DB"

if [ "${BENCH_RUNNER:-1}" = 1 ] && [ -x scripts/bench-runner.sh ]; then scripts/bench-runner.sh; fi
