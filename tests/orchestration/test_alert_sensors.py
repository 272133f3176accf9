"""README "Alerts": the alerting sensors over REAL check history and runs (an ephemeral Dagster
instance holding in-process runs of the jobs against a tiny fixture), delivering to a local
JSON webhook (tests/support/alert_servers.py). Each tick feeds the previous tick's cursor."""

import json
from datetime import date, datetime, timezone

from dagster import (
    AssetCheckEvaluation,
    AssetCheckKey,
    AssetCheckSeverity,
    AssetKey,
    DagsterEvent,
    DagsterEventType,
    DagsterRun,
    DagsterRunStatus,
    MetadataValue,
    build_sensor_context,
)
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationPlanned,
)
from dagster._core.storage.asset_check_execution_record import (
    AssetCheckExecutionRecordStatus,
)
from dagster._core.utils import make_new_run_id

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import CHECKS_JOB_NAME, DAILY_JOB_NAME
from cobranza_pipeline.orchestration.sensors.check_alerts import check_alerts
from cobranza_pipeline.orchestration.sensors.run_alerts import refresh_run_failures
from tests.support.alert_servers import UI
from tests.support.builders import add_lead_driver, add_raw_days, link
from tests.support.fixtures import insert_rows
from tests.support.jobs import run_job

LEAD = date(2026, 3, 2)
MV_KEY = AssetKey(["ops", "mv_yango_cabinet_cobranza_enriched_14d"])
COVERAGE = "ops/mv_yango_cabinet_cobranza_enriched_14d / scout_coverage"
COVERAGE_PROGRESS = AssetCheckKey(MV_KEY, "scout_coverage").to_user_string()
RUNBOOK_START = "Look at missing_identity"  # checks.py, scout_coverage's runbook
CONTRACT_ERROR = "public.summary_daily.date_file: missing column"


class Ticks:
    """Successive ticks of one sensor, each fed the cursor the previous one left."""

    def __init__(self, instance, sensor_fn, log_handler=None):
        self.instance, self.sensor_fn, self.cursor, self.log_handler = instance, sensor_fn, None, log_handler

    def __call__(self) -> dict:
        context = build_sensor_context(instance=self.instance, cursor=self.cursor,
                                       repository_def=defs.get_repository_def())
        if self.log_handler:  # the sensor's logger is Dagster's own, outside the logging tree
            context.log.addHandler(self.log_handler)
        self.result = self.sensor_fn(context)  # the SkipReason: what the UI shows for the tick
        self.cursor = context.cursor
        return json.loads(self.cursor)


def run(instance, job=DAILY_JOB_NAME) -> str:
    return run_job(job, instance).run_id


def check_alerts_received(server) -> list[dict]:
    """Bodies received, the daily digest left out (it is not a per-check alert)."""
    return [body for body in server.received if body["kind"] != "DIGEST"]


def kinds(bodies) -> list[tuple]:
    return [(b["kind"], b["subject"], b["run_id"]) for b in bodies]


def add_ledger(conn, person, scout_id):
    insert_rows(conn, "observational.lead_ledger", [
        {"person_key": person, "attributed_scout_id": scout_id, "updated_at": datetime(2026, 3, 1, tzinfo=timezone.utc)}])


# ------------------------------------------------------------------------------ check_alerts


def test_first_failure_alerts_once_with_value_threshold_runbook_and_run_link(conn, db_url, instance, webhook):
    add_lead_driver(conn, "D1", LEAD)  # the only driver, no scout evidence: coverage 0.00 % < 90 %
    run_id = run(instance)
    Ticks(instance, check_alerts)()
    [alert] = check_alerts_received(webhook)
    assert alert == {
        "source": "cobranza-pipeline", "kind": "FAILING", "severity": "ERROR", "subject": COVERAGE,
        "summary": "0.00 % of 1 rows have a scout (threshold 90 %)", "runbook": alert["runbook"],
        "run_id": run_id, "run_url": f"{UI}/runs/{run_id}", "details": {"value": "0.00", "threshold": "90"},
    }
    assert alert["runbook"].startswith(RUNBOOK_START)
    # the documented digest of the validation report is a separate message, one per report
    [digest] = [b for b in webhook.received if b["kind"] == "DIGEST"]
    assert (digest["run_id"], digest["summary"]) == (
        run_id, "failed: 20 pass, 0 warn, 1 fail\n[FAIL] scout_coverage: 0.00 % of 1 rows have a scout (threshold 90 %)")


