"""Alerting for open-source Dagster: two sensors, running by default.

check_alerts reads the evaluations of every asset check the definitions hold (a new check is
alerted on with no extra code); refresh_run_failures reads finished runs of the refresh jobs.
Both keep their progress and undelivered alerts in the sensor cursor, so a restart neither
repeats nor loses an alert.
"""

import datetime as dt
import json
import os

from dagster import AssetKey, DagsterEventType, DagsterRunStatus, DefaultSensorStatus, RunsFilter, SkipReason, sensor
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from cobranza_pipeline.alert_channels import channels_from_env
from cobranza_pipeline.alert_delivery import deliver
from cobranza_pipeline.alert_rules import Alert, StreakState, apply_result
from cobranza_pipeline.jobs import ALL_JOBS, CHECKS_JOB_NAME
from cobranza_pipeline.run_summary import root_message

REFRESH_JOBS = [job.name for job in ALL_JOBS if job.name != CHECKS_JOB_NAME]
HISTORY_PAGE = 100


def run_url(run_id: str) -> str:
    return f"{os.environ.get('COBRANZA_UI_BASE_URL', 'http://127.0.0.1:3000').rstrip('/')}/runs/{run_id}"


def load_cursor(raw: str | None) -> dict:
    cursor = json.loads(raw) if raw else {}
    cursor.setdefault("progress", {})
    cursor.setdefault("streaks", {})
    cursor.setdefault("pending", [])
    return cursor


def check_alert(kind: str, check_key, record) -> Alert:
    evaluation = record.evaluation
    metadata = evaluation.metadata if evaluation else {}
    severity = evaluation.severity.value if evaluation and evaluation.severity else "ERROR"
    return Alert(
        kind=kind,
        subject=f"{check_key.asset_key.to_user_string()} / {check_key.name}",
        severity=severity,
        summary=(evaluation.description or "") if evaluation else "",
        runbook=metadata["runbook"].value if "runbook" in metadata else "",
        run_id=record.run_id,
        run_url=run_url(record.run_id),
        details={name: str(metadata[name].value) for name in ("value", "threshold") if name in metadata},
    )


def new_check_alerts(instance, check_keys, cursor: dict) -> list[Alert]:
    alerts = []
    for check_key in sorted(check_keys, key=lambda key: key.to_user_string()):
        name = check_key.to_user_string()
        last_id = cursor["progress"].get(name, 0)
        state = StreakState(**cursor["streaks"].get(name, {}))
        history = instance.event_log_storage.get_asset_check_execution_history(check_key, limit=HISTORY_PAGE)
        for record in sorted((r for r in history if r.id > last_id), key=lambda r: r.id):
            if record.status == AssetCheckExecutionRecordStatus.PLANNED:
                run = instance.get_run_by_id(record.run_id)
                if run is None or not run.is_finished:
                    break  # still running: look again next tick, never skip past it
                last_id = record.id  # planned but never evaluated (run ended early): nothing to say
                continue
            passed = record.status == AssetCheckExecutionRecordStatus.SUCCEEDED
            alerts += apply_result(state, passed, lambda kind: check_alert(kind, check_key, record))
            last_id = record.id
        cursor["progress"][name] = last_id
        cursor["streaks"][name] = vars(state)
    return alerts


REPORT_KEY = AssetKey(["ops", "validation_report"])


def digest_alert(instance, cursor: dict) -> list[Alert]:
    """One message with the state of every check after each new validation report (the daily
    job writes one); COBRANZA_ALERT_DIGEST=false turns it off."""
    if os.environ.get("COBRANZA_ALERT_DIGEST", "true").lower() in ("0", "false", "no"):
        return []
    event = instance.get_latest_materialization_event(REPORT_KEY)
    if event is None or event.run_id == cursor["progress"].get("digested_run"):
        return []
    cursor["progress"]["digested_run"] = event.run_id
    report = event.asset_materialization.metadata["report"].value
    not_passing = [f"[{c['status'].upper()}] {c['name']}: {c['description']}" for c in report["checks"] if c["status"] != "pass"]
    counts = report["counts"]
    return [Alert(
        kind="DIGEST", subject="daily validation",
        severity="ERROR" if counts["fail"] else ("WARN" if counts["warn"] else "INFO"),
        summary=f"{report['status']}: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail"
        + "".join("\n" + line for line in not_passing),
        run_id=event.run_id, run_url=run_url(event.run_id),
    )]


@sensor(default_status=DefaultSensorStatus.RUNNING, minimum_interval_seconds=30,
        description="Alerts when an asset check starts failing, recovers, or fails 3 times in a row; "
        "sends a digest of every check after each validation report.")
def check_alerts(context):
    cursor = load_cursor(context.cursor)
    check_keys = context.repository_def.asset_graph.asset_check_keys
    alerts = new_check_alerts(context.instance, check_keys, cursor) + digest_alert(context.instance, cursor)
    cursor["pending"] = deliver(alerts, cursor["pending"], channels_from_env(), context.log)
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    if not alerts:
        return SkipReason(f"no new alert ({len(cursor['pending'])} deliveries pending)")


def run_failure_message(instance, run_id: str) -> str:
    for record in instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE):
        return root_message(record.dagster_event.event_specific_data.error)
    for record in instance.all_logs(run_id, of_type=DagsterEventType.RUN_FAILURE):
        data = record.dagster_event.event_specific_data if record.dagster_event else None
        if data is not None and data.error is not None:  # failed before any step, e.g. no database
            return root_message(data.error)
        return record.message or "run failed"
    return "run failed"


SEEN_RUNS_KEPT = 500


def new_run_alerts(instance, cursor: dict) -> list[Alert]:
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
                run_id=run.run_id, run_url=run_url(run.run_id),
            ))
            cursor["progress"]["updated_after"] = max(record.update_timestamp.timestamp(), cursor["progress"].get("updated_after") or 0)
        cursor["streaks"][job] = vars(state)
    del seen[:-SEEN_RUNS_KEPT]
    return alerts


@sensor(default_status=DefaultSensorStatus.RUNNING, minimum_interval_seconds=30,
        description="Alerts when a refresh job's run fails, recovers, or fails 3 times in a row.")
def refresh_run_failures(context):
    cursor = load_cursor(context.cursor)
    alerts = new_run_alerts(context.instance, cursor)
    cursor["pending"] = deliver(alerts, cursor["pending"], channels_from_env(), context.log)
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    if not alerts:
        return SkipReason(f"no new alert ({len(cursor['pending'])} deliveries pending)")
