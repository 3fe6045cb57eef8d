#!/usr/bin/env bash
# make bench: the loader benchmark, then the model-runner benchmark (scripts/bench-runner.sh).
# Loader: BENCH_ROWS sets (default 1,000,000) loaded into core by `fitdata load hevy-csv` (an initial load into a
# fresh database, then a reload of the same file), next to `psql \copy` of the same file into one flat typed table.
# BENCH_LOADER_ROUNDS rounds (default 3) alternate the two, each timed run after settle() below; the report gives the best of each and the median of the per-round ratios.
# BENCH_RUNNER=0 skips the runner part. FITDATA_BIN picks the binary (default .build/release/fitdata), e.g. to
# compare two builds in interleaved rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
ROWS="${BENCH_ROWS:-1000000}"
ROUNDS="${BENCH_LOADER_ROUNDS:-3}"
OUT=bench/out; mkdir -p "$OUT"
CSV="$OUT/hevy-$ROWS.csv"
BIN="${FITDATA_BIN:-.build/release/fitdata}"
[ -f "$CSV" ] || python3 bench/gen_hevy_csv.py "$ROWS" "$CSV"
DB=fitdata_bench
URL="dbname=$DB"
wall() { grep "Elapsed (wall clock)" "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
# before each timed run (scripts/bench-lib.sh): VACUUM ANALYZE, so autovacuum of the previous run's million rows
# does not land inside the next timing, and CHECKPOINT, so no run pays for the previous one's dirty pages
settle() { bench_settle "$DB" ANALYZE; }

echo "== loader: $ROWS sets, $(du -h "$CSV" | cut -f1), $ROUNDS rounds"
RESULTS="$OUT/loader-rounds.txt"; : >"$RESULTS"
for round in $(seq "$ROUNDS"); do
  dropdb --if-exists "$DB" >/dev/null 2>&1; createdb "$DB"
  "$BIN" db init --database-url "$URL" >/dev/null
  psql -X -d "$DB" -qc "CREATE TABLE flat (title text, start_time text, end_time text, description text, exercise_title text,
    superset_id int, exercise_notes text, set_index int, set_type text, weight_kg numeric, reps int, distance_km numeric,
    duration_seconds int, rpe numeric)"
  settle
  t0=$(now); psql -X -d "$DB" -qc "\\copy flat FROM '$CSV' WITH (FORMAT csv, HEADER true)"; t1=$(now)
  COPY_S=$(python3 -c "print($t1 - $t0)")
  settle
  /usr/bin/time -v "$BIN" load hevy-csv "$CSV" --database-url "$URL" --athlete bench --timezone UTC >"$OUT/load.out" 2>"$OUT/load.time"
  SETS=$(psql -X -d "$DB" -Atc "SELECT count(*) FROM core.sets")
  [ "$SETS" = "$ROWS" ] || { echo "expected $ROWS sets in core, found $SETS" >&2; cat "$OUT/load.out" >&2; exit 1; }
  settle
  /usr/bin/time -v "$BIN" load hevy-csv "$CSV" --database-url "$URL" --athlete bench >"$OUT/reload.out" 2>"$OUT/reload.time"
  RSS_KB=$(grep "Maximum resident set size" "$OUT/load.time" | awk '{print $NF}')
  echo "$COPY_S $(wall "$OUT/load.time") $RSS_KB $(wall "$OUT/reload.time")" >>"$RESULTS"
done
dropdb "$DB"

python3 - "$ROWS" "$RESULTS" <<'PY'
import statistics, sys
rows = int(sys.argv[1])
runs = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
copy = [r[0] for r in runs]; load = [r[1] for r in runs]; rss = [r[2] for r in runs]; reload = [r[3] for r in runs]
for i, r in enumerate(runs, 1):
    print(f"round {i}: \\copy {r[0]:5.2f} s   fitdata load {r[1]:5.2f} s ({r[1] / r[0]:.2f}x)   reload {r[3]:5.2f} s")
print(f"psql \\copy into one flat table : best {min(copy):5.2f} s  {rows / min(copy):9.0f} rows/s")
print(f"fitdata load hevy-csv into core : best {min(load):5.2f} s  {rows / min(load):9.0f} rows/s  peak RSS {max(rss) / 1024:.0f} MB")
print(f"ratio: best/best {min(load) / min(copy):.2f}x, median of rounds {statistics.median(l / c for l, c in zip(load, copy)):.2f}x")
print(f"second load (all unchanged)     : best {min(reload):5.2f} s")
PY

if [ "${BENCH_RUNNER:-1}" = 1 ] && [ -x scripts/bench-runner.sh ]; then scripts/bench-runner.sh; fi
