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
COPY_S=$(echo "$t1 - $t0" | bc)

/usr/bin/time -v "$BIN" load hevy-csv "$CSV" --database-url "$URL" --athlete bench --timezone UTC >"$OUT/load.out" 2>"$OUT/load.time"
LOAD_S=$(grep "Elapsed (wall clock)" "$OUT/load.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
RSS_KB=$(grep "Maximum resident set size" "$OUT/load.time" | awk '{print $NF}')
SETS=$(psql -d "$DB" -Atc "SELECT count(*) FROM core.sets")
/usr/bin/time -v "$BIN" load hevy-csv "$CSV" --database-url "$URL" --athlete bench >"$OUT/reload.out" 2>"$OUT/reload.time"
RELOAD_S=$(grep "Elapsed (wall clock)" "$OUT/reload.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')

printf "psql \\\\copy into one flat table : %6.2f s  %9.0f rows/s\n" "$COPY_S" "$(echo "$ROWS / $COPY_S" | bc -l)"
printf "fitdata load hevy-csv into core : %6.2f s  %9.0f rows/s  peak RSS %d MB  (%.2fx \\\\copy)\n" "$LOAD_S" "$(echo "$ROWS / $LOAD_S" | bc -l)" "$((RSS_KB / 1024))" "$(echo "$LOAD_S / $COPY_S" | bc -l)"
printf "second load (all unchanged)     : %6.2f s\n" "$RELOAD_S"
echo "sets in core: $SETS"
dropdb "$DB"

if [ -x scripts/bench-runner.sh ]; then scripts/bench-runner.sh; fi
