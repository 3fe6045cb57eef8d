"""Apache Airflow DAGs that run the fitdata pipeline: `fitdata_daily` and `fitdata_weekly` (docs/deployment.md).

For teams that already run Airflow. Each DAG has one task that runs deploy/bin/fitdata-pipeline (the same
command line cron and systemd use) on the Airflow worker, which needs the fitdata binary, the project
folder and /etc/fitdata/fitdata.env. The schedules are read in the athlete's time zone: Airflow evaluates
a cron schedule in the zone of the DAG's start_date, so daylight saving time moves the UTC run time with it.

Settings (worker environment, read when the DAG file is parsed):
  FITDATA_TIMEZONE  the athlete's zone (default Europe/Lisbon)
  FITDATA_PIPELINE  the wrapper (default /opt/fitdata/deploy/bin/fitdata-pipeline)

Exit codes: 1 (the work failed) raises AirflowException, so Airflow retries (every step is safe to rerun);
2 (bad usage or configuration) raises AirflowFailException: no retry, a person must fix the settings.
"""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta

import pendulum
from airflow.exceptions import AirflowException, AirflowFailException

try:  # Airflow 3
    from airflow.sdk import DAG
    from airflow.providers.standard.operators.python import PythonOperator
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.operators.python import PythonOperator

TIMEZONE = os.environ.get("FITDATA_TIMEZONE", "Europe/Lisbon")
PIPELINE = os.environ.get("FITDATA_PIPELINE", "/opt/fitdata/deploy/bin/fitdata-pipeline")

# Daily at 06:00 and weekly on Monday at 07:00, in the athlete's zone (same times as cron and systemd).
SCHEDULES = {"daily": "0 6 * * *", "weekly": "0 7 * * 1"}


def run_pipeline(kind: str) -> None:
    """Runs `fitdata-pipeline KIND` and maps its exit status to a retryable or a final task failure."""
    status = subprocess.run([PIPELINE, kind], check=False).returncode
    if status == 2:
        raise AirflowFailException(f"fitdata pipeline {kind}: bad usage or configuration (exit 2); not retried")
    if status != 0:
        raise AirflowException(f"fitdata pipeline {kind} failed (exit {status}); safe to retry")


for _kind, _cron in SCHEDULES.items():
    with DAG(
        dag_id=f"fitdata_{_kind}",
        description=f"fitdata pipeline {_kind}",
        schedule=_cron,
        start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
        catchup=False,
        max_active_runs=1,
        default_args={"retries": 2, "retry_delay": timedelta(minutes=15)},
        tags=["fitdata"],
    ) as _dag:
        PythonOperator(
            task_id=f"pipeline_{_kind}",
            python_callable=run_pipeline,
            op_kwargs={"kind": _kind},
            execution_timeout=timedelta(hours=2),
        )
    globals()[_dag.dag_id] = _dag
