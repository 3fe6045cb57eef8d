#!/usr/bin/env bash
# make compat-dbt [PROJECT=dir]: a dbt project built by fitdata and by dbt-core 1.11 into one database must give
# the same relations, row for row.
#   PROJECT unset: dbt_style_models/ on a fresh database with the sample athlete loaded into core
#     (scripts/build-marts.sh, load only); fitdata builds schemas staging, ..., marts, seeds and dbt builds
#     dbt_staging, ..., dbt_marts, dbt_seeds (its profile in dbt_style_models/profiles, target compat).
#   PROJECT=dir: any dbt project (e.g. a checkout of dbt-labs/jaffle-shop-classic). It is copied to a temp folder
#     (the original is never written to), its packages installed with `fitdata deps` (hub packages named in
#     packages.yml are first copied from COMPAT_PACKAGES_DIR when that folder has them), and built on a fresh
#     database: fitdata with --target-schema fitdata, dbt with a generated profile whose schema is dbt.
# Then every model, seed and snapshot relation of one build is paired with its twin by unique_id (both
# target/manifest.json files) and compared: same columns (name, type, order), EXCEPT ALL empty both ways.
# Prints one line per relation and exits 1 on any difference or failed build (what both built is still compared).
#
# Environment: DATABASE_URL or PG* (as the Makefile sets them); FITDATA (binary), FITDATA_COMPAT_DB
# (default fitdata_compat), DBT_VENV (default .venv-dbt), PYTHON (default python3), PROJECT,
# COMPAT_PACKAGES_DIR (default ../shared/vendor/dbt-packages beside the repository), KEEP_COMPAT_DIR=1 (keep
# the temp copy).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

FITDATA="${FITDATA:-$ROOT/.build/debug/fitdata}"
DB="${FITDATA_COMPAT_DB:-fitdata_compat}"
VENV="${DBT_VENV:-$ROOT/.venv-dbt}"
PYTHON="${PYTHON:-python3}"
PACKAGES_DIR="${COMPAT_PACKAGES_DIR:-$ROOT/../shared/vendor/dbt-packages}"
DBT_CORE_SPEC='dbt-core~=1.11.0'
DBT_POSTGRES_SPEC='dbt-postgres~=1.11.0'

