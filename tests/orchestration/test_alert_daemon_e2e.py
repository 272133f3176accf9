"""README "Alerts", end to end: the real `dagster-daemon` runs both alert sensors (their interval
shortened to 1 s by COBRANZA_ALERT_SENSOR_INTERVAL_S; the daemon's own loop still ticks about
every 5 s) and posts to a real webhook receiver on 127.0.0.1. Runs are made in this process on
the daemon's instance; the Dagster processes of one `cobranza materialize` run (its worker, code
server and launcher) are killed with SIGKILL mid-run.

One scenario covers, in order: a WARN check alerted; the receiver starts answering 500 (the
outage); a CLI run whose worker is killed mid-run (marked failed, then alerted); the WARN check
getting worse to ERROR; two runs of the UI's asset job failing for two different causes; a
successful refresh (the check recovers, the job recovers); the outage lasting 20+ failed
delivery attempts; the receiver back. Asserted: what arrives, in which order, each alert once,
links on the UI's port (3300), and the tick reasons the UI shows.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterRunStatus, RunsFilter

from cobranza_pipeline.cli.servers import ui_environment
from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.keys import PROCESS_TAG
from cobranza_pipeline.orchestration.local_instance import local_instance
from tests.orchestration.test_alert_sensors import COVERAGE, LEAD, _break_contract, _fix_contract, add_ledger
from tests.orchestration.test_daemon_e2e import REPO_ROOT, WORKSPACE_YAML, daemon_command, daemon_env
from tests.support.alert_servers import WebhookServer
from tests.support.builders import add_lead_driver, person_key
from tests.support.jobs import run_job
from tests.support.process import stop_process_group

UI_PORT = 3300
OUTAGE_ATTEMPTS = 20  # failed deliveries of the oldest pending alert; the old give-up was after 5
ASSET_JOB = "__ASSET_JOB"
DAILY = f"job {DAILY_JOB_NAME}"


def wait_for(what: str, condition, daemon, log: Path, timeout_s: float = 90.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert daemon.poll() is None, f"dagster-daemon exited:\n{log.read_text(errors='replace')[-3000:]}"
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}; daemon log tail:\n{log.read_text(errors='replace')[-3000:]}")


def asset_job_run(instance):
    """What the UI's Materialize (all) does: the implicit asset job with an asset selection."""
    keys = list(defs.resolve_job_def(DAILY_JOB_NAME).asset_layer.selected_asset_keys)
    return defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=instance, asset_selection=keys, raise_on_error=False)


def failed_attempts(hook: WebhookServer, subject_prefix: str) -> int:
    return sum(1 for _p, body, status in hook.requests if status == 500 and body["subject"].startswith(subject_prefix))


