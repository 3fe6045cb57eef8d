#!/usr/bin/env bash
# CI's "build the marts from scratch" (make build-marts):
#   a fresh database on the configured server (dropped and recreated), fitdata db init,
#   the synthetic sample athlete (26 weeks, seed 42) loaded as athlete `me` (plus scripts/diet-fixture.sql
#   when core has no nutrition and no body weight), then
#   `fitdata build --project-dir dbt_style_models` (models, seeds, data tests, unit tests), then
#   `fitdata docs` (descriptions as COMMENT ON).
# Exits non-zero on any failure, including a failing model or data test.
#
# Connection: DATABASE_URL (URI or key=value conninfo) or the PG* variables, as the Makefile sets them.
# Environment knobs:
#   FITDATA               fitdata binary (default .build/debug/fitdata)
#   FITDATA_MARTS_DB      database to (re)create (default fitdata_marts_ci)
#   FITDATA_MAINTENANCE_DB database to connect to for DROP/CREATE (default postgres)
#   SAMPLE_WEEKS / SAMPLE_SEED / SAMPLE_TIMEZONE   sample shape (26 / 42 / Europe/Lisbon)
#   KEEP_SAMPLE_DIR=1     keep the generated sample files
#   BUILD_MARTS_LOAD_ONLY=1  stop after loading core (scripts/compat-dbt.sh runs the builds itself)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

FITDATA="${FITDATA:-$ROOT/.build/debug/fitdata}"
DB="${FITDATA_MARTS_DB:-fitdata_marts_ci}"
MAINT_DB="${FITDATA_MAINTENANCE_DB:-postgres}"
WEEKS="${SAMPLE_WEEKS:-26}"
SEED="${SAMPLE_SEED:-42}"
TZ_NAME="${SAMPLE_TIMEZONE:-Europe/Lisbon}"
PROJECT_DIR="$ROOT/dbt_style_models"

say() { printf 'build-marts: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$FITDATA" ] || die "fitdata binary not found at $FITDATA (run: swift build)"
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "FITDATA_MARTS_DB must be a plain lower-case identifier, got '$DB'"

# URL/conninfo for a given database name, derived from DATABASE_URL when set.
url_for_db() {
  local target="$1" url="$DATABASE_URL"
  if [[ "$url" =~ ^postgres(ql)?:// ]]; then
    # replace (or add) the path component, keep ?params
    local base="${url%%\?*}" query=""
    [[ "$url" == *\?* ]] && query="?${url#*\?}"
    local scheme_host="${base#*://}"
    scheme_host="${base%%://*}://${scheme_host%%/*}"
    printf '%s/%s%s' "$scheme_host" "$target" "$query"
  else
    printf '%s dbname=%s' "$url" "$target"   # key=value conninfo: a later keyword wins
  fi
}

if [ -n "${DATABASE_URL:-}" ]; then
  ADMIN_CONN="$(url_for_db "$MAINT_DB")"
  export DATABASE_URL="$(url_for_db "$DB")"
  admin_psql() { psql "$ADMIN_CONN" -X -q -v ON_ERROR_STOP=1 "$@"; }
else
  export PGDATABASE="$DB"
  admin_psql() { psql -d "$MAINT_DB" -X -q -v ON_ERROR_STOP=1 "$@"; }
fi

say "recreating database $DB"
admin_psql -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"

say "fitdata db init"
"$FITDATA" db init

SAMPLE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/fitdata-sample.XXXXXX")"
cleanup() { [ "${KEEP_SAMPLE_DIR:-0}" = 1 ] || rm -rf "$SAMPLE_DIR"; }
trap cleanup EXIT

say "fitdata sample --weeks $WEEKS --seed $SEED"
"$FITDATA" sample --weeks "$WEEKS" --seed "$SEED" --out "$SAMPLE_DIR"
shopt -s nullglob
hevy_files=("$SAMPLE_DIR"/hevy*.csv)
[ ${#hevy_files[@]} -gt 0 ] || die "the sample wrote no hevy*.csv into $SAMPLE_DIR"

say "fitdata load hevy-csv (${#hevy_files[@]} file(s)) --athlete me --timezone $TZ_NAME"
"$FITDATA" load hevy-csv "${hevy_files[@]}" --athlete me --timezone "$TZ_NAME" --max-rejects 0

# Until `fitdata sample` writes nutrition and body-weight files, a deterministic SQL fixture gives the diet
# marts rows; it is applied only when core holds no nutrition and no body weight at all.
psql_db() { psql -X -q -v ON_ERROR_STOP=1 ${DATABASE_URL:+"$DATABASE_URL"} "$@"; }
if [ "$(psql_db -At -c 'select count(*) from (select 1 from core.nutrition_days union all select 1 from core.body_measurements) as diet')" = 0 ]; then
  say "no nutrition or body weight in core: applying scripts/diet-fixture.sql"
  psql_db -f "$ROOT/scripts/diet-fixture.sql"
fi

if [ "${BUILD_MARTS_LOAD_ONLY:-0}" = 1 ]; then
  say "core loaded in $DB (BUILD_MARTS_LOAD_ONLY=1: models not built)"
  exit 0
fi

# The model runner (issue 3). No substitute: without it the marts are not built and this fails.
if ! "$FITDATA" --help 2>/dev/null | grep -qE '^[[:space:]]+build([[:space:]]|$)'; then
  die "this fitdata has no 'build' command yet (model runner, issue 3): core is loaded in $DB, marts NOT built"
fi

say "fitdata build --project-dir dbt_style_models"
"$FITDATA" build --project-dir "$PROJECT_DIR"

# model and column descriptions from the .yml files -> COMMENT ON (what SQL clients show)
say "fitdata docs --project-dir dbt_style_models"
"$FITDATA" docs --project-dir "$PROJECT_DIR" >/dev/null

say "marts in $DB:"
psql -X -q -v ON_ERROR_STOP=1 ${DATABASE_URL:+"$DATABASE_URL"} -c "
  select table_name as mart,
         (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from marts.%I', table_name), false, true, '')))[1]::text::bigint as rows
  from information_schema.tables
  where table_schema = 'marts'
  order by table_name"
say "ok"
