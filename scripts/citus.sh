#!/usr/bin/env bash
# Citus on localhost for the scale comparison (docs/scaling.md): build | up | down | env | status.
#
#   build  builds Citus 13.2.2 from ../shared/vendor/citus (PGXS, into the system's PostgreSQL 15);
#          the build tree is cached under .citus/build, and nothing is rebuilt when the installed
#          citus.so is already this version.
#   up     a coordinator and two workers on 127.0.0.1 (CITUS_PORT, +1, +2; default 54350), data under
#          .citus/ (or /tmp when the postgres user cannot reach the checkout), database `fitdata`
#          with the citus extension on each node, the workers added on the coordinator.
#   down   stops the three servers (the data stays; `rm -rf .citus/nodes` drops it).
#   env    prints the PG* variables of the coordinator.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION=13.2.2
VENDOR="${CITUS_VENDOR:-$ROOT/../shared/vendor/citus}"
PORT="${CITUS_PORT:-54350}"
PORTS=("$PORT" "$((PORT + 1))" "$((PORT + 2))")
NAMES=(coordinator worker1 worker2)
BIN="$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)"
[ -x "$BIN/initdb" ] || BIN=/usr/lib/postgresql/15/bin
CACHE="$ROOT/.citus"
BASE="$CACHE/nodes"
if [ "$(id -u)" = 0 ] && ! su postgres -s /bin/bash -c "test -x '$ROOT'" 2>/dev/null; then
  BASE="/tmp/fitdata-citus-$(printf %s "$ROOT" | cksum | cut -d' ' -f1)"
fi

as_owner() {   # initdb/pg_ctl refuse to run as root: use the postgres user then
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
psql_at() {    # psql_at PORT SQL — on database fitdata of the node at PORT
  psql -h 127.0.0.1 -p "$1" -U postgres -d fitdata -v ON_ERROR_STOP=1 -Atqc "$2"
}

installed_version() {
  local so; so="$(pg_config --pkglibdir)/citus.so"
  [ -f "$so" ] && [ -f "$(pg_config --sharedir)/extension/citus.control" ] \
    && sed -n "s/^default_version = '\(.*\)'/\1/p" "$(pg_config --sharedir)/extension/citus.control"
}

build() {
  if [ "$(installed_version || true)" = "13.2-1" ] && [ -f "$CACHE/build/installed-$VERSION" ]; then
    echo "citus $VERSION already installed in $(pg_config --pkglibdir)"; return 0
  fi
  [ -f "$VENDOR/citus-$VERSION.tar.gz" ] || { echo "citus: $VENDOR/citus-$VERSION.tar.gz not found (CITUS_VENDOR)" >&2; exit 2; }
  local pkgs=(postgresql-server-dev-15 libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev make gcc)
  local missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
      echo "citus: installed ${missing[*]} (if the server package was upgraded, restart clusters: make db-down db-up)"
    else
      echo "citus: run: sudo apt-get install -y ${missing[*]}" >&2; exit 2
    fi
  fi
  local src="$CACHE/build/citus-$VERSION"
  if [ ! -f "$src/configure" ]; then
    rm -rf "$src"; mkdir -p "$CACHE/build"
    tar xzf "$VENDOR/citus-$VERSION.tar.gz" -C "$CACHE/build"
    [ -d "$src" ] || mv "$CACHE/build"/citus-* "$src" 2>/dev/null || true
    (cd "$src" && patch -p1 < "$VENDOR/pg15.20-have_createdb_privilege.patch")
  fi
  (cd "$src" && { [ -f Makefile.global ] || ./configure --without-libcurl >"$CACHE/build/configure.log" 2>&1; } \
    && make -j"$(nproc)" with_llvm=no >"$CACHE/build/make.log" 2>&1 && make install with_llvm=no >"$CACHE/build/install.log" 2>&1) \
    || { echo "citus: build failed, see $CACHE/build/*.log" >&2; tail -20 "$CACHE/build/make.log" >&2 || true; exit 1; }
  touch "$CACHE/build/installed-$VERSION"
  echo "citus $VERSION built and installed into $(pg_config --pkglibdir)"
}

up() {
  [ -n "$(installed_version || true)" ] || { echo "citus: not installed; run scripts/citus.sh build" >&2; exit 2; }
  mkdir -p "$BASE"
  [ "$(id -u)" = 0 ] && chown postgres "$BASE"
  for i in 0 1 2; do
    local data="$BASE/${NAMES[$i]}" port="${PORTS[$i]}"
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "'$BIN/initdb' -D '$data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$BASE/${NAMES[$i]}-initdb.log' 2>&1" \
        || { cat "$BASE/${NAMES[$i]}-initdb.log" >&2; exit 1; }
      as_owner "cat >> '$data/postgresql.conf'" <<EOF
shared_preload_libraries = 'citus'
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
fsync = off
max_connections = 200
shared_buffers = 256MB
EOF
    fi
    if ! as_owner "'$BIN/pg_ctl' -D '$data' status" >/dev/null 2>&1; then
      as_owner "'$BIN/pg_ctl' -D '$data' -l '$BASE/${NAMES[$i]}.log' -w -t 60 start" >/dev/null \
        || { tail -30 "$BASE/${NAMES[$i]}.log" >&2; exit 1; }
    fi
    psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname='fitdata'" | grep -q 1 \
      || createdb -h 127.0.0.1 -p "$port" -U postgres fitdata
    psql_at "$port" "CREATE EXTENSION IF NOT EXISTS citus" >/dev/null
  done
  psql_at "${PORTS[0]}" "SELECT citus_set_coordinator_host('127.0.0.1', ${PORTS[0]})" >/dev/null
  for i in 1 2; do
    psql_at "${PORTS[0]}" "SELECT citus_add_node('127.0.0.1', ${PORTS[$i]}) WHERE NOT EXISTS
      (SELECT 1 FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = ${PORTS[$i]})" >/dev/null
  done
  echo "citus running: coordinator 127.0.0.1:${PORTS[0]}, workers ${PORTS[1]} ${PORTS[2]} (data in $BASE)"
  psql_at "${PORTS[0]}" "SELECT nodename || ':' || nodeport || ' ' || noderole FROM pg_dist_node ORDER BY nodeport"
}

down() {
  for i in 0 1 2; do
    local data="$BASE/${NAMES[$i]}"
    [ -f "$data/PG_VERSION" ] && as_owner "'$BIN/pg_ctl' -D '$data' -m fast stop" >/dev/null 2>&1 || true
  done
  echo "citus stopped"
}

case "${1:-}" in
  build) build ;;
  up) up ;;
  down) down ;;
  env) echo "export PGHOST=127.0.0.1 PGPORT=${PORTS[0]} PGUSER=postgres PGDATABASE=fitdata" ;;
  status) for i in 0 1 2; do as_owner "'$BIN/pg_ctl' -D '$BASE/${NAMES[$i]}' status" || true; done ;;
  *) echo "usage: $0 build|up|down|env|status" >&2; exit 2 ;;
esac
