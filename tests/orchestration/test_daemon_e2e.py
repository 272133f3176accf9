"""End to end: the real `dagster-daemon` picks up the schedule with no click (default RUNNING),
launches the daily job, and the MV appears in the database.

The schedule's cron is set to every minute through COBRANZA_SCHEDULE_CRON (read by schedules.py
at import, in the daemon's code server), so the first tick comes at the next minute boundary.
Takes about 1-1.5 minutes; bounded at DEADLINE_S.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from tests.support.process import group_alive, group_members, stop_process_group

REPO_ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 150
POLL_S = 2
DAILY = "cobranza_daily"

INSTANCE_YAML = """\
telemetry:
  enabled: false
concurrency:
  pools:
    granularity: run
"""

WORKSPACE_YAML = """\
load_from:
  - python_module:
      module_name: cobranza_pipeline.definitions
      location_name: cobranza_pipeline
"""


def daemon_command(workspace: Path) -> list[str]:
    entry = Path(sys.executable).parent / "dagster-daemon"
    base = [str(entry)] if entry.exists() else [sys.executable, "-m", "dagster._daemon"]
    return [*base, "run", "-w", str(workspace)]


def daemon_env(dagster_home: Path, db_url: str, cobranza_home: Path) -> dict[str, str]:
    env = {
        name: value for name, value in os.environ.items()
        # No real alert channel, no inherited Dagster instance.
        if not name.startswith(("COBRANZA_", "DAGSTER_"))
    }
    env.update(
        DAGSTER_HOME=str(dagster_home),
        DATABASE_URL=db_url,
        COBRANZA_HOME=str(cobranza_home),
        COBRANZA_SCHEDULE_CRON="* * * * *",
        PYTHONUNBUFFERED="1",
    )
    return env


def database_state(db_url: str) -> tuple[bool, int]:
    """(the MV exists, successful refresh-log rows for it)."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        mv_exists = conn.execute(
            "select to_regclass('ops.mv_yango_cabinet_cobranza_enriched_14d') is not null"
        ).fetchone()[0]
        log_exists = conn.execute("select to_regclass('ops.mv_refresh_log') is not null").fetchone()[0]
        successes = 0
        if log_exists:
            successes = conn.execute(
                "select count(*) from ops.mv_refresh_log"
                " where mv_name = 'ops.mv_yango_cabinet_cobranza_enriched_14d' and status = 'success'"
            ).fetchone()[0]
    return mv_exists, successes


def finished_daily_runs(dagster_home: Path):
    with DagsterInstance.from_config(str(dagster_home)) as instance:
        return instance.get_runs(
            filters=RunsFilter(
                job_name=DAILY,
                statuses=[DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED],
            )
        )


@pytest.mark.slow
def test_daemon_runs_the_schedule_and_builds_the_mv(tmp_path, db_url):
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text(INSTANCE_YAML, encoding="utf-8")
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(WORKSPACE_YAML, encoding="utf-8")
    daemon_log = tmp_path / "daemon.log"

    started = time.monotonic()
    mv_exists, successes, runs = False, 0, []
    with daemon_log.open("wb") as log:
        process = subprocess.Popen(
            daemon_command(workspace),
            cwd=REPO_ROOT,
            env=daemon_env(dagster_home, db_url, tmp_path / "cobranza_home"),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while time.monotonic() - started < DEADLINE_S:
                assert process.poll() is None, f"dagster-daemon exited early:\n{daemon_log.read_text()[-4000:]}"
                mv_exists, successes = database_state(db_url)
                if mv_exists and successes:
                    runs = finished_daily_runs(dagster_home)
                    if runs:
                        break
                time.sleep(POLL_S)
        finally:
            stop_process_group(process)
    elapsed = time.monotonic() - started
    print(f"daemon e2e: MV built and run finished after {elapsed:.1f} s")

    tail = daemon_log.read_text(errors="replace")[-4000:]
    assert mv_exists, f"MV not created within {DEADLINE_S} s; daemon log tail:\n{tail}"
    assert successes >= 1, f"no 'success' row in ops.mv_refresh_log; daemon log tail:\n{tail}"
    assert runs, f"no finished {DAILY} run in the instance; daemon log tail:\n{tail}"

    run = runs[0]
    assert run.status == DagsterRunStatus.SUCCESS, tail
    assert run.tags.get("cobranza/trigger") == "schedule"
    assert run.tags.get("dagster/schedule_name") == "daily_refresh_schedule"
    assert run.tags.get("dagster/max_runtime") == "3600"

    # The process group is gone: nothing of the daemon is left running.
    assert process.returncode is not None
    assert not group_alive(process.pid), group_members(process.pid)
