#!/usr/bin/env bash
# make citus-compare: the same sample athletes loaded and built on a single node and on the Citus cluster,
# every mart compared row for row (sorted text dumps, both ways), load and build times printed for both.
#
#   1. CITUS_COMPARE_ATHLETES (default 4) sample runs: `fitdata sample --seed 42+i --weeks CITUS_COMPARE_WEEKS`
#      (default 26), loaded as athletes a1..aN with different time zones; or, with CITUS_COMPARE_SAMPLE=roster,
#      one `fitdata sample --athletes N --weeks W --seed 42` roster loaded by scripts/load-sample-athletes.sh
#      (each athlete's own zone, units, nutrition app and targets; one athlete at a time, LOAD_JOBS=1, so the
#      surrogate keys in the marts come out the same on both sides);
#   2. single node: database fitdata_citus_single on the private cluster (PG* as the Makefile sets them),
#      recreated, `fitdata db init`, the loads, `fitdata build`;
#   3. Citus: database fitdata on the coordinator (scripts/citus.sh env), its fitdata schemas dropped,
#      `fitdata db init --distributed`, the same loads, `fitdata build`;
#   4. every table of `marts`: `SELECT *` dumped from both as text, sorted, compared; exits 1 on any difference.
# Needs `make citus-up` (the Makefile target depends on it) and a built fitdata (FITDATA).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
FITDATA="${FITDATA:-$ROOT/.build/debug/fitdata}"
N="${CITUS_COMPARE_ATHLETES:-4}"
WEEKS="${CITUS_COMPARE_WEEKS:-26}"
SAMPLE="${CITUS_COMPARE_SAMPLE:-seeds}"
[ "$SAMPLE" = seeds ] || [ "$SAMPLE" = roster ] || { printf 'citus-compare: CITUS_COMPARE_SAMPLE must be seeds or roster\n' >&2; exit 2; }
SINGLE_DB=fitdata_citus_single
ZONES=(Europe/Lisbon America/New_York Asia/Tokyo Australia/Sydney America/Los_Angeles Europe/Berlin)
say() { printf 'citus-compare: %s\n' "$*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

[ -x "$FITDATA" ] || { say "fitdata binary not found at $FITDATA (run: swift build)"; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fitdata-citus-compare.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [ "$SAMPLE" = roster ]; then
  "$FITDATA" sample --athletes "$N" --weeks "$WEEKS" --seed 42 --out "$WORK/roster" >/dev/null 2>&1
else
  for i in $(seq 1 "$N"); do
    "$FITDATA" sample --weeks "$WEEKS" --seed $((41 + i)) --out "$WORK/a$i" >/dev/null
  done
fi
say "$N sample athletes x $WEEKS weeks ($SAMPLE) in $WORK"

# load_all: every sample athlete into the database the PG* variables name.
load_all() {
  if [ "$SAMPLE" = roster ]; then
    # one athlete at a time: the surrogate keys (athlete_sk, workout_sk, set_sk …, columns of the marts) follow the
    # order of the loads, which parallel chains would make differ between the two sides
    rm -rf "$WORK/roster/load-logs"
    FITDATA="$FITDATA" LOAD_JOBS=1 "$ROOT/scripts/load-sample-athletes.sh" "$WORK/roster" >/dev/null
    return
  fi
  for i in $(seq 1 "$N"); do
    local tz="${ZONES[$(( (i - 1) % ${#ZONES[@]} ))]}"
    "$FITDATA" load hevy-csv "$WORK/a$i"/hevy*.csv --athlete "a$i" --timezone "$tz" --max-rejects 0 >/dev/null
    "$FITDATA" load nutrition "$WORK/a$i/cronometer_dailysummary.csv" --athlete "a$i" --max-rejects 0 >/dev/null
    "$FITDATA" load body-weight "$WORK/a$i/body_weight.csv" --athlete "a$i" --max-rejects 0 >/dev/null
  done
}

# run_side NAME INIT_FLAGS: init, load, build on the current PG* database; records the times in $WORK/NAME.times.
run_side() {
  local name="$1"; shift
  "$FITDATA" db init "$@" > "$WORK/$name.init"
  local t0 t1 t2; t0=$(now)
  load_all
  t1=$(now)
  "$FITDATA" build --project-dir dbt_style_models --target-dir "$WORK/$name-target" > "$WORK/$name.build" 2>&1 \
    || { tail -30 "$WORK/$name.build" >&2; say "$name: build failed"; exit 1; }
  t2=$(now)
  echo "$(secs "$t0" "$t1") $(secs "$t1" "$t2")" > "$WORK/$name.times"
  say "$name: load $(secs "$t0" "$t1") s, build $(secs "$t1" "$t2") s"
}

dump_marts() {   # dump_marts DIR: one sorted text file per mart
  mkdir -p "$1"
  for t in $(psql -X -Atqc "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1"); do
    psql -X -qc "\\copy (SELECT * FROM marts.\"$t\") TO STDOUT" | LC_ALL=C sort > "$1/$t.tsv"
  done
}

# --- single node -------------------------------------------------------------------------------------------
export PGDATABASE="$SINGLE_DB"
psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $SINGLE_DB WITH (FORCE)" -c "CREATE DATABASE $SINGLE_DB"
run_side single
dump_marts "$WORK/single"

# --- Citus ---------------------------------------------------------------------------------------------------
eval "$(scripts/citus.sh env)"
psql -X -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS staging, intermediate, marts, seeds, core, raw, meta CASCADE" \
  -c "DROP EXTENSION IF EXISTS fitness CASCADE" -c "DROP SCHEMA IF EXISTS fitness CASCADE" 2>/dev/null
run_side citus --distributed
sed 's/^/citus-compare: /' "$WORK/citus.init" | grep 'citus:' >&2 || true
psql -X -Atqc "SELECT 'citus-compare: marts placement: ' || string_agg(logicalrelid::text || '=' ||
                 CASE partmethod WHEN 'h' THEN column_to_column_name(logicalrelid, partkey) ELSE 'reference' END, ', ' ORDER BY 1)
                 FROM pg_dist_partition WHERE logicalrelid::text LIKE 'marts.%'" >&2
dump_marts "$WORK/citus"

# --- compare -------------------------------------------------------------------------------------------------
fail=0
for f in "$WORK"/single/*.tsv; do
  t="$(basename "$f" .tsv)"
  if [ ! -f "$WORK/citus/$t.tsv" ]; then say "$t: missing on Citus"; fail=1; continue; fi
  rows=$(wc -l < "$f")
  if cmp -s "$f" "$WORK/citus/$t.tsv"; then
    printf 'citus-compare: %-32s %8d rows  equal\n' "$t" "$rows" >&2
  else
    d=$(diff "$f" "$WORK/citus/$t.tsv" | grep -c '^[<>]' || true)
    printf 'citus-compare: %-32s %8d rows  DIFFERENT (%d lines differ)\n' "$t" "$rows" "$d" >&2
    diff "$f" "$WORK/citus/$t.tsv" | head -6 >&2 || true
    fail=1
  fi
done
for f in "$WORK"/citus/*.tsv; do [ -f "$WORK/single/$(basename "$f")" ] || { say "$(basename "$f" .tsv): only on Citus"; fail=1; }; done
read -r sl sb < "$WORK/single.times"; read -r cl cb < "$WORK/citus.times"
sets=$(psql -X -Atqc "SELECT count(*) FROM marts.fct_sets")
printf 'citus-compare: %d athletes, %s sets | single node: load %s s, build %s s | citus (1+2 nodes): load %s s, build %s s\n' \
  "$N" "$sets" "$sl" "$sb" "$cl" "$cb" >&2
[ "$fail" = 0 ] && say "all marts equal row for row" || { say "marts differ"; exit 1; }
