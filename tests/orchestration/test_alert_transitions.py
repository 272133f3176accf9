"""README "Alerts": what the sensors say beyond failing and recovering, over REAL check history
and runs (an ephemeral instance, in-process runs on a tiny fixture): a WARN check that gets
worse, a refresh failing for another cause, a run made by the UI's asset job, a CLI run whose
process was killed. Each tick feeds the previous tick's cursor."""

import subprocess

from dagster import AssetCheckKey, DagsterEventType, DagsterRunStatus

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.local.processes import process_identity
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.keys import MV_KEY, PROCESS_TAG
from cobranza_pipeline.orchestration.sensors.check_alerts import check_alerts
from cobranza_pipeline.orchestration.sensors.run_alerts import refresh_run_failures
from tests.orchestration.test_alert_sensors import (
    COVERAGE,
    LEAD,
    Ticks,
    _break_contract,
    _fix_contract,
    add_ledger,
    check_alerts_received,
    kinds,
    run,
)
from tests.support.builders import add_lead_driver

ASSET_JOB = "__ASSET_JOB"  # the job of the UI's Materialize button and of backfills
SECOND_ERROR = "public.summary_daily.count_orders_completed: missing column"


def test_a_warn_check_getting_worse_to_error_alerts_once(conn, db_url, instance, webhook, monkeypatch):
    monkeypatch.setenv("COBRANZA_ALERT_DIGEST", "false")
    monkeypatch.setenv("COBRANZA_SCOUT_COVERAGE_ERROR_PCT", "40")  # WARN below 95 %, ERROR below 40 %
    add_ledger(conn, add_lead_driver(conn, "D1", LEAD), 7)
    add_lead_driver(conn, "D2", LEAD)  # 1 of 2 scouted: 50 %, WARN
    tick = Ticks(instance, check_alerts)
    warn_run = run(instance)
    tick()
    add_lead_driver(conn, "D3", LEAD)  # 1 of 3: 33.33 %, ERROR
    error_run = run(instance)
    tick()
    run(instance)  # still ERROR: grouped
    tick()
    coverage = [b for b in check_alerts_received(webhook) if b["subject"] == COVERAGE]
    assert [(b["kind"], b["severity"], b["run_id"], b["summary"]) for b in coverage] == [
        ("FAILING", "WARN", warn_run, "50.00 % of 2 rows have a scout (threshold 95 %)"),
        ("WORSENED", "ERROR", error_run, "33.33 % of 3 rows have a scout (threshold 40 %)"),
        ("ESCALATION", "ERROR", coverage[2]["run_id"], "33.33 % of 3 rows have a scout (threshold 40 %)")]


def test_a_refresh_failing_for_another_cause_alerts_again(conn, db_url, instance, webhook):
    add_ledger(conn, add_lead_driver(conn, "D1", LEAD), 7)
    tick = Ticks(instance, refresh_run_failures)
    _break_contract(conn)
    first = run(instance)
    tick()
    _fix_contract(conn)
    conn.execute("alter table public.summary_daily rename column count_orders_completed to orders")
    second = run(instance)
    result = tick()
    assert kinds(webhook.received) == [("FAILING", "job cobranza_daily", first),
                                       ("NEW_CAUSE", "job cobranza_daily", second)]
    assert SECOND_ERROR in webhook.received[1]["summary"]
    assert result["pending"] == []


def test_a_materialize_click_that_fails_is_alerted(conn, db_url, instance, webhook):
    """The UI's Materialize on the MV runs the implicit asset job with an asset selection."""
    add_ledger(conn, add_lead_driver(conn, "D1", LEAD), 7)
    tick = Ticks(instance, refresh_run_failures)
    _break_contract(conn)
    asset_job = defs.resolve_implicit_global_asset_job_def()
    upstream_and_mv = [key for key in defs.resolve_job_def(DAILY_JOB_NAME).asset_layer.selected_asset_keys]
    result = asset_job.execute_in_process(instance=instance, asset_selection=upstream_and_mv, raise_on_error=False)
    assert not result.success and result.dagster_run.job_name == ASSET_JOB
    assert MV_KEY in result.dagster_run.asset_selection
    tick()
    [alert] = webhook.received
    assert (alert["kind"], alert["subject"], alert["run_id"]) == ("FAILING", f"job {ASSET_JOB}", result.run_id)
    assert "public.summary_daily.date_file: missing column" in alert["summary"]


def test_a_killed_run_worker_leaves_a_run_marked_failed_alerted_and_blocking_no_check(conn, db_url, instance, webhook, monkeypatch):
    monkeypatch.setenv("COBRANZA_ALERT_DIGEST", "false")
    add_lead_driver(conn, "D1", LEAD)  # scout coverage fails
    checks, runs = Ticks(instance, check_alerts), Ticks(instance, refresh_run_failures)
    dead = subprocess.Popen(["sleep", "30"])
    identity = process_identity(dead.pid)
    dead.kill()
    dead.wait()
    # What a run worker killed by SIGKILL leaves: a started run with planned checks.
    killed = instance.create_run_for_job(defs.resolve_job_def(DAILY_JOB_NAME), tags={PROCESS_TAG: identity},
                                         status=DagsterRunStatus.STARTED)
    key = AssetCheckKey(MV_KEY, "scout_coverage")
    [planned] = instance.event_log_storage.get_asset_check_execution_history(key, limit=5)
    assert planned.run_id == killed.run_id
    later = run(instance)  # a later run's failure is alerted although the killed run never ended
    checks()
    assert kinds(check_alerts_received(webhook)) == [("FAILING", COVERAGE, later)]
    runs()
    assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE
    failure = [b for b in webhook.received if b["subject"] == "job cobranza_daily"]
    assert [(b["kind"], b["run_id"]) for b in failure] == [("FAILING", killed.run_id)]
    assert failure[0]["summary"] == f"the process that ran it ({identity}) died before the run ended"
    assert len(instance.all_logs(killed.run_id, of_type=DagsterEventType.RUN_FAILURE)) == 1
