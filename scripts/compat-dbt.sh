#!/usr/bin/env bash
# make compat-dbt: the project in dbt_style_models/ must stay valid for dbt-core and give the same marts.
#   1. a fresh database with the sample athlete in core (scripts/build-marts.sh, load only);
#   2. our runner:  fitdata build --project-dir dbt_style_models       -> schemas staging, intermediate, marts, seeds
#   3. dbt-core:    dbt build --target compat (venv .venv-dbt, pinned)   -> schemas dbt_staging, ..., dbt_marts, dbt_seeds
#   4. every table in `marts` compared with its twin in `dbt_marts`, row for row (EXCEPT ALL both ways).
# Prints one line per mart and exits 1 on any difference or failure.
#
# Environment: DATABASE_URL or PG* (as the Makefile sets them); FITDATA (binary), FITDATA_COMPAT_DB
# (default fitdata_compat), DBT_VENV (default .venv-dbt), PYTHON (default python3).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

FITDATA="${FITDATA:-$ROOT/.build/debug/fitdata}"
DB="${FITDATA_COMPAT_DB:-fitdata_compat}"
VENV="${DBT_VENV:-$ROOT/.venv-dbt}"
PYTHON="${PYTHON:-python3}"
PROJECT_DIR="$ROOT/dbt_style_models"
PROFILES_DIR="$PROJECT_DIR/profiles"
DBT_CORE_SPEC='dbt-core~=1.11.0'
DBT_POSTGRES_SPEC='dbt-postgres~=1.11.0'

export DBT_SEND_ANONYMOUS_USAGE_STATS=false   # no telemetry from CI
say() { printf 'compat-dbt: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# --- 1. dbt in a venv, pinned to 1.11 (1.12 needs a download this machine cannot make) -------------
if ! "$VENV/bin/dbt" --version 2>/dev/null | grep -Eq 'installed: +1\.11\.'; then
  say "installing $DBT_CORE_SPEC $DBT_POSTGRES_SPEC into $VENV"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "$DBT_CORE_SPEC" "$DBT_POSTGRES_SPEC"
fi
"$VENV/bin/dbt" --version | grep -E 'installed|postgres' | sed 's/^/compat-dbt: /' >&2

# --- 2. fresh database with the sample loaded -----------------------------------------------------------
FITDATA="$FITDATA" FITDATA_MARTS_DB="$DB" BUILD_MARTS_LOAD_ONLY=1 "$ROOT/scripts/build-marts.sh"

# Connection for psql and dbt: the PG* variables of the compat database (dbt-postgres takes no URL).
if [ -n "${DATABASE_URL:-}" ]; then
  eval "$("$VENV/bin/python" - "$DATABASE_URL" "$DB" <<'PY'
import shlex, sys
from urllib.parse import urlsplit, parse_qs, unquote
url, db = sys.argv[1], sys.argv[2]
env = {}
if url.startswith(("postgres://", "postgresql://")):
    u = urlsplit(url)
    q = {k: v[-1] for k, v in parse_qs(u.query).items()}
    if u.hostname: env["PGHOST"] = unquote(u.hostname)
    if u.port: env["PGPORT"] = str(u.port)
    if u.username: env["PGUSER"] = unquote(u.username)
    if u.password: env["PGPASSWORD"] = unquote(u.password)
    for k, name in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"),
                    ("password", "PGPASSWORD"), ("sslmode", "PGSSLMODE")):
        if k in q: env[name] = q[k]
else:
    for part in shlex.split(url):
        k, _, v = part.partition("=")
        name = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER",
                "password": "PGPASSWORD", "sslmode": "PGSSLMODE"}.get(k)
        if name: env[name] = v
for k, v in env.items():
    print(f"export {k}={shlex.quote(v)}")
PY
)"
  unset DATABASE_URL
fi
export PGDATABASE="$DB"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# --- 3. both builds ------------------------------------------------------------------------------------
runner_ok=1
if ! "$FITDATA" --help 2>/dev/null | grep -qE '^[[:space:]]+build([[:space:]]|$)'; then
  say "this fitdata has no 'build' command yet (model runner, issue 3): nothing to compare against"
  runner_ok=0
else
  say "fitdata build --project-dir dbt_style_models"
  "$FITDATA" build --project-dir "$PROJECT_DIR" || die "fitdata build failed"
fi

say "dbt build --target compat"
DBT_LOG="$(mktemp "${TMPDIR:-/tmp}/compat-dbt.XXXXXX.log")"
if ! "$VENV/bin/dbt" build --project-dir "$PROJECT_DIR" --profiles-dir "$PROFILES_DIR" --target compat \
      --target-path "$ROOT/target/dbt-compat" --log-path "$ROOT/target/dbt-compat/logs" >"$DBT_LOG" 2>&1; then
  grep -vE '^\s*$' "$DBT_LOG" | tail -40 >&2
  die "dbt build failed (full log: $DBT_LOG)"
fi
grep -E 'Done\. PASS=' "$DBT_LOG" | sed 's/^.*Done\./compat-dbt: dbt: /' >&2
rm -f "$DBT_LOG"

[ "$runner_ok" = 1 ] || die "dbt side built; comparison skipped because the runner is missing"

# --- 4. compare every mart -----------------------------------------------------------------------------
ours="$(q -c "select table_name from information_schema.tables where table_schema = 'marts' order by 1")"
theirs="$(q -c "select table_name from information_schema.tables where table_schema = 'dbt_marts' order by 1")"
[ -n "$ours" ] || die "no tables in schema marts"

failed=0
for t in $(printf '%s\n%s\n' "$ours" "$theirs" | sort -u); do
  if ! grep -qx "$t" <<<"$ours"; then echo "DIFF  $t: missing from marts (only dbt built it)"; failed=1; continue; fi
  if ! grep -qx "$t" <<<"$theirs"; then echo "DIFF  $t: missing from dbt_marts (only fitdata built it)"; failed=1; continue; fi
  cols_diff="$(q -c "
    with a as (select column_name, data_type, ordinal_position from information_schema.columns
               where table_schema = 'marts' and table_name = '$t'),
         b as (select column_name, data_type, ordinal_position from information_schema.columns
               where table_schema = 'dbt_marts' and table_name = '$t')
    select count(*) from ((table a except table b) union all (table b except table a)) d")"
  if [ "$cols_diff" != 0 ]; then
    echo "DIFF  $t: columns differ (name, type or order)"; failed=1; continue
  fi
  read -r n_ours n_dbt only_ours only_dbt < <(q -F ' ' -c "
    select (select count(*) from marts.\"$t\"), (select count(*) from dbt_marts.\"$t\"),
           (select count(*) from (select * from marts.\"$t\" except all select * from dbt_marts.\"$t\") x),
           (select count(*) from (select * from dbt_marts.\"$t\" except all select * from marts.\"$t\") y)")
  if [ "$only_ours" = 0 ] && [ "$only_dbt" = 0 ]; then
    printf 'OK    %-28s %8s rows, identical\n' "$t" "$n_ours"
  else
    printf 'DIFF  %-28s fitdata %s rows, dbt %s rows, %s only in fitdata, %s only in dbt\n' \
      "$t" "$n_ours" "$n_dbt" "$only_ours" "$only_dbt"
    failed=1
  fi
done

if [ "$failed" = 1 ]; then say "marts differ"; exit 1; fi
say "all marts identical"
