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
for p in problems:
    print(p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"airflow-check: {len(bag.dag_ids)} DAGs import without errors: {', '.join(sorted(bag.dag_ids))}")
