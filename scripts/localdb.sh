#!/usr/bin/env bash
# Private PostgreSQL cluster for this checkout: start | stop | env | status.
# Used by the Makefile when neither DATABASE_URL nor PGHOST is set.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${FITDATA_LOCAL_PGPORT:-54329}"
BIN="$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)"
[ -x "$BIN/initdb" ] || BIN=/usr/lib/postgresql/15/bin

# Data under the project (.pgdata/); the socket too unless the path is too long for a unix socket
# (107 bytes). When run as root and the postgres user cannot reach the checkout (a private home
# directory), everything moves to /tmp/fitdata-pg-<hash of the checkout path>.
BASE="$ROOT/.pgdata"
TMPBASE="/tmp/fitdata-pg-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)"
if [ "$(id -u)" = 0 ] && ! su postgres -s /bin/bash -c "test -x '$ROOT'" 2>/dev/null; then BASE="$TMPBASE"; fi
DATA="$BASE/data"
SOCK="$BASE/run"
if [ ${#SOCK} -gt 80 ]; then SOCK="$TMPBASE-run"; fi

as_owner() {   # initdb/pg_ctl refuse to run as root: use the postgres user then
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
  sockdir) echo "$SOCK" ;;
  port) echo "$PORT" ;;
  env)
    echo "export PGHOST=$SOCK PGPORT=$PORT PGUSER=postgres PGDATABASE=fitdata" ;;
  start)
    mkdir -p "$BASE" "$SOCK"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$BASE" "$SOCK"
      if ! su postgres -s /bin/bash -c "test -w '$BASE'"; then
        echo "localdb: the postgres user cannot write $BASE" >&2; exit 2
      fi
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
      as_owner "'$BIN/initdb' -D '$DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$BASE/initdb.log' 2>&1" \
        || { cat "$BASE/initdb.log" >&2; exit 1; }
    fi
    if as_owner "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
      : # already running
    else
      as_owner "'$BIN/pg_ctl' -D '$DATA' -l '$BASE/server.log' -w -t 60 \
        -o \"-p $PORT -c listen_addresses='' -k $SOCK -c fsync=off -c max_connections=100 -c shared_buffers=256MB\" start" >/dev/null \
        || { tail -30 "$BASE/server.log" >&2; exit 1; }
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
