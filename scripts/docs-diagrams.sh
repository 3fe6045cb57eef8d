#!/usr/bin/env bash
# `make docs-generate` / `make docs-check`: regenerates docs/generated/ (the ERD of `core` from the live catalog
# and the model lineage, `fitdata docs --write-diagrams`) on a fresh scratch database after `fitdata db init`.
#   scripts/docs-diagrams.sh write   replace the committed copies
#   scripts/docs-diagrams.sh check   exit 1 with a diff when the committed copies differ from what the code produces
# The scratch database is created and dropped through the PG* settings (the private cluster under `make`).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: docs-diagrams.sh write|check}
FITDATA=${FITDATA:-.build/debug/fitdata}
OUT=docs/generated
if [ -n "${DATABASE_URL:-}" ]; then
  echo "docs-diagrams: creates a scratch database through PGHOST/PGPORT/PGUSER; unset DATABASE_URL and set those instead" >&2
  exit 2
fi
db="fitdata_docs_$$"
tmp=$(mktemp -d)
cleanup() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >/dev/null
PGDATABASE=$db "$FITDATA" db init >/dev/null
PGDATABASE=$db "$FITDATA" docs --no-comments --target-dir "$tmp/target" --write-diagrams "$tmp/generated" >/dev/null
case "$mode" in
  write)
    mkdir -p "$OUT"
    cp "$tmp/generated/"*.md "$OUT/"
    echo "docs-diagrams: wrote $(cd "$tmp/generated" && ls | sed "s#^#$OUT/#" | tr '\n' ' ')"
    ;;
  check)
    if ! diff -ru "$OUT" "$tmp/generated"; then
      echo "docs-check: $OUT differs from what the code produces; run \`make docs-generate\` and commit the result" >&2
      exit 1
    fi
    echo "docs-check: $OUT matches the code ($(ls "$tmp/generated" | tr '\n' ' '))"
    ;;
  *) echo "usage: docs-diagrams.sh write|check" >&2; exit 2 ;;
esac
