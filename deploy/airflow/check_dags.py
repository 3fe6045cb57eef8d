"""`make airflow-check`: loads deploy/airflow into a DagBag and fails on import errors or unexpected schedules."""

from __future__ import annotations

import os
import sys

from airflow.models.dagbag import DagBag

folder = os.path.dirname(os.path.abspath(__file__))
bag = DagBag(dag_folder=os.path.join(folder, "fitdata_dags.py"), include_examples=False)
problems = [f"import error in {path}: {err}" for path, err in bag.import_errors.items()]
expected = {"fitdata_daily": "0 6 * * *", "fitdata_weekly": "0 7 * * 1"}
if set(bag.dag_ids) != set(expected):
    problems.append(f"DAGs {sorted(bag.dag_ids)}, expected {sorted(expected)}")
for dag_id, cron in expected.items():
    dag = bag.dags.get(dag_id)
    if dag is None:
        continue
    summary = getattr(dag.timetable, "summary", "")
    zone = str(dag.timezone.name if hasattr(dag.timezone, "name") else dag.timezone)
    if summary != cron:
        problems.append(f"{dag_id}: schedule {summary!r}, expected {cron!r}")
    if zone != os.environ.get("FITDATA_TIMEZONE", "Europe/Lisbon"):
        problems.append(f"{dag_id}: time zone {zone}, expected the athlete's")
    if [t.task_id for t in dag.tasks] != [f"pipeline_{dag_id.removeprefix('fitdata_')}"]:
        problems.append(f"{dag_id}: tasks {[t.task_id for t in dag.tasks]}")
# The exit-status mapping of the task: 2 is final (no retry), 1 retryable, 0 success (a stub wrapper).
import importlib.util
import stat
import tempfile

from airflow.exceptions import AirflowException, AirflowFailException

with tempfile.TemporaryDirectory() as tmp:
    stub = os.path.join(tmp, "fitdata-pipeline")
    with open(stub, "w") as f:
        f.write('#!/bin/sh\nexit "$STUB_STATUS"\n')
    os.chmod(stub, stat.S_IRWXU)
    os.environ["FITDATA_PIPELINE"] = stub
    spec = importlib.util.spec_from_file_location("fitdata_dags_check", os.path.join(folder, "fitdata_dags.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for status, expected_error in (("0", None), ("1", AirflowException), ("2", AirflowFailException)):
        os.environ["STUB_STATUS"] = status
        try:
            module.run_pipeline("daily")
            raised = None
        except AirflowException as e:
            raised = type(e)
        if raised is not expected_error:
            problems.append(f"exit {status}: raised {raised.__name__ if raised else 'nothing'}, expected "
                            f"{expected_error.__name__ if expected_error else 'nothing'}")

for p in problems:
    print(p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"airflow-check: {len(bag.dag_ids)} DAGs import without errors: {', '.join(sorted(bag.dag_ids))}")
