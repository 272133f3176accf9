"""check_alerts: alerts on the evaluations of every asset check the definitions hold (a new
check is alerted on with no extra code), plus a digest after each validation report."""

from dagster import DefaultSensorStatus, sensor

from cobranza_pipeline.alerting.rules import Alert, StreakState, apply_result
from cobranza_pipeline.orchestration.keys import REPORT_KEY
from cobranza_pipeline.orchestration.sensors.alert_cursor import end_tick, load_cursor, run_url
from cobranza_pipeline.settings import AlertSettings, Settings

HISTORY_PAGE = 100
PLANNED = "PLANNED"  # an execution record's status while its check has not been evaluated yet
SUCCEEDED = "SUCCEEDED"


def check_alert(kind: str, check_key, record, settings: AlertSettings) -> Alert:
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
        run_url=run_url(settings, record.run_id),
        details={name: str(metadata[name].value) for name in ("value", "threshold") if name in metadata},
    )


def new_check_alerts(instance, check_keys, cursor: dict, settings: AlertSettings) -> list[Alert]:
    alerts = []
    for check_key in sorted(check_keys, key=lambda key: key.to_user_string()):
        name = check_key.to_user_string()
        last_id = cursor["progress"].get(name, 0)
        state = StreakState(**cursor["streaks"].get(name, {}))
        history = instance.event_log_storage.get_asset_check_execution_history(check_key, limit=HISTORY_PAGE)
        records = sorted((r for r in history if r.id > last_id), key=lambda r: r.id)
        for index, record in enumerate(records):
            if record.status.value == PLANNED:
                run = instance.get_run_by_id(record.run_id)
                newer_result = any(later.status.value != PLANNED for later in records[index + 1:])
                if run is not None and not run.is_finished and not newer_result:
                    break  # still running: look again next tick, never skip past it
                # Ended early (nothing to say), or a later run evaluated the check since: that
                # newer result is the one to alert on, so a run that hangs blocks nothing.
                last_id = record.id
                continue
            passed = record.status.value == SUCCEEDED
            severity = record.evaluation.severity.value if record.evaluation and record.evaluation.severity else "ERROR"
            alerts += apply_result(state, passed, lambda kind: check_alert(kind, check_key, record, settings), severity)
            last_id = record.id
        cursor["progress"][name] = last_id
        cursor["streaks"][name] = vars(state)
    return alerts


def digest_alert(instance, cursor: dict, settings: AlertSettings) -> list[Alert]:
    """One message with the state of every check after each new validation report (the daily
    job writes one); COBRANZA_ALERT_DIGEST=false turns it off."""
    if not settings.digest:
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
        run_id=event.run_id, run_url=run_url(settings, event.run_id),
    )]


def check_alerts_sensor(min_interval_s: int = 30):
    """The check alert sensor, ticking at most every min_interval_s (COBRANZA_ALERT_SENSOR_INTERVAL_S)."""

    @sensor(name="check_alerts", default_status=DefaultSensorStatus.RUNNING, minimum_interval_seconds=min_interval_s,
            description="Alerts when an asset check starts failing, gets worse (WARN -> ERROR), recovers, or "
            "fails 3 times in a row; sends a digest of every check after each validation report.")
    def _check_alerts(context):
        alert_settings = Settings.from_env().alerts
        cursor = load_cursor(context.cursor)
        check_keys = context.repository_def.asset_graph.asset_check_keys
        alerts = (new_check_alerts(context.instance, check_keys, cursor, alert_settings)
                  + digest_alert(context.instance, cursor, alert_settings))
        return end_tick(context, cursor, alerts, alert_settings)

    return _check_alerts


check_alerts = check_alerts_sensor()
