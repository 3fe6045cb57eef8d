#!/usr/bin/env bash
# Interleaved A/B(/…) rounds of the 1M-set initial load, for comparing builds on a noisy machine.
# Usage: scripts/bench-ab.sh ROUNDS NAME=BINARY [NAME=BINARY ...]
# Each round: a fresh database, `psql \copy` of the CSV into one flat table (the floor), then each binary's
# `fitdata load hevy-csv` into a fresh database, the order rotating between rounds, every timed run after
# bench_settle. Prints per run: wall s, ratio to the round's \copy, user+sys CPU s of the fitdata process, peak RSS.
# The CPU seconds of the client are what a build flag changes, and they move far less than wall time when
# other work shares the machine. BENCH_ROWS as in scripts/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
ROUNDS="$1"; shift
ARMS=("$@")
ROWS="${BENCH_ROWS:-1000000}"
OUT=bench/out; mkdir -p "$OUT"
CSV="$OUT/hevy-$ROWS.csv"
[ -f "$CSV" ] || python3 bench/gen_hevy_csv.py "$ROWS" "$CSV"
DB=fitdata_bench_ab
fresh() {
  dropdb --if-exists "$DB" >/dev/null 2>&1; createdb "$DB"
  "$1" db init --database-url "dbname=$DB" >/dev/null
}
field() { grep "$1" "$2" | awk '{print $NF}'; }
echo "round arm wall_s ratio_to_copy cpu_s rss_mb"
for round in $(seq "$ROUNDS"); do
  fresh "${ARMS[0]#*=}"
  psql -X -d "$DB" -qc "CREATE TABLE flat (title text, start_time text, end_time text, description text, exercise_title text,
    superset_id int, exercise_notes text, set_index int, set_type text, weight_kg numeric, reps int, distance_km numeric,
    duration_seconds int, rpe numeric)"
  bench_settle "$DB" ANALYZE
  t0=$(now); psql -X -d "$DB" -qc "\\copy flat FROM '$CSV' WITH (FORMAT csv, HEADER true)"; t1=$(now)
  COPY_S=$(python3 -c "print(round($t1 - $t0, 2))")
  echo "$round copy $COPY_S 1.00 - -"
  n=${#ARMS[@]}
  for k in $(seq 0 $((n - 1))); do
    arm="${ARMS[$(( (k + round - 1) % n ))]}"
    name="${arm%%=*}"; bin="${arm#*=}"
    fresh "$bin"; bench_settle "$DB"
    /usr/bin/time -v "$bin" load hevy-csv "$CSV" --database-url "dbname=$DB" --athlete bench --timezone UTC >"$OUT/ab.out" 2>"$OUT/ab.time"
    SETS=$(psql -X -d "$DB" -Atc "SELECT count(*) FROM core.sets")
    [ "$SETS" = "$ROWS" ] || { echo "$name: expected $ROWS sets, found $SETS" >&2; exit 1; }
    WALL=$(grep "Elapsed (wall clock)" "$OUT/ab.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    CPU=$(python3 -c "print(round($(field 'User time' "$OUT/ab.time") + $(field 'System time' "$OUT/ab.time"), 2))")
    RSS=$(( $(field 'Maximum resident set size' "$OUT/ab.time") / 1024 ))
    echo "$round $name $WALL $(python3 -c "print(round($WALL / $COPY_S, 2))") $CPU $RSS"
  done
done
dropdb "$DB"
