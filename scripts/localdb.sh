#!/usr/bin/env bash
# Private PostgreSQL cluster for this checkout: start | stop | env | status.
# Used by the Makefile when neither DATABASE_URL nor PGHOST is set.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${FITDATA_LOCAL_PGPORT:-54329}"
BIN="$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)"
[ -x "$BIN/initdb" ] || BIN=/usr/lib/postgresql/15/bin

# Data under the project; the socket too unless the path is too long for a unix socket (107 bytes).
DATA="$ROOT/.pgdata/data"
SOCK="$ROOT/.pgdata/run"
if [ ${#SOCK} -gt 80 ]; then SOCK="/tmp/fitdata-pg-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)"; fi

as_owner() {   # initdb/pg_ctl refuse to run as root: use the postgres user then
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
  sockdir) echo "$SOCK" ;;
  port) echo "$PORT" ;;
  env)
    echo "export PGHOST=$SOCK PGPORT=$PORT PGUSER=postgres PGDATABASE=fitdata" ;;
  start)
    mkdir -p "$ROOT/.pgdata" "$SOCK"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$ROOT/.pgdata" "$SOCK"
      # the postgres user must be able to reach the project directory
      if ! su postgres -s /bin/bash -c "test -w '$ROOT/.pgdata'"; then
        echo "localdb: postgres user cannot write $ROOT/.pgdata (check parent directory permissions)" >&2; exit 2
      fi
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
      as_owner "'$BIN/initdb' -D '$DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$ROOT/.pgdata/initdb.log' 2>&1" \
        || { cat "$ROOT/.pgdata/initdb.log" >&2; exit 1; }
    fi
    if as_owner "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
      : # already running
    else
      as_owner "'$BIN/pg_ctl' -D '$DATA' -l '$ROOT/.pgdata/server.log' -w -t 60 \
        -o \"-p $PORT -c listen_addresses='' -k $SOCK -c fsync=off -c max_connections=100 -c shared_buffers=256MB\" start" >/dev/null \
        || { tail -30 "$ROOT/.pgdata/server.log" >&2; exit 1; }
    fi
    PGHOST=$SOCK PGPORT=$PORT psql -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname='fitdata'" | grep -q 1 \
      || PGHOST=$SOCK PGPORT=$PORT createdb -U postgres fitdata
    echo "local PostgreSQL running: PGHOST=$SOCK PGPORT=$PORT (data in $DATA)" ;;
  stop)
    if [ -f "$DATA/PG_VERSION" ]; then
      as_owner "'$BIN/pg_ctl' -D '$DATA' -m fast stop" >/dev/null 2>&1 || true
    fi
    echo "local PostgreSQL stopped" ;;
  status)
    as_owner "'$BIN/pg_ctl' -D '$DATA' status" ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
