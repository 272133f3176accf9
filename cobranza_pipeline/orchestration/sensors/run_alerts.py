"""refresh_run_failures: alerts on finished runs that materialize the cobranza MV, however they
were started: the refresh jobs, a Materialize click or a backfill (the UI's asset job), the
schedule, a sensor, the CLI."""

import datetime as dt

from dagster import DagsterRunStatus, DefaultSensorStatus, RunsFilter, sensor

from cobranza_pipeline.alerting.rules import Alert, StreakState, apply_result, cause_of
from cobranza_pipeline.orchestration.dead_runs import fail_runs_of_dead_processes
from cobranza_pipeline.orchestration.jobs import ALL_JOBS, CHECKS_JOB_NAME
from cobranza_pipeline.orchestration.keys import FINISHED, MV_KEY
from cobranza_pipeline.orchestration.run_errors import run_failure_message
from cobranza_pipeline.orchestration.sensors.alert_cursor import end_tick, load_cursor, run_url
from cobranza_pipeline.settings import AlertSettings, Settings

REFRESH_JOBS = [job.name for job in ALL_JOBS if job.name != CHECKS_JOB_NAME]
SEEN_RUNS_KEPT = 500
RUNBOOK = "Read the run's error and ops.mv_refresh_log; the MV keeps its previous rows."


def materializes_the_mv(run) -> bool:
    return run.job_name in REFRESH_JOBS or MV_KEY in (run.asset_selection or ())


def new_run_alerts(instance, cursor: dict, settings: AlertSettings) -> list[Alert]:
    """Finished MV runs not seen before, in the order they finished. A finished run can be
    updated later (run retries tag it), so update time alone would bring it back: the ids of
    runs already counted are kept too."""
    alerts = []
    after = cursor["progress"].get("updated_after")
    seen = cursor["progress"].setdefault("seen_runs", [])
    records = instance.get_run_records(
        filters=RunsFilter(
            statuses=FINISHED, updated_after=dt.datetime.fromtimestamp(after, dt.timezone.utc) if after else None),
        order_by="update_timestamp",
        ascending=True,
    )
    for record in records:
        run = record.dagster_run
        cursor["progress"]["updated_after"] = max(record.update_timestamp.timestamp(), after or 0)
        if run.run_id in seen or not materializes_the_mv(run):
            continue
        seen.append(run.run_id)
        state = StreakState(**cursor["streaks"].get(run.job_name, {}))
        passed = run.status == DagsterRunStatus.SUCCESS
        message = "refresh succeeded" if passed else run_failure_message(instance, run.run_id)
        alerts += apply_result(state, passed, lambda kind: Alert(
            kind=kind, subject=f"job {run.job_name}", severity="ERROR", summary=message, runbook=RUNBOOK,
            run_id=run.run_id, run_url=run_url(settings, run.run_id),
        ), cause="" if passed else cause_of(message))
        cursor["streaks"][run.job_name] = vars(state)
    del seen[:-SEEN_RUNS_KEPT]
    return alerts


def refresh_run_failures_sensor(min_interval_s: int = 30):
    """The run alert sensor, ticking at most every min_interval_s (COBRANZA_ALERT_SENSOR_INTERVAL_S)."""

    @sensor(name="refresh_run_failures", default_status=DefaultSensorStatus.RUNNING,
            minimum_interval_seconds=min_interval_s,
            description="Alerts when a run that materializes the cobranza MV (any job, a Materialize click, a "
            "backfill) fails, fails for another cause, recovers, or fails 3 times in a row. Marks failed a "
            "run whose process died.")
    def _refresh_run_failures(context):
        alert_settings = Settings.from_env().alerts
        fail_runs_of_dead_processes(context.instance, context.log)
        cursor = load_cursor(context.cursor)
        alerts = new_run_alerts(context.instance, cursor, alert_settings)
        return end_tick(context, cursor, alerts, alert_settings)

    return _refresh_run_failures


refresh_run_failures = refresh_run_failures_sensor()