def test_repeats_are_grouped_and_the_third_failure_in_a_row_escalates_once(conn, db_url, instance, webhook):
    add_lead_driver(conn, "D1", LEAD)
    tick = Ticks(instance, check_alerts)
    first = run(instance)
    tick()
    assert kinds(check_alerts_received(webhook)) == [("FAILING", COVERAGE, first)]
    sent = len(webhook.requests)
    tick()  # nothing new evaluated
    assert len(webhook.requests) == sent
    run(instance, CHECKS_JOB_NAME)  # second failure in a row: grouped
    tick()
    assert len(webhook.requests) == sent
    third = run(instance, CHECKS_JOB_NAME)
    tick()
    assert kinds(check_alerts_received(webhook)) == [("FAILING", COVERAGE, first), ("ESCALATION", COVERAGE, third)]
    escalation = webhook.received[-1]
    assert (escalation["severity"], escalation["details"]) == ("ERROR", {"value": "0.00", "threshold": "90"})
    run(instance, CHECKS_JOB_NAME)  # fourth: already escalated
    tick()
    assert len(webhook.requests) == sent + 1


def test_recovery_alerts_once(conn, db_url, instance, webhook):
    person = add_lead_driver(conn, "D1", LEAD)
    tick = Ticks(instance, check_alerts)
    run(instance)
    tick()
    add_ledger(conn, person, 7)  # now 1 of 1 rows has a scout
    recovered_run = run(instance)
    tick()
    tick()
    run(instance, CHECKS_JOB_NAME)  # still passing: nothing to say
    tick()
    bodies = check_alerts_received(webhook)
    assert [b["kind"] for b in bodies] == ["FAILING", "RECOVERED"]
    assert kinds(bodies[1:]) == [("RECOVERED", COVERAGE, recovered_run)]
    assert bodies[1]["summary"] == "100.00 % of 1 rows have a scout (threshold 95 %)"


def test_warn_checks_alert_with_severity_warn(conn, db_url, instance, webhook):
    person = add_lead_driver(conn, "D1", LEAD)
    add_ledger(conn, person, 7)  # scouted: coverage passes
    insert_rows(conn, "public.module_ct_migrations", [{  # ... but a migration names scout 8
        "id": 1, "driver_id": "D1", "scout_id": 8, "hire_date": date(2026, 3, 5), "created_at": datetime(2026, 3, 5)}])
    link(conn, "module_ct_migrations", 1, person)
    add_raw_days(conn, "D1", [("2026-13-45", 3, datetime(2026, 3, 4, tzinfo=timezone.utc))])  # not DD-MM-YYYY
    run_id = run(instance)
    Ticks(instance, check_alerts)()
    by_subject = {b["subject"]: b for b in check_alerts_received(webhook)}
    assert {s: (b["kind"], b["severity"], b["run_id"]) for s, b in by_subject.items()} == {
        "ops/v_scout_attribution_conflicts / attribution_conflicts": ("FAILING", "WARN", run_id),
        "ops/stg_driver_trips_14d / unparseable_dates": ("FAILING", "WARN", run_id),
    }
    conflicts = by_subject["ops/v_scout_attribution_conflicts / attribution_conflicts"]
    assert conflicts["summary"] == "1 persons whose evidence names more than one scout (threshold 0)"
    assert conflicts["details"] == {"value": "1", "threshold": "0"}


def test_a_webhook_answering_500_is_retried_next_tick_without_skipping(conn, db_url, instance, webhook, monkeypatch):
    monkeypatch.setenv("COBRANZA_ALERT_DIGEST", "false")
    add_lead_driver(conn, "D1", LEAD)
    run_id = run(instance)
    tick = Ticks(instance, check_alerts)
    webhook.status = 500
    cursor = tick()
    assert webhook.received == [] and len(webhook.requests) == 1
    [entry] = cursor["pending"]
    assert (entry["channel"], entry["attempts"]) == ("webhook", 1)
    assert (entry["alert"]["kind"], entry["alert"]["subject"], entry["alert"]["run_id"]) == ("FAILING", COVERAGE, run_id)
    webhook.status = 200
    assert tick()["pending"] == []
    assert kinds(webhook.received) == [("FAILING", COVERAGE, run_id)]
    tick()
    assert len(webhook.received) == 1


def test_an_alert_survives_25_failed_deliveries_and_arrives_once(conn, db_url, instance, webhook, monkeypatch):
    """No give-up: however many ticks the channel is down, the alert is kept, the tick says
    so, and it arrives once when the channel is back."""
    monkeypatch.setenv("COBRANZA_ALERT_DIGEST", "false")
    add_lead_driver(conn, "D1", LEAD)
    run_id = run(instance)
    tick = Ticks(instance, check_alerts)
    webhook.status = 500
    for _ in range(25):
        cursor = tick()
    [entry] = cursor["pending"]
    assert (entry["attempts"], entry["alert"]["kind"], entry["alert"]["run_id"]) == (25, "FAILING", run_id)
    assert tick.result.skip_message == (
        "no new alert; 1 deliveries pending for webhook (the oldest tried 25 times; retried every tick)")
    webhook.status = 200
    assert tick()["pending"] == []
    tick()
    assert len(webhook.requests) == 26 and kinds(webhook.received) == [("FAILING", COVERAGE, run_id)]


