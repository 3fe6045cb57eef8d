#!/usr/bin/env bash
# `make airflow-check`: installs the pinned apache-airflow (deploy/airflow/requirements.txt) with its constraints
# file into .venv-airflow and loads deploy/airflow into a DagBag (fails on import errors). Not run in CI.
# AIRFLOW_CONSTRAINTS: a constraints file or URL (default: Airflow's published one for this version and Python);
# set it empty to install without constraints (e.g. when raw.githubusercontent.com is unreachable).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-airflow
REQ=deploy/airflow/requirements.txt
version=$(sed -n 's/^apache-airflow==//p' "$REQ")
py=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
constraints=${AIRFLOW_CONSTRAINTS-https://raw.githubusercontent.com/apache/airflow/constraints-$version/constraints-$py.txt}
stamp="$VENV/.installed"
want="$version $constraints"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$VENV"
  echo "airflow-check: installing apache-airflow $version (python $py) ${constraints:+with $constraints}"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ" ${constraints:+-c "$constraints"}
  echo "$want" > "$stamp"
fi
home=$(mktemp -d); trap 'rm -rf "$home"' EXIT
AIRFLOW_HOME="$home" AIRFLOW__CORE__LOAD_EXAMPLES=False AIRFLOW__CORE__UNIT_TEST_MODE=True \
  "$VENV/bin/python" deploy/airflow/check_dags.py
