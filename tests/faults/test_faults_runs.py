"""Faults around whole runs (README "Reliability", items 4 and 5): a run terminated from Dagster
while its refresh is on the server, and two refreshes started at the same moment. The pieces
underneath are in tests/warehouse/test_matview.py (an interrupted client cancels its statement; a second
refresh waits or skips) and tests/orchestration/test_schedule_and_jobs.py (the schedule skips while a run is
in progress; the MV asset is in a pool of 1)."""

import os
import subprocess
import sys
import threading
import time

import psycopg
import pytest
from dagster import DagsterRunStatus, instance_for_test
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import ModuleTarget

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.warehouse.sqlfiles import read_sql
from tests.support.check_fixtures import TOTAL_DUE, add_fleet, built_fleet
from tests.support.faults import (
    MV,
    mv_checksum,
    refresh_log,
    report_figure,
    select_checksum,
    wait_until,
)
from tests.support.fixtures import compose

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFRESH_APP = f"cobranza-refresh {MV}"  # application_name of the refresh session (refresh.py)
INTERRUPTED = ("interrupted (DagsterExecutionInterruptedError): the statement was cancelled on the server; "
               "the MV keeps its previous rows")


def refresh_sessions(conn, waiting_on_lock: bool = False) -> list[int]:
    """pids of the refresh sessions running a statement (optionally: waiting on a lock)."""
    return [pid for (pid,) in conn.execute(
        "select pid from pg_stat_activity where application_name = %s and state = 'active'"
        " and datname = current_database() and (not %s or wait_event_type = 'Lock')", (REFRESH_APP, waiting_on_lock))]


def mv_writers(conn) -> int:
    """Sessions creating or refreshing the MV at this moment."""
    return conn.execute(
        "select count(*) from pg_stat_activity where state = 'active' and datname = current_database()"
        " and query ~* '^\\s*(create|refresh) materialized view' and position(%s in query) > 0", (MV.split(".")[1],),
    ).fetchone()[0]


class Barrier:
    """Another session running `statement` in an open transaction: its lock holds whoever needs
    a conflicting one until release() rolls it back."""

    def __init__(self, url: str, statement, application_name: str):
        self.conn = psycopg.connect(url, application_name=application_name)
        self.statement = statement

    def hold(self) -> None:
        self.conn.execute(self.statement)

    def release(self) -> None:
        self.conn.rollback()


# A DBA building an extra index on the MV inside an open transaction: its SHARE lock makes
# REFRESH ... CONCURRENTLY wait; readers and every other step of the job go on.
EXTRA_INDEX = compose("create index dba_extra on {mv} (lead_date)", mv=MV)
DRIVERS_LOCKED = "lock table public.drivers in access exclusive mode"


@pytest.fixture
def barrier(db_url):
    made = []

    def make(statement, application_name: str) -> Barrier:
        made.append(Barrier(db_url, statement, application_name))
        return made[-1]

    yield make
    for each in made:
        each.conn.rollback()
        each.conn.close()


# ------------------------------------------------------------- 4. run terminated from Dagster


def test_terminating_a_run_from_dagster_cancels_its_server_statement_within_5_s(
        conn, db_url, barrier):
    """The run is launched and terminated the way the UI does it: a code server (gRPC), the
    default run launcher, and run_launcher.terminate(), which interrupts the run's process."""
    built_fleet(conn, db_url)
    before = mv_checksum(conn)
    target = ModuleTarget(module_name="cobranza_pipeline.definitions", attribute=None,
                          working_directory=REPO_ROOT, location_name="cobranza")
    with instance_for_test() as instance, WorkspaceProcessContext(instance, target) as process_context:
        workspace = process_context.create_request_context()
        location = workspace.get_code_location_entries()["cobranza"].code_location
        remote_job = location.get_repository("__repository__").get_full_job(DAILY_JOB_NAME)
        run = instance.create_run_for_job(job_def=defs.resolve_job_def(DAILY_JOB_NAME),
                                          remote_job_origin=remote_job.get_remote_origin(),
                                          job_code_origin=remote_job.get_python_origin())
        barrier(EXTRA_INDEX, "dba session").hold()
        instance.launch_run(run.run_id, workspace)
        [pid] = wait_until(lambda: refresh_sessions(conn, waiting_on_lock=True), timeout_s=180)
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.STARTED

        terminated_at = time.monotonic()
        assert instance.run_launcher.terminate(run.run_id)
        assert wait_until(lambda: not refresh_sessions(conn), timeout_s=5), "refresh still running 5 s later"
        gone = time.monotonic() - terminated_at
        wait_until(lambda: instance.get_run_by_id(run.run_id).is_finished, timeout_s=60)
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.CANCELED
    assert conn.execute("select count(*) from pg_stat_activity where pid = %s", (pid,)).fetchone()[0] == 0
    assert mv_checksum(conn) == before
    assert refresh_log(conn)[1:] == [(1, "failed", None, INTERRUPTED)]
    report_figure(4, "run terminated from Dagster", statement_gone=gone)


