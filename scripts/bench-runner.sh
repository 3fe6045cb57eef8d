#!/usr/bin/env bash
# Model-runner benchmark (make bench, runner part): generated layered projects of 10/100/500 models over a
# 20k-row source; `fitdata build` (1 thread, and the default: one per CPU core) vs the floor (the same compiled SQL run serially by
# `psql -f`, in the order the build runs the nodes; also timed in manifest order), vs `dbt build` when
# .venv-dbt/bin/dbt exists; plus parse+compile of 1,000 models (plain, and with Jinja, macros and packages) and
# peak memory.
# Floor and fitdata runs are interleaved in one loop (rotating order), each after the same reset + settle
# (VACUUM, CHECKPOINT, sync, autovacuum idle), so that neither side inherits a worse database state.
# Env: FITDATA_BIN (default .build/release/fitdata), BENCH_RUNNER_SIZES ("10 100 500"), BENCH_REPEAT (3 rounds),
#      BENCH_SMALL_REPEAT (rounds for sizes <= 100; default 3 x BENCH_REPEAT),
#      BENCH_DBT (dbt executable; empty skips dbt), BENCH_PROFILE=1 (one more floor and fitdata run per size
#      with server-side statement durations: bench/out/runner/profile<N>.txt), BENCH_SERVER_LOG (server log path),
#      PG* / DATABASE_URL-free: uses database fitdata_bench_runner on the current PG* server (superuser: it runs
#      CHECKPOINT and ALTER DATABASE … SET log_min_duration_statement).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh
BIN="${FITDATA_BIN:-.build/release/fitdata}"
SIZES="${BENCH_RUNNER_SIZES:-10 100 500}"
REPEAT="${BENCH_REPEAT:-3}"
# Sizes up to 100 models run in seconds, so short machine hiccups weigh more: 3x as many rounds by default.
SMALL_REPEAT="${BENCH_SMALL_REPEAT:-$(( REPEAT * 3 ))}"
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
# settle (scripts/bench-lib.sh) before every timed run: VACUUM of the whole database (dropping ~500 relations leaves
# dead rows in pg_class/pg_attribute/pg_depend/pg_type/...), CHECKPOINT (a 500-model build writes ~0.5 GB of WAL,
# about what triggers a checkpoint with max_wal_size = 1GB, so without it a checkpoint lands in some runs and not
# in others), sync, and a wait for autovacuum workers still busy with the relations just dropped.
settle() { bench_settle "$DB"; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
min_of() { python3 -c "import sys; print(f'{min(map(float, sys.argv[1:])):.2f}')" "$@"; }
# timed CMD...: runs CMD once (output to last.log), prints its wall time in seconds; exits on failure.
timed() {
  local t0 t1
  t0=$(now)
  "$@" >"$OUT/last.log" 2>&1 || { echo "command failed: $*" >&2; tail -20 "$OUT/last.log" >&2; exit 1; }
  t1=$(now)
  secs "$t0" "$t1"
}
# best_of CMD...: runs a fresh build REPEAT times (reset + settle first), prints the best wall time in seconds.
best_of() {
  local times=()
  for _ in $(seq "$REPEAT"); do
    reset_db; settle
    times+=("$(timed "$@")")
  done
  min_of "${times[@]}"
}
run_floor() { psql -X -q -d "$DB" -f "$OUT/floor$N.sql"; }
run_floor_manifest() { psql -X -q -d "$DB" -f "$OUT/floor$N-manifest.sql"; }
run_fitdata() { "$BIN" build --project-dir "$P" --database-url "dbname=$DB" --threads 1 "$@"; }
# The default --threads: the number of CPU cores.
run_fitdata2() { "$BIN" build --project-dir "$P" --database-url "dbname=$DB"; }
CORES=$(nproc)
# profile LABEL CMD...: one fresh run with every statement's duration logged (this database only), summarized by
# bench/runner/serverlog.py into profile$N.txt. Needs the server log file (BENCH_SERVER_LOG, or
# server.log next to the data directory, as scripts/localdb.sh starts it).
profile() {
  local label=$1; shift
  reset_db; settle
  local off t
  off=$(stat -c %s "$SERVER_LOG")
  t=$(timed "$@")
  sleep 0.5   # the server writes its log asynchronously to us
  python3 bench/runner/serverlog.py "$SERVER_LOG" "$off" "$label" "$t" | tee -a "$OUT/profile$N.txt"
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

SERVER_LOG="${BENCH_SERVER_LOG:-}"
if [ -n "${BENCH_PROFILE:-}" ] && [ -z "$SERVER_LOG" ]; then
  SERVER_LOG="$(dirname "$(psql -X -At -d "$DB" -c "SHOW data_directory")")/server.log"
fi
if [ -n "${BENCH_PROFILE:-}" ] && [ ! -r "$SERVER_LOG" ]; then
  echo "BENCH_PROFILE: cannot read the server log $SERVER_LOG (set BENCH_SERVER_LOG)" >&2; exit 2
fi

RESULTS="$OUT/results.md"
{
  echo "| models | floor (psql -f, build order) | fitdata build --threads 1 | ratio (best/best) | ratio per round | floor, manifest order | fitdata build (default: --threads $CORES) | rebuild (existing) | dbt build | peak RSS |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$RESULTS"

for N in $SIZES; do
  P="$OUT/p$N"
  rm -rf "$P"
  rm -f "$OUT/profile$N.txt"
  python3 bench/runner/generate.py "$N" "$P"
  "$BIN" compile --project-dir "$P" >/dev/null
  # Warm-up (untimed, also the peak-memory measurement): every run after it starts from a used catalog.
  reset_db; settle
  /usr/bin/time -v "$BIN" build --project-dir "$P" --database-url "dbname=$DB" >"$OUT/build$N.log" 2>"$OUT/time$N.txt"
  RSS_MB=$(awk '/Maximum resident set size/ {printf "%.0f", $NF/1024}' "$OUT/time$N.txt")
  # The floor runs the statements in the order the build ran the nodes (tests right after their model);
  # the manifest-order variant (most tests after all models) is timed too, for comparison.
  python3 bench/runner/floor.py "$P" "$OUT/build$N.log" >"$OUT/floor$N.sql"
  python3 bench/runner/floor.py "$P" >"$OUT/floor$N-manifest.sql"
  # Interleaved rounds: both floors, fitdata and fitdata --threads 2 run once per round, the order rotating
  # between rounds, each after reset + settle; best of REPEAT rounds for each, plus the per-round ratios.
  F=(); FM=(); O=(); O2=(); RB=()
  CMDS=(run_floor run_fitdata run_floor_manifest run_fitdata2)
  ROUNDS_N=$REPEAT
  [ "$N" -le 100 ] && ROUNDS_N=$SMALL_REPEAT
  for r in $(seq "$ROUNDS_N"); do
    for k in 0 1 2 3; do
      c=${CMDS[$(( (k + r - 1) % 4 ))]}
      reset_db; settle
      t=$(timed "$c")
      case $c in
        run_floor) F+=("$t") ;; run_floor_manifest) FM+=("$t") ;; run_fitdata2) O2+=("$t") ;;
        run_fitdata)
          O+=("$t")
          # A rebuild over the relations just built (the daily case: swaps, dependent views kept).
          settle
          RB+=("$(timed run_fitdata)") ;;
      esac
    done
  done
  FLOOR=$(min_of "${F[@]}"); FLOORM=$(min_of "${FM[@]}"); OURS=$(min_of "${O[@]}"); OURS2=$(min_of "${O2[@]}")
  ROUNDS=$(python3 -c "import sys; n = len(sys.argv) // 2; f, o = sys.argv[1:n + 1], sys.argv[n + 1:]
import statistics; r = [float(b) / float(a) for a, b in zip(f, o)]
print(' '.join(f'{x:.2f}' for x in r) + f' (median {statistics.median(r):.2f})')" "${F[@]}" "${O[@]}")
  echo "size $N rounds: floor ${F[*]}; fitdata ${O[*]}; floor (manifest order) ${FM[*]}; default threads ($CORES) ${O2[*]}; rebuild ${RB[*]}"
  REBUILD=$(min_of "${RB[@]}")
  DBT_S="n/a"
  if [ -n "$DBT" ] && [ -x "$DBT" ]; then
    DBT_S=$(best_of "$DBT" build --project-dir "$P" --profiles-dir "$OUT" --threads 1 --quiet)
  fi
  if [ -n "${BENCH_PROFILE:-}" ]; then
    psql -X -q -d "$DB" -c "ALTER DATABASE $DB SET log_min_duration_statement = 0"
    profile floor run_floor
    profile fitdata run_fitdata
    psql -X -q -d "$DB" -c "ALTER DATABASE $DB RESET log_min_duration_statement"
  fi
  RATIO=$(python3 -c "print(f'{$OURS / $FLOOR:.2f}x')")
  echo "| $N | ${FLOOR}s | ${OURS}s | $RATIO | ${ROUNDS} | ${FLOORM}s | ${OURS2}s | ${REBUILD}s | ${DBT_S}$( [ "$DBT_S" = n/a ] || echo s) | ${RSS_MB} MB |" >>"$RESULTS"
  echo "size $N: floor ${FLOOR}s, fitdata ${OURS}s ($RATIO; per round ${ROUNDS}), floor (manifest order) ${FLOORM}s, default threads ($CORES) ${OURS2}s, rebuild ${REBUILD}s, dbt ${DBT_S}, ${RSS_MB} MB"
done

# Parse + compile of 1,000 models (no database), best of REPEAT, including process start: the plain project, and
# the same graph written with Jinja, a project macro and packages (generate.py --jinja; dbt_utils too when
# COMPAT_PACKAGES_DIR, default ../shared/vendor/dbt-packages, has it).
UTILS="${COMPAT_PACKAGES_DIR:-../shared/vendor/dbt-packages}/dbt_utils"
echo "" >>"$RESULTS"
for variant in plain jinja; do
  P="$OUT/p1000-$variant"
  rm -rf "$P"
  if [ "$variant" = plain ]; then
    python3 bench/runner/generate.py 1000 "$P"
    label="parse + compile of 1,000 models (+1,000 tests)"
  else
    if [ -d "$UTILS" ]; then
      python3 bench/runner/generate.py 1000 "$P" --jinja --dbt-utils "$UTILS"
      label="parse + compile of 1,000 models (+1,000 tests) with set/for, a project macro, a local package's dispatched macro and dbt_utils.generate_surrogate_key"
    else
      python3 bench/runner/generate.py 1000 "$P" --jinja
      label="parse + compile of 1,000 models (+1,000 tests) with set/for, a project macro and a local package's dispatched macro"
    fi
    "$BIN" deps --project-dir "$P" >/dev/null
  fi
  BEST=""
  for _ in $(seq "$REPEAT"); do
    t0=$(now); "$BIN" compile --project-dir "$P" >/dev/null; t1=$(now)
    s=$(secs "$t0" "$t1")
    if [ -z "$BEST" ] || python3 -c "import sys; sys.exit(0 if $s < $BEST else 1)"; then BEST=$s; fi
  done
  /usr/bin/time -v "$BIN" compile --project-dir "$P" >/dev/null 2>"$OUT/time-compile-$variant.txt"
  CRSS=$(awk '/Maximum resident set size/ {printf "%.0f", $NF/1024}' "$OUT/time-compile-$variant.txt")
  echo "$label: ${BEST}s, peak RSS ${CRSS} MB" >>"$RESULTS"
  echo "compile 1000 models ($variant): ${BEST}s (${CRSS} MB)"
done
echo
cat "$RESULTS"
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
