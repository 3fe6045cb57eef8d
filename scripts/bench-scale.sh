#!/usr/bin/env bash
# Many athletes at scale (docs/scaling.md, BENCHMARKS.md "Many athletes at scale"): generate ATHLETES x YEARS
# of sample data, load it, build everything with the first `fitdata pipeline daily`, then add one more day for
# every athlete (the lines a `fitdata sample` with the next --end-date adds), load those deltas and run
# `fitdata pipeline daily` again: the incremental build. Prints the times and the rows each build wrote.
#
# Usage: scripts/bench-scale.sh            (environment below; `make bench-scale` runs it)
#        RESUME=daily scripts/bench-scale.sh  (the next-day part only, on the database and project a run left)
#        RESUME=daily DAY=2 REFRESH_PROJECT=1 scripts/bench-scale.sh  (a later day: the records day DAY adds to day DAY-1;
#          REFRESH_PROJECT first copies the current dbt_style_models and runs the pipeline once, which rebuilds
#          everything because the project changed, so that the day's pipeline runs the current project)
# Environment: ATHLETES (1000), YEARS (5), END_DATE (2026-11-22), DAY (1: the day after END_DATE), SEED (42), WORK (bench-scale-work: samples,
#   logs, summaries), FITDATA (.build/debug/fitdata), LOAD_JOBS (2), PG* of the server; the database is
#   fitdata_scale_<ATHLETES>x<YEARS>y, dropped and created.
# Output: WORK/summary-<ATHLETES>x<YEARS>y.txt (also on standard error), the pipelines' JSON logs and the dashboard
#   queries' plans (WORK/dashboard-plans-<ATHLETES>x<YEARS>y.txt) beside it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FITDATA="${FITDATA:-$ROOT/.build/debug/fitdata}"
ATHLETES="${ATHLETES:-1000}"; YEARS="${YEARS:-5}"; END_DATE="${END_DATE:-2026-11-22}"; SEED="${SEED:-42}"
WORK="${WORK:-$ROOT/bench-scale-work}"
TAG="${ATHLETES}x${YEARS}y"
DB="fitdata_scale_$TAG"
OUT="$WORK/$TAG"
SUMMARY="$WORK/summary-$TAG${RESUME:+-day$DAY}.txt"
DAY="${DAY:-1}"
NEXT_DATE="$(date -u -d "$END_DATE + $DAY day" +%F)"
PREV_DATE="$(date -u -d "$END_DATE + $((DAY - 1)) day" +%F)"
say() { printf 'bench-scale: %s\n' "$*" >&2; }
[ -x "$FITDATA" ] || { say "fitdata binary not found at $FITDATA"; exit 2; }
mkdir -p "$OUT"
: >"$SUMMARY"
note() { printf '%s\n' "$*" | tee -a "$SUMMARY" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

export PGDATABASE="$DB"
unset DATABASE_URL
# Rows written to the model tables, from PostgreSQL's own counters (inserted + deleted since the snapshot in $1;
# a table built anew counts all its rows). Run results are not used: the pipeline's test step rewrites them.
table_stats() {
  psql -AtF' ' -c "SELECT relid, schemaname || '.' || relname, n_tup_ins, n_tup_del FROM pg_stat_user_tables WHERE schemaname IN ('marts', 'intermediate')"
}
rows_written() {
  sleep 1
  table_stats >"$1.after"
  python3 - "$1" "$1.after" <<'PY'
import sys
def read(p):
    out = {}
    for line in open(p):
        relid, name, ins, dele = line.split()
        out[relid] = (name, int(ins), int(dele))
    return out
before, after = read(sys.argv[1]), read(sys.argv[2])
total, per = 0, []
for relid, (name, ins, dele) in after.items():
    b = before.get(relid, (name, 0, 0))
    n = (ins - b[1]) + (dele - b[2])
    total += n
    if n:
        per.append((n, name))
per.sort(reverse=True)
print(f"{total} rows written to {len(per)} tables (largest: " + ", ".join(f"{name} {n}" for n, name in per[:5]) + ")")
PY
}

PROJECT="$OUT/dbt_style_models"
note "== $TAG: $ATHLETES athletes x $YEARS years ending $END_DATE (seed $SEED), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)${RESUME:+ (resumed at the $RESUME step)}"
if [ "${RESUME:-}" != daily ]; then
psql -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  t=$(now)
  "$FITDATA" sample --athletes "$ATHLETES" --weeks $((YEARS * 52)) --seed "$SEED" --end-date "$END_DATE" --out "$OUT/base" >/dev/null 2>"$OUT/sample-base.log"
  note "generate: $(since "$t") s ($(tail -n 1 "$OUT/sample-base.log"))"
  t=$(now)
  FITDATA="$FITDATA" scripts/load-sample-athletes.sh "$OUT/base" 2>"$OUT/load-base.log"
  note "full load: $(since "$t") s; $(psql -Atqc "SELECT count(*) || ' sets, ' || (SELECT count(*) FROM core.workouts) || ' workouts, ' || (SELECT count(*) FROM core.nutrition_days) || ' nutrition days' FROM core.sets")"
  note "database size after load: $(psql -Atqc "SELECT pg_size_pretty(pg_database_size(current_database()))")"

# The project as it is when the load is done: edits made later do not reach the pipelines (a changed project
# would make the daily pipeline rebuild everything).
rm -rf "$PROJECT"
cp -R "$ROOT/dbt_style_models" "$PROJECT"
rm -rf "$PROJECT/target" "$PROJECT/logs"
note "project: dbt_style_models at $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- dbt_style_models || echo ' (with uncommitted changes)')"

# The first pipeline builds everything (no successful pipeline build recorded yet).
rm -rf "$OUT/target"
table_stats >"$OUT/stats-full"
t=$(now)
"$FITDATA" pipeline daily --athlete athlete-0001 --log-format json --project-dir "$PROJECT" --target-dir "$OUT/target" >"$OUT/pipeline-full.json" 2>"$OUT/pipeline-full.log" \
  || { say "full pipeline failed: see $OUT/pipeline-full.json"; exit 1; }
note "full build (pipeline daily, first run): $(since "$t") s; build step $(python3 -c 'import json,sys; [print(round(o["duration_ms"]/1000,1), "s") for o in map(json.loads, open(sys.argv[1])) if o["step"]=="build"]' "$OUT/pipeline-full.json"); $(rows_written "$OUT/stats-full")"
note "full build's test step: $(python3 -c 'import json,sys; [print(round(o["duration_ms"]/1000,1), "s;", o.get("note")) for o in map(json.loads, open(sys.argv[1])) if o["step"]=="test"]' "$OUT/pipeline-full.json")"
note "database size after the full build: $(psql -Atqc "SELECT pg_size_pretty(pg_database_size(current_database()))")"
fi

if [ -n "${REFRESH_PROJECT:-}" ]; then
  rm -rf "$PROJECT"
  # the commit the copy is taken from (and whether the project had uncommitted edits then)
  REV="$(git -C "$ROOT" rev-parse --short HEAD)"
  if [ -n "$(git -C "$ROOT" status --porcelain -- dbt_style_models)" ]; then REV="$REV+edits"; fi
  cp -R "$ROOT/dbt_style_models" "$PROJECT"
  rm -rf "$PROJECT/target" "$PROJECT/logs"
  t=$(now)
  "$FITDATA" pipeline daily --athlete athlete-0001 --log-format json --project-dir "$PROJECT" --target-dir "$OUT/target" >"$OUT/pipeline-refresh.json" 2>"$OUT/pipeline-refresh.log" \
    || { say "pipeline after the project refresh failed: see $OUT/pipeline-refresh.json"; exit 1; }
  note "project refreshed to dbt_style_models at $REV; the pipeline rebuilt everything (the project changed): $(since "$t") s"
fi

# One more day for every athlete: the records day DAY's sample adds to day DAY-1's, per file.
t=$(now)
rm -rf "$OUT/next" "$OUT/delta" "$OUT/prev"
PREV="$OUT/base"
if [ "$DAY" -gt 1 ]; then
  PREV="$OUT/prev"
  "$FITDATA" sample --athletes "$ATHLETES" --weeks $((YEARS * 52)) --seed "$SEED" --end-date "$PREV_DATE" --out "$PREV" >/dev/null 2>"$OUT/sample-prev.log"
fi
"$FITDATA" sample --athletes "$ATHLETES" --weeks $((YEARS * 52)) --seed "$SEED" --end-date "$NEXT_DATE" --out "$OUT/next" >/dev/null 2>"$OUT/sample-next.log"
python3 - "$PREV" "$OUT/next" "$OUT/delta" <<'PY'
import csv, os, sys
base, nxt, delta = sys.argv[1:]

def records(path):
    """The file's CSV records as their raw text (a quoted field may span lines: Hevy's multi-line notes)."""
    with open(path, encoding="utf-8", newline="") as f:
        raw = []
        def lines():
            for line in f:
                raw.append(line)
                yield line
        out = []
        for _ in csv.reader(lines()):   # the reader takes exactly one record's lines per row
            # without its line break: the file's last record may have none, and the next sample's window starts a
            # day later, so a record that ends one file may not end the other
            out.append("".join(raw).rstrip("\r\n"))
            raw.clear()
        return out

rows = list(csv.DictReader(open(os.path.join(nxt, "athletes.csv"))))
for r in rows:
    for col in ("hevy_csv", "nutrition_csv", "body_weight_csv"):
        rel = r[col]
        if not rel:
            continue
        old = set(records(os.path.join(base, rel))[1:])
        recs = records(os.path.join(nxt, rel))
        new = [rec for rec in recs[1:] if rec not in old]
        if new:
            os.makedirs(os.path.dirname(os.path.join(delta, rel)), exist_ok=True)
            with open(os.path.join(delta, rel), "w", encoding="utf-8", newline="") as f:
                f.write("\n".join([recs[0]] + new) + "\n")
with open(os.path.join(delta, "athletes.csv"), "w") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
PY
note "next day ($NEXT_DATE) generated and cut to deltas: $(since "$t") s; $(find "$OUT/delta" -name '*.csv' ! -name athletes.csv | wc -l) delta files"

# Load the deltas (each athlete's new lines), then the daily pipeline.
t=$(now)
# LOAD_JOBS athletes at a time, one chain of loads per athlete (as scripts/load-sample-athletes.sh does).
load_delta() {
  IFS=, read -r id tz split spw units hevy nutrition format bw from kcal protein <<<"$1"
  { [ ! -f "$OUT/delta/$hevy" ] || "$FITDATA" load hevy-csv "$OUT/delta/$hevy" --athlete "$id" --timezone "$tz" --max-rejects 0; } &&
  { [ ! -f "$OUT/delta/$nutrition" ] || "$FITDATA" load nutrition "$OUT/delta/$nutrition" --athlete "$id" --format "$format" --max-rejects 0; } &&
  { [ -z "$bw" ] || [ ! -f "$OUT/delta/$bw" ] || "$FITDATA" load body-weight "$OUT/delta/$bw" --athlete "$id" --max-rejects 0; }
}
export -f load_delta
export OUT FITDATA
tail -n +2 "$OUT/delta/athletes.csv" | xargs -d '\n' -P "${LOAD_JOBS:-2}" -I{} bash -c 'load_delta "$1"' _ {} \
  >"$OUT/load-delta.log" 2>&1 || { say "a delta load failed: see $OUT/load-delta.log"; exit 1; }
note "daily load (one day, every athlete): $(since "$t") s; $(psql -Atqc "SELECT count(*) || ' change_log rows, ' || count(DISTINCT athlete_sk) || ' athletes' FROM core.change_log")"
table_stats >"$OUT/stats-daily"
t=$(now)
"$FITDATA" pipeline daily --athlete athlete-0001 --log-format json --project-dir "$PROJECT" --target-dir "$OUT/target" >"$OUT/pipeline-daily.json" 2>"$OUT/pipeline-daily.log" \
  || { say "daily pipeline failed: see $OUT/pipeline-daily.json"; exit 1; }
note "daily build (pipeline daily, incremental): $(since "$t") s; build step $(python3 -c 'import json,sys; [print(round(o["duration_ms"]/1000,1), "s") for o in map(json.loads, open(sys.argv[1])) if o["step"]=="build"]' "$OUT/pipeline-daily.json"); $(rows_written "$OUT/stats-daily")"
python3 - "$OUT/pipeline-daily.json" <<'PY' | tee -a "$SUMMARY" >&2
import json, sys
steps = {o["step"]: o for o in map(json.loads, open(sys.argv[1]))}
build, test = steps["build"], steps["test"]
print("daily build selection: " + " ".join(build.get("selection") or ["(everything)"]) + "; note: " + str(build.get("note")))
print(f"daily test step: {test['duration_ms'] / 1000:.1f} s, {test['counts'].get('pass', 0)} passed; reads: {test.get('note')}")
PY
say "summary: $SUMMARY"

# The three typical dashboard queries with EXPLAIN ANALYZE (scripts/bench-dashboard.sh); plans beside the summary.
scripts/bench-dashboard.sh "$WORK/dashboard-plans-$TAG.txt" | tee -a "$SUMMARY" >&2
say "plans: $WORK/dashboard-plans-$TAG.txt"