# ------------------------------------------------------------- 5. two refreshes at once


def both_held_at_first_view(conn) -> bool:
    """Fresh database: both runs wait to create ops.v_driver_identity (public.drivers is locked)."""
    return conn.execute("select count(distinct pid) >= 2 from pg_stat_activity"
                        " where application_name = 'cobranza-pipeline' and wait_event_type = 'Lock'"
                        " and datname = current_database()").fetchone()[0]


def both_at_the_mv(conn) -> bool:
    """Built pipeline: one refresh waits on the DBA's index build, the other for the refresh lock."""
    return len(refresh_sessions(conn, waiting_on_lock=True)) == 1 and conn.execute(
        "select count(*) = 2 from pg_stat_activity where application_name = %s and datname = current_database()",
        (REFRESH_APP,)).fetchone()[0]


@pytest.mark.parametrize("pipeline", ["fresh", "built"])
def test_two_cli_runs_started_together_never_refresh_at_once_and_the_mv_is_right(
        conn, db_url, tmp_path, pipeline, barrier):
    """Two `cobranza materialize` processes started together and held at the same point by a
    lock, then released at once: on a fresh database (both create the ops layer and the MV;
    public.drivers locked) and on a built one (both refresh; an index build on the MV in the
    way). A sampler counts the sessions creating or refreshing the MV at any moment."""
    read_sql.cache_clear()  # build from the files the two processes will read, not from this session's cache
    if pipeline == "fresh":
        add_fleet(conn)
        gate, held = barrier(DRIVERS_LOCKED, "loader"), both_held_at_first_view
    else:
        built_fleet(conn, db_url)
        gate, held = barrier(EXTRA_INDEX, "dba session"), both_at_the_mv
    env = {name: value for name, value in os.environ.items() if name != "DAGSTER_HOME"}
    env.update(DATABASE_URL=db_url, COBRANZA_HOME=str(tmp_path))  # both share the local Dagster instance
    command = [sys.executable, "-m", "cobranza_pipeline.cli", "materialize"]
    most_at_once, stop = [0], threading.Event()

    def sample():
        with psycopg.connect(db_url, autocommit=True) as sampler:
            while not stop.is_set():
                most_at_once[0] = max(most_at_once[0], mv_writers(sampler))
                time.sleep(0.005)

    gate.hold()
    runs = [subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True) for _ in range(2)]
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        both_held = wait_until(lambda: held(conn), timeout_s=120)
        gate.release()  # both go on at the same moment
        released_at = time.monotonic()
        outputs = [run.communicate(timeout=300)[0] for run in runs]
        both_done = time.monotonic() - released_at
    finally:
        gate.release()
        stop.set()
        sampler.join()
        for run in runs:
            run.kill() if run.poll() is None else None
    tails = "\n\n".join(output[-3000:] for output in outputs)
    assert both_held, tails
    assert [run.returncode for run in runs] == [0, 0], tails
    assert most_at_once[0] == 1  # one refresh at a time, never two
    modes = ["create", "concurrent"] if pipeline == "fresh" else ["create", "concurrent", "concurrent"]
    assert sorted(row[2] for row in refresh_log(conn)) == sorted(modes)
    assert {row[1] for row in refresh_log(conn)} == {"success"}
    assert mv_checksum(conn) == select_checksum(conn)
    assert conn.execute(compose("select count(*), sum(amount_due_yango) from {mv}", mv=MV)).fetchone() == (
        10, TOTAL_DUE)
    waited = [output for output in outputs if f"another refresh of {MV} is running (pid " in output]
    if pipeline == "built":
        assert len(waited) == 1  # the second waited for the first, then refreshed
    report_figure(5, f"two CLI runs at once ({pipeline})", both_done_after_release=both_done,
                  runs_that_waited=len(waited))