def _report(instance, run_id, event_type, data=None):
    instance.report_dagster_event(
        DagsterEvent(event_type_value=event_type.value, job_name=CHECKS_JOB_NAME, event_specific_data=data), run_id)


def test_a_check_still_running_is_neither_alerted_nor_skipped(conn, db_url, instance, webhook, monkeypatch):
    monkeypatch.setenv("COBRANZA_ALERT_DIGEST", "false")
    add_ledger(conn, add_lead_driver(conn, "D1", LEAD), 7)  # every check passes
    run(instance)
    tick = Ticks(instance, check_alerts)
    key = AssetCheckKey(MV_KEY, "required_indexes")
    [evaluated] = instance.event_log_storage.get_asset_check_execution_history(key, limit=5)
    assert tick()["progress"][key.to_user_string()] == evaluated.id
    # a run in progress has planned the check, not evaluated it yet
    running = instance.add_run(DagsterRun(job_name=CHECKS_JOB_NAME, run_id=make_new_run_id(),
                                          status=DagsterRunStatus.STARTED))
    _report(instance, running.run_id, DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
            AssetCheckEvaluationPlanned(asset_key=MV_KEY, check_name="required_indexes"))
    planned = instance.event_log_storage.get_asset_check_execution_history(key, limit=1)[0]
    assert (planned.run_id, planned.status) == (running.run_id, AssetCheckExecutionRecordStatus.PLANNED)
    cursor = tick()
    assert webhook.requests == []
    assert cursor["progress"][key.to_user_string()] == evaluated.id < planned.id
    # the check fails, the run ends: the next tick alerts on it
    _report(instance, running.run_id, DagsterEventType.ASSET_CHECK_EVALUATION, AssetCheckEvaluation(
        asset_key=MV_KEY, check_name="required_indexes", passed=False, severity=AssetCheckSeverity.ERROR,
        description="1 of 6 required indexes missing or invalid: idx_x",
        metadata={"value": MetadataValue.int(1), "threshold": MetadataValue.int(0), "runbook": MetadataValue.text("rebuild")}))
    _report(instance, running.run_id, DagsterEventType.RUN_SUCCESS)
    assert tick()["progress"][key.to_user_string()] == planned.id
    assert [(b["kind"], b["subject"], b["run_id"], b["summary"], b["details"]) for b in webhook.received] == [
        ("FAILING", "ops/mv_yango_cabinet_cobranza_enriched_14d / required_indexes", running.run_id,
         "1 of 6 required indexes missing or invalid: idx_x", {"value": "1", "threshold": "0"})]


# ----------------------------------------------------------------------- refresh_run_failures


def _break_contract(conn):
    conn.execute("alter table public.summary_daily rename column date_file to fecha")


def _fix_contract(conn):
    conn.execute("alter table public.summary_daily rename column fecha to date_file")


def test_failed_refresh_runs_alert_escalate_once_and_recover(conn, db_url, instance, webhook):
    add_ledger(conn, add_lead_driver(conn, "D1", LEAD), 7)
    tick = Ticks(instance, refresh_run_failures)
    _break_contract(conn)
    first = run(instance)
    tick()
    tick()
    [failing] = webhook.received
    assert (failing["kind"], failing["subject"], failing["severity"], failing["run_id"], failing["run_url"]) == (
        "FAILING", "job cobranza_daily", "ERROR", first, f"{UI}/runs/{first}")
    assert CONTRACT_ERROR in failing["summary"]
    assert failing["runbook"]
    run(instance)
    tick()
    assert len(webhook.received) == 1  # grouped
    third = run(instance)
    tick()
    run(instance)  # a fourth failure: escalated already
    tick()
    _fix_contract(conn)
    recovered = run(instance)
    tick()
    tick()
    assert kinds(webhook.received) == [
        ("FAILING", "job cobranza_daily", first), ("ESCALATION", "job cobranza_daily", third),
        ("RECOVERED", "job cobranza_daily", recovered)]
    assert CONTRACT_ERROR in webhook.received[1]["summary"]


def test_a_failed_run_updated_later_is_not_counted_twice(conn, db_url, instance, webhook):
    """The retry daemon (run_retries is on in dagster.yaml) tags a failed run after it failed
    (dagster/auto_retry_run_id); that is not a second failure."""
    add_ledger(conn, add_lead_driver(conn, "D1", LEAD), 7)
    tick = Ticks(instance, refresh_run_failures)
    _break_contract(conn)
    first = run(instance)
    tick()
    instance.add_run_tags(first, {"dagster/auto_retry_run_id": make_new_run_id()})
    run(instance)
    tick()  # two failed runs: grouped, no escalation yet
    assert kinds(webhook.received) == [("FAILING", "job cobranza_daily", first)]