export DBT_SEND_ANONYMOUS_USAGE_STATS=false   # no telemetry from CI
say() { printf 'compat-dbt: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "FITDATA_COMPAT_DB must be a plain lower-case identifier, got '$DB'"

# --- 1. dbt in a venv, pinned to 1.11 (1.12 needs a download this machine cannot make) -------------
if ! "$VENV/bin/dbt" --version 2>/dev/null | grep -Eq 'installed: +1\.11\.'; then
  say "installing $DBT_CORE_SPEC $DBT_POSTGRES_SPEC into $VENV"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv --clear "$VENV"   # --clear: a half-made venv (an interrupted run) is started over
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "$DBT_CORE_SPEC" "$DBT_POSTGRES_SPEC"
fi
"$VENV/bin/dbt" --version | grep -E 'installed|postgres' | sed 's/^/compat-dbt: /' >&2

# --- 2. connection: the PG* variables (dbt-postgres takes no URL; fitdata and psql read them too) --------
if [ -n "${DATABASE_URL:-}" ]; then
  eval "$("$VENV/bin/python" - "$DATABASE_URL" <<'PY'
import shlex, sys
from urllib.parse import urlsplit, parse_qs, unquote
url = sys.argv[1]
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
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# --- 3. the project and a fresh database -----------------------------------------------------------------
FITDATA_ARGS=()
if [ -z "${PROJECT:-}" ]; then
  PROJECT_DIR="$ROOT/dbt_style_models"
  PROFILES_DIR="$PROJECT_DIR/profiles"
  DBT_TARGET="$ROOT/target/dbt-compat"
  FITDATA="$FITDATA" FITDATA_MARTS_DB="$DB" BUILD_MARTS_LOAD_ONLY=1 "$ROOT/scripts/build-marts.sh"
  export PGDATABASE="$DB"
else
  [ -f "$PROJECT/dbt_project.yml" ] || die "PROJECT=$PROJECT: no dbt_project.yml there"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/compat-dbt.XXXXXX")"
  cleanup() { [ "${KEEP_COMPAT_DIR:-0}" = 1 ] && say "kept $WORK" || rm -rf "$WORK"; }
  trap cleanup EXIT
  PROJECT_DIR="$WORK/project"
  PROFILES_DIR="$WORK/profiles"
  DBT_TARGET="$WORK/dbt-target"
  mkdir -p "$PROJECT_DIR" "$PROFILES_DIR"
  (cd "$PROJECT" && tar --exclude=./target --exclude=./dbt_packages --exclude=./logs --exclude=./.git -cf - .) \
    | tar -xf - -C "$PROJECT_DIR"
  FITDATA_ARGS=(--target-schema fitdata)
  # A profile for dbt named as the project asks, schema dbt, connection from PG*; hub packages pre-installed
  # from COMPAT_PACKAGES_DIR (fitdata deps keeps an installed hub package whose version fits).
  "$VENV/bin/python" - "$PROJECT_DIR" "$PROFILES_DIR/profiles.yml" "$PACKAGES_DIR" <<'PY'
import os, shutil, sys, yaml
project, profiles, vendor = sys.argv[1:4]
with open(os.path.join(project, "dbt_project.yml")) as f:
    name = (yaml.safe_load(f) or {}).get("profile") or "default"
conn = {k: "{{ env_var('%s', '%s') }}" % (v, d) for k, v, d in
        (("host", "PGHOST", "localhost"), ("user", "PGUSER", "postgres"), ("password", "PGPASSWORD", ""),
         ("dbname", "PGDATABASE", "postgres"), ("sslmode", "PGSSLMODE", "prefer"))}
conn["port"] = "{{ env_var('PGPORT', '5432') | as_number }}"
with open(profiles, "w") as f:
    yaml.safe_dump({name: {"target": "compat", "outputs": {"compat": dict(type="postgres", schema="dbt", threads=4, **conn)}}}, f)
for file in ("packages.yml", "dependencies.yml"):
    path = os.path.join(project, file)
    if not os.path.exists(path):
        continue
    with open(path) as f:
        entries = (yaml.safe_load(f) or {}).get("packages") or []
    for e in entries:
        if isinstance(e, dict) and e.get("package"):
            pkg = e["package"].split("/")[-1]
            src = os.path.join(vendor, pkg)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(project, "dbt_packages", pkg), ignore=shutil.ignore_patterns(".git", "integration_tests"))
                print(f"compat-dbt: {e['package']} pre-installed from COMPAT_PACKAGES_DIR", file=sys.stderr)
PY
  say "recreating database $DB"
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
  export PGDATABASE="$DB"
  if [ -f "$PROJECT_DIR/packages.yml" ] || [ -f "$PROJECT_DIR/dependencies.yml" ]; then
    say "fitdata deps"
    "$FITDATA" deps --project-dir "$PROJECT_DIR" >&2 || die "fitdata deps failed"
  fi
fi
SHOWN="${PROJECT:-dbt_style_models}"

# --- 4. both builds (wall-clock seconds printed for BENCHMARKS.md) -----------------------------------------
now() { date +%s.%N; }
runner_ok=1
build_failed=""
if ! "$FITDATA" --help 2>/dev/null | grep -qE '^[[:space:]]+build([[:space:]]|$)'; then
  say "this fitdata has no 'build' command yet (model runner, issue 3): nothing to compare against"
  runner_ok=0
else
  say "fitdata build --project-dir $SHOWN ${FITDATA_ARGS[*]}"
  t0="$(now)"
  if "$FITDATA" build --project-dir "$PROJECT_DIR" "${FITDATA_ARGS[@]}"; then
    say "fitdata build: $(echo "$(now) - $t0" | bc) s"
  else
    build_failed="fitdata build failed"
    say "$build_failed; comparing what both built"
  fi
fi

say "dbt build --target compat"
DBT_LOG="$(mktemp "${TMPDIR:-/tmp}/compat-dbt.XXXXXX.log")"
t0="$(now)"
if ! "$VENV/bin/dbt" build --project-dir "$PROJECT_DIR" --profiles-dir "$PROFILES_DIR" --target compat \
      --target-path "$DBT_TARGET" --log-path "$DBT_TARGET/logs" >"$DBT_LOG" 2>&1; then
  grep -vE '^\s*$' "$DBT_LOG" | tail -40 >&2
  [ -f "$DBT_TARGET/manifest.json" ] || die "dbt build failed (full log: $DBT_LOG)"
  build_failed="${build_failed:+$build_failed, }dbt build failed (full log: $DBT_LOG)"
  say "dbt build failed; comparing what both built"
