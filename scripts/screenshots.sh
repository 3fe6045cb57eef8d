#!/usr/bin/env bash
# make screenshots: the sample athlete's dashboard (and the weekly report, where `fitdata report` exists) rendered
# in headless Chromium at desktop (1280 px, whole page) and phone (360 px, first screen) width into docs/images/.
# Builds the sample marts first (scripts/build-marts.sh: 26 weeks, seed 42, athlete `me`) in FITDATA_MARTS_DB
# (default fitdata_screenshots). Screenshots go through scripts/browser_check.py, which also fails the run when
# the page logs an error, asks for any URL, or has a chart without drawn marks.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
FITDATA="${FITDATA:-$ROOT/.build/debug/fitdata}"
export FITDATA_MARTS_DB="${FITDATA_MARTS_DB:-fitdata_screenshots}"
OUT_DIR="$ROOT/docs/images"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

scripts/build-marts.sh >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }
if [ -n "${DATABASE_URL:-}" ]; then
  DB_URL="$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])) if "://" in sys.argv[1] else sys.argv[1]+" dbname="+sys.argv[2])' "$DATABASE_URL" "$FITDATA_MARTS_DB")"
else
  DB_URL="dbname=$FITDATA_MARTS_DB"
fi

# shoot NAME PAGE: docs/images/NAME-desktop.png and NAME-phone.png, after checking the page.
shoot() {
  local name="$1" page="$2"
  python3 scripts/browser_check.py "$page" --width 1280 --height 900 --screenshot "$OUT_DIR/$name-desktop.png" --full-page >"$WORK/$name.json"
  python3 - "$WORK/$name.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = r["errors"] + [f"requested {u}" for u in r["requests"]] + [f"chart without marks: {c['title']}" for c in r["charts"] if c["drawn_marks"] == 0]
if bad:
    sys.exit(f"{sys.argv[2]}: " + "; ".join(bad))
print(f"{sys.argv[2]}: {len(r['charts'])} charts, {sum(c['drawn_marks'] for c in r['charts'])} marks, no console errors")
PY
  python3 scripts/browser_check.py "$page" --width 360 --height 1400 --screenshot "$OUT_DIR/$name-phone.png" >/dev/null
  echo "wrote $OUT_DIR/$name-desktop.png and $OUT_DIR/$name-phone.png"
}

mkdir -p "$OUT_DIR"
"$FITDATA" dashboard --database-url "$DB_URL" --athlete me --out "$WORK/out" >/dev/null
shoot dashboard "$WORK/out/me/dashboard.html"

if "$FITDATA" report weekly --help >/dev/null 2>&1; then
  # the sample ends on Sunday 2026-11-22 (scripts/build-marts.sh), so its last complete week is 2026-W47
  "$FITDATA" report weekly --database-url "$DB_URL" --athlete me --week 2026-W47 --llm none --out "$WORK/report" >/dev/null
  report_html="$(find "$WORK/report" -name '*.html' | sort | tail -1)"
  [ -n "$report_html" ] || { echo "screenshots: fitdata report weekly wrote no HTML" >&2; exit 1; }
  shoot report "$report_html"
fi
