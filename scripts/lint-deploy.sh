#!/usr/bin/env bash
# `make lint-deploy` (CI): the deployment files are checked, not just written.
#   - cfn-lint (pinned in scripts/test-requirements.txt) on deploy/aws/*.yaml: no errors, warnings or infos;
#   - the systemd timers' OnCalendar expressions parse, time zone included (when systemd-analyze exists);
#   - deploy/bin/fitdata-pipeline passes the settings of the environment file as the documented arguments,
#     and answers bad usage and a missing time zone with exit 2;
#   - the Airflow DAG file compiles (importing it needs Airflow: `make airflow-check`).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${FITDATA_TEST_PYTHON:-.venv-test/bin/python}   # cfn-lint is installed next to it
fail() { echo "lint-deploy: $*" >&2; exit 1; }

"$(dirname "$PY")/cfn-lint" --include-checks I -- deploy/aws/*.yaml || fail "cfn-lint found problems in deploy/aws"
echo "lint-deploy: cfn-lint clean: $(ls deploy/aws/*.yaml | tr '\n' ' ')"
# cfn-lint does not read the schedules' Input strings: each must be JSON whose command is a fitdata pipeline run.
"$PY" - <<'PYEOF' || fail "a schedule's Input in deploy/aws is not the expected JSON"
import glob, json, re
from cfnlint.decode import decode
for path in glob.glob("deploy/aws/*.yaml"):
    template, _ = decode(path)
    for name, res in template["Resources"].items():
        if res["Type"] != "AWS::Scheduler::Schedule":
            continue
        subs = []
        def walk(x):
            if isinstance(x, dict):
                for k, v in x.items():
                    subs.append(v) if k == "Fn::Sub" else walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        walk(res["Properties"]["Target"]["Input"])
        assert subs, f"{path}: {name}: Input has no Fn::Sub"
        for text in subs:
            command = json.loads(re.sub(r"\$\{[^}]+\}", "X", text))["containerOverrides"][0]["command"]
            assert command[:2] in (["pipeline", "daily"], ["pipeline", "weekly"]), f"{path}: {name}: {command}"
print("lint-deploy: the schedules' Input is JSON running fitdata pipeline daily|weekly")
PYEOF

if command -v systemd-analyze >/dev/null; then
  for t in deploy/systemd/*.timer; do
    spec=$(sed -n 's/^OnCalendar=//p' "$t")
    systemd-analyze calendar "$spec" >/dev/null || fail "$t: OnCalendar=$spec does not parse"
    unit=$(sed -n 's/^Unit=//p' "$t")   # fitdata-pipeline@daily.service → the template fitdata-pipeline@.service
    [ -f "deploy/systemd/${unit%%@*}@.service" ] || fail "$t: Unit=$unit has no template in deploy/systemd"
  done
  echo "lint-deploy: systemd OnCalendar expressions parse"
else
  echo "lint-deploy: systemd-analyze not found; timer expressions not checked"
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '#!/bin/sh\nfor a in "$@"; do printf "[%%s]" "$a"; done; echo; echo "cwd=$(pwd)"\n' > "$tmp/fitdata"
chmod +x "$tmp/fitdata"
cat > "$tmp/env" <<ENV
FITDATA_ATHLETE=ana
FITDATA_TIMEZONE=America/Sao_Paulo
FITDATA_HOME=$tmp
FITDATA_BIN=$tmp/fitdata
FITDATA_WEEKLY_ARGS="--llm none --out $tmp/reports"
ENV
run() { FITDATA_ENV_FILE="$tmp/env" FITDATA_INBOX="$tmp/in box" deploy/bin/fitdata-pipeline "$@"; }   # a space survives
got=$(run daily)
want="[pipeline][daily][--athlete][ana][--timezone][America/Sao_Paulo][--inbox][$tmp/in box][--log-format][json]
cwd=$tmp"
[ "$got" = "$want" ] || fail "fitdata-pipeline daily passed: $got; expected: $want"
got=$(run weekly --threads 2)
want="[pipeline][weekly][--athlete][ana][--timezone][America/Sao_Paulo][--inbox][$tmp/in box][--log-format][json][--llm][none][--out][$tmp/reports][--threads][2]
cwd=$tmp"
[ "$got" = "$want" ] || fail "fitdata-pipeline weekly passed: $got; expected: $want"
set +e
run hourly 2>/dev/null; [ $? -eq 2 ] || fail "fitdata-pipeline hourly: expected exit 2"
sed -i '/FITDATA_TIMEZONE/d' "$tmp/env"
run daily 2>/dev/null; [ $? -eq 2 ] || fail "fitdata-pipeline without FITDATA_TIMEZONE: expected exit 2"
set -e
echo "lint-deploy: deploy/bin/fitdata-pipeline passes the documented arguments"

python3 -m py_compile deploy/airflow/fitdata_dags.py deploy/airflow/check_dags.py
echo "lint-deploy: Airflow DAG file compiles"
