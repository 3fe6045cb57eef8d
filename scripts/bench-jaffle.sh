#!/usr/bin/env bash
# Side-by-side build times on dbt-labs/jaffle-shop-classic, unmodified: `fitdata build` vs `dbt build` (dbt-core
# 1.11), each on a fresh database schema, best of BENCH_REPEAT (default 3) wall-clock runs including process
# start, at --threads 1 and at each tool's default (fitdata: one per CPU core; dbt: the profile's 4).
# Env: JAFFLE_SHOP_DIR (a checkout; default: a fresh `git clone --depth 1`), FITDATA_BIN (default
# .build/release/fitdata), DBT (default .venv-dbt/bin/dbt), PG* for the server; uses database fitdata_bench_jaffle.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${FITDATA_BIN:-.build/release/fitdata}"
DBT="${DBT:-.venv-dbt/bin/dbt}"
REPEAT="${BENCH_REPEAT:-3}"
DB=fitdata_bench_jaffle
[ -x "$BIN" ] || { echo "missing $BIN (run: swift build -c release)" >&2; exit 2; }
[ -x "$DBT" ] || { echo "missing $DBT (make compat-dbt creates .venv-dbt)" >&2; exit 2; }
export DBT_SEND_ANONYMOUS_USAGE_STATS=false

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-jaffle.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [ -n "${JAFFLE_SHOP_DIR:-}" ]; then
  cp -R "$JAFFLE_SHOP_DIR" "$WORK/project"
  rm -rf "$WORK/project/target" "$WORK/project/.git"
else
  git clone --quiet --depth 1 https://github.com/dbt-labs/jaffle-shop-classic "$WORK/project"
fi
P="$WORK/project"
mkdir -p "$WORK/profiles"
cat >"$WORK/profiles/profiles.yml" <<YML
jaffle_shop:
  target: bench
  outputs:
    bench:
      type: postgres
      host: "${PGHOST:-localhost}"
      port: ${PGPORT:-5432}
      user: "${PGUSER:-postgres}"
      password: "${PGPASSWORD:-}"
      dbname: $DB
      schema: dbt_jaffle
      threads: 4
YML
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
createdb "$DB"
reset() { psql -X -q -d "$DB" -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS fd_jaffle, dbt_jaffle CASCADE"; }
now() { date +%s.%N; }
best() {  # best CMD...: best wall time of REPEAT fresh runs
  local best="" t0 t1 s
  for _ in $(seq "$REPEAT"); do
    reset
    t0=$(now); "$@" >"$WORK/last.log" 2>&1 || { tail -20 "$WORK/last.log" >&2; exit 1; }; t1=$(now)
    s=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then best=$s; fi
  done
  echo "$best"
}
fd() { "$BIN" build --project-dir "$P" --database-url "dbname=$DB" --target-schema fd_jaffle "$@"; }
dbt_build() { "$DBT" build --project-dir "$P" --profiles-dir "$WORK/profiles" --target-path "$WORK/dbt-target" --log-path "$WORK/dbt-logs" "$@"; }
F1=$(best fd --threads 1); FD=$(best fd)
D1=$(best dbt_build --threads 1); DD=$(best dbt_build)
echo "| jaffle-shop-classic (3 seeds, 5 models, 20 tests) | --threads 1 | default threads |"
echo "|---|---:|---:|"
echo "| fitdata build | ${F1} s | ${FD} s ($(nproc) cores) |"
echo "| dbt build (dbt-core $("$DBT" --version | awk '/installed:/ {print $NF; exit}')) | ${D1} s | ${DD} s (4, the profile) |"
echo "| dbt / fitdata | $(python3 -c "print(f'{$D1 / $F1:.1f}x')") | $(python3 -c "print(f'{$DD / $FD:.1f}x')") |"
dropdb --if-exists "$DB" >/dev/null 2>&1 || true
