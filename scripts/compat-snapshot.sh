#!/usr/bin/env bash
# make compat-snapshot: `fitdata snapshot` must record the same history as dbt-core's `dbt snapshot`.
#   1. a scratch project (three snapshots: timestamp strategy with invalidate_hard_deletes, timestamp strategy with
#      hard_deletes: new_record, check strategy with a list unique_key and check_cols) and a fresh database with the
#      raw table they read;
#   2. three rounds: change the raw rows (updates, a delete, a re-insert, a varchar(10) column widened to
#      varchar(40) with a longer value, a new column), then run both tools,
#      dbt into schema dbt_snap, fitdata into schema fd_snap;
#   3. every snapshot table compared with its twin, row for row (EXCEPT ALL both ways) and column for column
#      (name, type, length and position: a widened column moves to the end under dbt).
#      Values taken from the clock (check strategy, hard deletes) differ between two tools by nature: they are
#      compared as "the run that wrote them" (1, 2, 3), and dbt_scd_id where it hashes that time (check strategy,
#      deletion records) is left out; everything else, dbt_scd_id of items_ts included, must be equal.
# Prints one line per snapshot and exits 1 on any difference.
#
# Environment: PG* (as the Makefile sets them); FITDATA (binary), FITDATA_COMPAT_DB (default fitdata_compat_snapshot),
# DBT_VENV (default .venv-dbt; created by scripts/compat-dbt.sh's pinned install if missing).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FITDATA="${FITDATA:-$ROOT/.build/debug/fitdata}"
DB="${FITDATA_COMPAT_DB:-fitdata_compat_snapshot}"
VENV="${DBT_VENV:-$ROOT/.venv-dbt}"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
say() { printf 'compat-snapshot: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

if ! "$VENV/bin/dbt" --version 2>/dev/null | grep -Eq 'installed: +1\.11\.'; then
  say "installing dbt-core~=1.11.0 dbt-postgres~=1.11.0 into $VENV"
  [ -x "$VENV/bin/python" ] || python3 -m venv --clear "$VENV"   # --clear: a half-made venv is started over
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'dbt-core~=1.11.0' 'dbt-postgres~=1.11.0'
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/compat-snapshot.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/snapshots" "$WORK/models"
cat > "$WORK/dbt_project.yml" <<'YML'
name: compat_snapshot
version: '1.0'
profile: compat_snapshot
YML
cat > "$WORK/profiles.yml" <<'YML'
compat_snapshot:
  target: dev
  outputs:
    dev:
      type: postgres
      host: "{{ env_var('PGHOST', 'localhost') }}"
      port: "{{ env_var('PGPORT', '5432') | as_number }}"
      user: "{{ env_var('PGUSER', 'postgres') }}"
      password: "{{ env_var('PGPASSWORD', '') }}"
      dbname: "{{ env_var('PGDATABASE') }}"
      schema: public
      threads: 1
YML
cat > "$WORK/models/sources.yml" <<'YML'
version: 2
sources:
  - name: raw
    tables:
      - name: items
YML
cat > "$WORK/snapshots/items.sql" <<'SQL'
{% snapshot items_ts %}
{{ config(target_schema=var('snap_schema'), unique_key='id', strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=True) }}
select * from {{ source('raw', 'items') }}
{% endsnapshot %}

{% snapshot items_nr %}
{{ config(target_schema=var('snap_schema'), unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record') }}
select id, name, updated_at from {{ source('raw', 'items') }}
{% endsnapshot %}

{% snapshot items_check %}
{{ config(target_schema=var('snap_schema'), unique_key=['id', 'kind'], strategy='check', check_cols=['name', 'qty']) }}
select id, kind, name, qty from {{ source('raw', 'items') }}
{% endsnapshot %}
SQL

export PGDATABASE="$DB"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d postgres \
  -c "DROP DATABASE IF EXISTS \"$DB\"" -c "CREATE DATABASE \"$DB\"" >/dev/null
q -c "
  CREATE SCHEMA raw;
  CREATE TABLE raw.items (id int, kind text, name varchar(10), qty numeric, updated_at timestamp);
  INSERT INTO raw.items VALUES (1, 'x', 'a', 1, '2024-01-01 10:00'), (2, 'x', 'b', 2, '2024-01-01 10:00'),
                               (3, 'y', 'c', NULL, '2024-01-01 10:00'), (4, 'y', 'd', 4, '2024-01-01 10:00');"

changes=(
  ""
  "UPDATE raw.items SET name = 'a2', updated_at = '2024-01-02 10:00' WHERE id = 1;
   UPDATE raw.items SET qty = 3 WHERE id = 3;
   UPDATE raw.items SET updated_at = '2024-01-02 11:00' WHERE id = 4;
   DELETE FROM raw.items WHERE id = 2;
   INSERT INTO raw.items VALUES (5, 'x', 'e', 5, '2024-01-02 12:00');"
  "INSERT INTO raw.items VALUES (2, 'x', 'b', 2, '2024-01-03 10:00');
   UPDATE raw.items SET name = NULL, updated_at = '2024-01-03 11:00' WHERE id = 5;
   ALTER TABLE raw.items ALTER COLUMN name TYPE varchar(40);
   UPDATE raw.items SET name = 'a3, longer than ten', updated_at = '2024-01-03 12:00' WHERE id = 1;
   ALTER TABLE raw.items ADD COLUMN note text;
   UPDATE raw.items SET note = 'n', updated_at = '2024-01-03 13:00' WHERE id = 4;"
)
for round in 1 2 3; do
  [ -z "${changes[$((round - 1))]}" ] || q -c "${changes[$((round - 1))]}"
  say "round $round: dbt snapshot"
  if ! "$VENV/bin/dbt" snapshot --project-dir "$WORK" --profiles-dir "$WORK" --vars '{snap_schema: dbt_snap}' \
        --target-path "$WORK/dbt-target" --log-path "$WORK/dbt-logs" >"$WORK/dbt.log" 2>&1; then
    tail -30 "$WORK/dbt.log" >&2; die "dbt snapshot failed"
  fi
  say "round $round: fitdata snapshot"
  "$FITDATA" snapshot --project-dir "$WORK" --vars '{snap_schema: fd_snap}' >/dev/null || die "fitdata snapshot failed"
  sleep 1   # distinct clock values per round
done

# Each snapshot table with clock-derived timestamps replaced by the round that wrote them.
normalized() {   # schema table drop-columns
  local schema="$1" table="$2" drop="$3"
  local cols
  cols="$(q -c "select string_agg(format('%I', column_name), ', ' order by ordinal_position) from information_schema.columns
                 where table_schema = '$schema' and table_name = '$table' and column_name <> all (string_to_array('$drop', ','))")"
  cat <<SQL
  (with t as (select * from "$schema"."$table"),
        clock as (select v, dense_rank() over (order by v) as round
                    from (select dbt_valid_from as v from t union select dbt_valid_to from t) c
                   where v >= date '2025-01-01'),
        norm as (select t.*, coalesce(f.round::text, t.dbt_valid_from::text) as valid_from_n,
                        coalesce(o.round::text, t.dbt_valid_to::text) as valid_to_n,
                        coalesce(u.round::text, t.dbt_updated_at::text) as updated_at_n
                   from t left join clock f on f.v = t.dbt_valid_from left join clock o on o.v = t.dbt_valid_to
                          left join clock u on u.v = t.dbt_updated_at)
   select $cols, valid_from_n, valid_to_n, updated_at_n from norm)
SQL
}

failed=0
for spec in "items_ts:dbt_valid_from,dbt_valid_to,dbt_updated_at" "items_nr:dbt_valid_from,dbt_valid_to,dbt_updated_at,dbt_scd_id" \
            "items_check:dbt_valid_from,dbt_valid_to,dbt_updated_at,dbt_scd_id"; do
  t="${spec%%:*}" drop="${spec#*:}"
  cols_diff="$(q -c "
    with a as (select column_name, data_type, character_maximum_length, ordinal_position from information_schema.columns where table_schema = 'dbt_snap' and table_name = '$t'),
         b as (select column_name, data_type, character_maximum_length, ordinal_position from information_schema.columns where table_schema = 'fd_snap' and table_name = '$t')
    select count(*) from ((table a except table b) union all (table b except table a)) d")"
  if [ "$cols_diff" != 0 ]; then echo "DIFF  $t: columns differ (name, type or order)"; failed=1; continue; fi
  a="$(normalized dbt_snap "$t" "$drop")" b="$(normalized fd_snap "$t" "$drop")"
  read -r n_dbt n_ours only_dbt only_ours < <(q -F ' ' -c "
    select (select count(*) from dbt_snap.\"$t\"), (select count(*) from fd_snap.\"$t\"),
           (select count(*) from ($a except all $b) x), (select count(*) from ($b except all $a) y)")
  if [ "$only_dbt" = 0 ] && [ "$only_ours" = 0 ]; then
    printf 'OK    %-12s %3s history rows, identical\n' "$t" "$n_ours"
  else
    printf 'DIFF  %-12s dbt %s rows, fitdata %s rows, %s only in dbt, %s only in fitdata\n' "$t" "$n_dbt" "$n_ours" "$only_dbt" "$only_ours"
    failed=1
  fi
done
[ "$failed" = 0 ] || die "snapshots differ"
say "all snapshots identical"