else
  say "dbt build: $(echo "$(now) - $t0" | bc) s"
fi
grep -E 'Done\. PASS=' "$DBT_LOG" | sed 's/^.*Done\./compat-dbt: dbt: /' >&2
[ -n "$build_failed" ] || rm -f "$DBT_LOG"

[ "$runner_ok" = 1 ] || die "dbt side built; comparison skipped because the runner is missing"

# --- 5. compare every relation, paired by unique_id ----------------------------------------------------------
[ -f "$PROJECT_DIR/target/manifest.json" ] || die "${build_failed:-fitdata wrote no manifest}"
pairs="$("$VENV/bin/python" - "$PROJECT_DIR/target/manifest.json" "$DBT_TARGET/manifest.json" <<'PY'
import json, sys
def relations(path):
    with open(path) as f:
        nodes = json.load(f)["nodes"]
    out = {}
    for uid, n in nodes.items():
        if n.get("resource_type") in ("model", "seed", "snapshot") and \
           (n.get("config") or {}).get("materialized") != "ephemeral" and (n.get("config") or {}).get("enabled", True):
            out[uid] = (n["schema"], n.get("alias") or n["name"])
    return out
ours, theirs = relations(sys.argv[1]), relations(sys.argv[2])
for uid in sorted(set(ours) | set(theirs)):
    a, b = ours.get(uid, ("", "")), theirs.get(uid, ("", ""))
    print("\t".join([uid, *a, *b]))
PY
)"
[ -n "$pairs" ] || die "no models or seeds in either manifest"

failed=0
count=0
while IFS=$'\t' read -r uid fs fa ds da; do
  count=$((count + 1))
  if [ -z "$fs" ]; then echo "DIFF  $uid: only dbt built it ($ds.$da)"; failed=1; continue; fi
  if [ -z "$ds" ]; then echo "DIFF  $uid: only fitdata built it ($fs.$fa)"; failed=1; continue; fi
  cols_diff="$(q -v fs="$fs" -v fa="$fa" -v ds="$ds" -v da="$da" <<'SQL'
with a as (select column_name, data_type, ordinal_position from information_schema.columns
           where table_schema = :'fs' and table_name = :'fa'),
     b as (select column_name, data_type, ordinal_position from information_schema.columns
           where table_schema = :'ds' and table_name = :'da')
select case when not exists (table a) then 'missing fitdata relation'
            when not exists (table b) then 'missing dbt relation'
            else (select count(*)::text from ((table a except table b) union all (table b except table a)) d) end;
SQL
)"
  if [ "$cols_diff" != 0 ]; then
    [[ "$cols_diff" =~ ^[0-9]+$ ]] && cols_diff="columns differ (name, type or order)"
    echo "DIFF  $uid: $cols_diff ($fs.$fa vs $ds.$da)"; failed=1; continue
  fi
  A="\"${fs//\"/\"\"}\".\"${fa//\"/\"\"}\""
  B="\"${ds//\"/\"\"}\".\"${da//\"/\"\"}\""
  read -r n_ours n_dbt only_ours only_dbt < <(q -F ' ' -c "
    select (select count(*) from $A), (select count(*) from $B),
           (select count(*) from (select * from $A except all select * from $B) x),
           (select count(*) from (select * from $B except all select * from $A) y)")
  if [ "$only_ours" = 0 ] && [ "$only_dbt" = 0 ]; then
    printf 'OK    %-48s %8s rows, identical\n' "$uid" "$n_ours"
  else
    printf 'DIFF  %-48s fitdata %s rows, dbt %s rows, %s only in fitdata, %s only in dbt\n' \
      "$uid" "$n_ours" "$n_dbt" "$only_ours" "$only_dbt"
    failed=1
  fi
done <<<"$pairs"

[ -z "$build_failed" ] || { say "$SHOWN: $build_failed"; exit 1; }
if [ "$failed" = 1 ]; then say "$SHOWN: relations differ"; exit 1; fi
say "$SHOWN: all $count relations identical"
