"""refresh_run_failures: alerts on finished runs of the refresh jobs."""

import datetime as dt

from dagster import DagsterRunStatus, DefaultSensorStatus, RunsFilter, sensor

from cobranza_pipeline.alerting.rules import Alert, StreakState, apply_result
from cobranza_pipeline.orchestration.jobs import ALL_JOBS, CHECKS_JOB_NAME
from cobranza_pipeline.orchestration.run_errors import run_failure_message
from cobranza_pipeline.orchestration.sensors.alert_cursor import end_tick, load_cursor, run_url
from cobranza_pipeline.settings import AlertSettings, Settings

REFRESH_JOBS = [job.name for job in ALL_JOBS if job.name != CHECKS_JOB_NAME]
SEEN_RUNS_KEPT = 500


def new_run_alerts(instance, cursor: dict, settings: AlertSettings) -> list[Alert]:
    """Finished refresh runs not seen before, in the order they finished. A finished run can be
    updated later (run retries tag it), so update time alone would bring it back: the ids of
    runs already counted are kept too."""
    alerts = []
    after = cursor["progress"].get("updated_after")
    seen = cursor["progress"].setdefault("seen_runs", [])
    for job in REFRESH_JOBS:
        state = StreakState(**cursor["streaks"].get(job, {}))
        records = instance.get_run_records(
            filters=RunsFilter(
                job_name=job,
                statuses=[DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE],
                updated_after=dt.datetime.fromtimestamp(after, dt.timezone.utc) if after else None,
            ),
            order_by="update_timestamp",
            ascending=True,
        )
        for record in records:
            run = record.dagster_run
            if run.run_id in seen:
                continue
            seen.append(run.run_id)
            passed = run.status == DagsterRunStatus.SUCCESS
            alerts += apply_result(state, passed, lambda kind: Alert(
                kind=kind, subject=f"job {job}", severity="ERROR",
                summary="refresh succeeded" if passed else run_failure_message(instance, run.run_id),
                runbook="Read the run's error and ops.mv_refresh_log; the MV keeps its previous rows.",
                run_id=run.run_id, run_url=run_url(settings, run.run_id),
            ))
            cursor["progress"]["updated_after"] = max(record.update_timestamp.timestamp(), cursor["progress"].get("updated_after") or 0)
        cursor["streaks"][job] = vars(state)
    del seen[:-SEEN_RUNS_KEPT]
    return alerts


@sensor(default_status=DefaultSensorStatus.RUNNING, minimum_interval_seconds=30,
        description="Alerts when a refresh job's run fails, recovers, or fails 3 times in a row.")
def refresh_run_failures(context):
    alert_settings = Settings.from_env().alerts
    cursor = load_cursor(context.cursor)
    alerts = new_run_alerts(context.instance, cursor, alert_settings)
    return end_tick(context, cursor, alerts, alert_settings)