@pytest.mark.slow
def test_alerts_survive_an_outage_a_killed_run_and_escalate_under_the_real_daemon(tmp_path, db_url, conn, monkeypatch):
    monkeypatch.setenv("COBRANZA_SCOUT_COVERAGE_ERROR_PCT", "40")  # the runs made here: WARN < 95 %, ERROR < 40 %
    dagster_home = tmp_path / "dagster_home"
    instance = local_instance(dagster_home)  # the CLI's local instance (run monitoring on)
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(WORKSPACE_YAML, encoding="utf-8")
    hook = WebhookServer().start()
    env = ui_environment(daemon_env(dagster_home, db_url, tmp_path / "cobranza_home"), db_url, dagster_home,
                         "127.0.0.1", UI_PORT)
    env.update(COBRANZA_SCHEDULE_CRON="0 2 * * *", COBRANZA_CHANGE_SENSOR_INTERVAL_S="86400",
               COBRANZA_ALERT_SENSOR_INTERVAL_S="1", COBRANZA_ALERT_WEBHOOK_URL=hook.url,
               COBRANZA_ALERT_TIMEOUT_S="2", COBRANZA_ALERT_DIGEST="false", COBRANZA_SCOUT_COVERAGE_ERROR_PCT="40")
    log = tmp_path / "daemon.log"
    add_ledger(conn, add_lead_driver(conn, "D1", LEAD), 7)
    add_lead_driver(conn, "D2", LEAD)  # 1 of 2 scouted: 50 %, WARN
    started = time.monotonic()
    with log.open("wb") as out:
        daemon = subprocess.Popen(daemon_command(workspace), cwd=REPO_ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            warn_run = run_job(DAILY_JOB_NAME, instance).run_id
            wait_for("the WARN alert", lambda: hook.received, daemon, log)

            hook.status = 500  # the outage starts
            blocker = psycopg.connect(db_url)
            blocker.execute("lock table public.drivers in access exclusive mode")  # the CLI run waits on it
            cli = subprocess.Popen([sys.executable, "-m", "cobranza_pipeline.cli", "materialize"], cwd=REPO_ROOT,
                                   env={**os.environ, "DAGSTER_HOME": str(dagster_home)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            [killed] = wait_for("the CLI's run to start", lambda: [
                run for run in instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED]))
                if PROCESS_TAG in run.tags], daemon, log)
            # Its run worker with the code server and the launcher (one process group): a live code
            # server would mark the run failed itself, racing the command whose check this is.
            os.killpg(os.getpgid(int(killed.tags[PROCESS_TAG].split(":")[1])), signal.SIGKILL)
            assert cli.wait(timeout=60) == 1  # the command saw its run end, failed
            blocker.rollback()
            blocker.close()
            wait_for("the killed run marked failed", lambda: instance.get_run_by_id(
                killed.run_id).status == DagsterRunStatus.FAILURE, daemon, log)

            add_lead_driver(conn, "D3", LEAD)  # 1 of 3: 33.33 %, ERROR
            error_run = run_job(DAILY_JOB_NAME, instance).run_id
            _break_contract(conn)
            first_cause = asset_job_run(instance)
            _fix_contract(conn)
            conn.execute("alter table public.summary_daily rename column count_orders_completed to orders")
            second_cause = asset_job_run(instance)
            conn.execute("alter table public.summary_daily rename column orders to count_orders_completed")
            add_ledger(conn, person_key("D2"), 7)
            add_ledger(conn, person_key("D3"), 7)  # 3 of 3: the check recovers
            recovered_run = run_job(DAILY_JOB_NAME, instance).run_id
            assert not first_cause.success and not second_cause.success

            wait_for(f"{OUTAGE_ATTEMPTS} failed deliveries", lambda: failed_attempts(hook, "job ") >= OUTAGE_ATTEMPTS
                     and failed_attempts(hook, "ops/") >= OUTAGE_ATTEMPTS, daemon, log, timeout_s=200)
            outage_requests = len(hook.requests)
            hook.status = 200  # the outage ends
            wait_for("every pending alert", lambda: len(hook.received) >= 6, daemon, log)
            time.sleep(12)  # two more daemon loops: nothing arrives twice
        finally:
            hook.status = 200
            stop_process_group(daemon)
            hook.stop()
    elapsed = time.monotonic() - started
    print(f"alert daemon e2e: {elapsed:.1f} s, {outage_requests} delivery attempts during the outage")

    bodies = hook.received
    checks = [(b["kind"], b["severity"], b["run_id"]) for b in bodies if b["subject"] == COVERAGE]
    assert checks == [("FAILING", "WARN", warn_run), ("WORSENED", "ERROR", error_run),
                      ("RECOVERED", "WARN", recovered_run)]  # a passing result carries WARN
    runs = [(b["kind"], b["subject"], b["run_id"]) for b in bodies if b["subject"].startswith("job ")]
    assert runs == [  # oldest first: the killed run's failure, told with the next success, came first
        ("FAILED_AND_RECOVERED", DAILY, error_run),
        ("FAILING", f"job {ASSET_JOB}", first_cause.run_id),
        ("NEW_CAUSE", f"job {ASSET_JOB}", second_cause.run_id)]
    by_kind = {b["kind"]: b for b in bodies if b["subject"].startswith("job ")}
    assert "public.summary_daily.date_file: missing column" in by_kind["FAILING"]["summary"]
    assert "public.summary_daily.count_orders_completed: missing column" in by_kind["NEW_CAUSE"]["summary"]
    told = by_kind["FAILED_AND_RECOVERED"]
    assert told["details"]["failed_run_id"] == killed.run_id
    assert "died before the run ended" in told["summary"]
    assert all(b["run_url"] == f"http://127.0.0.1:{UI_PORT}/runs/{b['run_id']}" for b in bodies)
    assert Counter((b["kind"], b["subject"], b["run_id"]) for b in bodies).most_common(1)[0][1] == 1  # none twice
    assert [b["subject"] for b in bodies if b["subject"] not in (COVERAGE,) and not b["subject"].startswith("job ")] \
        == []  # the tiny fixture fails no other check
    text = log.read_text(errors="replace")
    assert f"Sensor check_alerts skipped: WORSENED {COVERAGE}; " in text
    tried = [int(n) for n in re.findall(r"deliveries pending for webhook \(the oldest tried (\d+) times", text)]
    assert max(tried) >= OUTAGE_ATTEMPTS
    assert "Sensor refresh_run_failures skipped: no new alert; every delivery done, none pending" in text
    assert instance.run_monitoring_max_runtime_seconds == 3600  # every run bounded, the asset job's too
