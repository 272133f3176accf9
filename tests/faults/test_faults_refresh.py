"""Fault injection on the real MV's refresh (README "Reliability", items 2, 3 and 6): the
backend killed mid-way, a conflicting lock held by another session, statement_timeout. In
each case the MV keeps its previous rows (checksum), every attempt is in ops.mv_refresh_log,
and the message says what happened. The same faults on a throwaway MV are in
tests/warehouse/test_matview.py."""

import logging
import threading
import time

import pytest
from dagster import AssetKey

from cobranza_pipeline.orchestration.run_errors import root_message
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.matview.errors import RefreshError
from cobranza_pipeline.warehouse.matview.refresh import (
    RefreshSettings,
    refresh_materialized_view,
)
from cobranza_pipeline.warehouse.staging import refresh_trip_stage
from tests.support.check_fixtures import built_fleet
from tests.support.faults import (
    MV,
    MV_NODE,
    attempt_seconds,
    load_demo,
    lock_held,
    mv_checksum,
    refresh_log,
    report_figure,
    select_checksum,
)
from tests.support.fixtures import build_all, compose, database
from tests.support.jobs import run_job
from tests.warehouse.test_matview import wait_for_statement

SCOUTS_LIST = "public.module_ct_scouts_list"  # read by the MV (v_dim_scouts) and by no view check


def settings(**overrides) -> RefreshSettings:
    base = {"statement_timeout_s": 120, "lock_timeout_s": 30, "lock_wait_s": 30, "attempts": 1, "backoff_s": 0.1}
    return RefreshSettings(**{**base, **overrides})


# ------------------------------------------------------------- 2. backend killed mid-way


def test_refresh_backend_killed_midway_keeps_the_mv_and_the_retry_succeeds(conn, db_url):
    load_demo(db_url, drivers=2000)
    build_all(conn, db_url)
    before = mv_checksum(conn)
    # The next refresh has something to change: 300 of the MV's drivers leave public.drivers
    # (so they have no person_key, no lead date: the staging step lets them go).
    conn.execute(compose("delete from public.drivers where driver_id in "
                         "(select driver_id from {mv} order by driver_id limit 300)", mv=MV))
    refresh_trip_stage(database(db_url))
    outcomes, kills = {}, []

    def refresh(label, refresh_settings):
        try:
            outcomes[label] = refresh_materialized_view(database(db_url), COBRANZA_MV, refresh_settings)
        except RefreshError as exc:
            outcomes[label] = exc

    def kill_refresh_midway():
        pid = wait_for_statement(conn, "refresh materialized view concurrently", timeout_s=30)
        kills.append(conn.execute("select pg_terminate_backend(%s), clock_timestamp()", (pid,)).fetchone()[1])

    # One attempt: killed, nothing retried, the MV keeps its rows.
    thread = threading.Thread(target=refresh, args=("single", settings()))
    thread.start()
    kill_refresh_midway()
    thread.join()
    assert isinstance(outcomes["single"], RefreshError)
    assert "terminating connection due to administrator command" in str(outcomes["single"])
    assert mv_checksum(conn) == before
    assert [row[:3] for row in refresh_log(conn)] == [(1, "success", "create"), (1, "failed", None)]

    # Two attempts: the first is killed, the retry refreshes to exactly what the SELECT gives.
    thread = threading.Thread(target=refresh, args=("retried", settings(attempts=2)))
    thread.start()
    kill_refresh_midway()
    thread.join()
    assert outcomes["retried"].attempts == 2 and outcomes["retried"].mode == "concurrent"
    after = mv_checksum(conn)
    assert after == select_checksum(conn) and after != before
    assert after[0] == before[0] - 300
    log = refresh_log(conn)
    assert [row[:3] for row in log[2:]] == [(1, "failed", None), (2, "success", "concurrent")]
    assert "terminating connection" in log[2][3]
    detect, recover = conn.execute(
        "select extract(epoch from min(finished_at) filter (where status = 'failed') - %s),"
        " extract(epoch from max(finished_at) - %s)"
        " from (select * from ops.mv_refresh_log order by id desc limit 2) as retried",
        (kills[1], kills[1]),
    ).fetchone()
    report_figure(2, "backend killed mid-way", detect=float(detect), recover=float(recover))


# ------------------------------------------------------------- 3. conflicting lock held


class ReleaseBeforeRetry(logging.Handler):
    """Rolls the holder back when the refresh announces its retry: the lock goes away between
    two attempts, deterministically."""

    def __init__(self, holder):
        super().__init__()
        self.holder, self.released_at = holder, None

    def emit(self, record):
        if "; retry" in record.getMessage() and self.released_at is None:
            self.holder.rollback()
            self.released_at = time.monotonic()


def test_lock_timeout_names_the_blocker_retries_and_fails_cleanly(conn, db_url):
    built_fleet(conn, db_url)
    before = mv_checksum(conn)
    tight = settings(lock_timeout_s=0.5, attempts=3)
    with lock_held(db_url, "public.drivers", application_name="hand maintenance") as holder:
        pid = holder.info.backend_pid
        started = time.monotonic()
        with pytest.raises(RefreshError) as raised:
            refresh_materialized_view(database(db_url), COBRANZA_MV, tight)
        elapsed = time.monotonic() - started
        assert mv_checksum(conn) == before  # readable, unchanged, while the lock is still held
    message = str(raised.value)
    assert message.startswith(f"refresh of {MV} failed: lock_timeout (0.5 s) reached waiting for a lock: "
                              "canceling statement due to lock timeout; blocked by ")
    assert f"pid {pid} (hand maintenance, AccessExclusiveLock on drivers, since " in message
    assert message.endswith("'lock table \"public\".\"drivers\" in access exclusive mode'")
    log = refresh_log(conn)[1:]
    assert [row[:3] for row in log] == [(1, "failed", None), (2, "failed", None), (3, "failed", None)]
    assert all(f"blocked by pid {pid} (hand maintenance" in error for *_, error in log)
    report_figure(3, "lock held (3 attempts, lock_timeout 0.5 s)", detect=max(attempt_seconds(conn)[1:]),
                  clean_failure=elapsed)

    # The same lock released between two attempts: the retry succeeds.
    logger = logging.getLogger("tests.faults.lock")
    with lock_held(db_url, "public.drivers") as holder:
        releaser = ReleaseBeforeRetry(holder)
        logger.addHandler(releaser)
        try:
            outcome = refresh_materialized_view(database(db_url), COBRANZA_MV, tight, log=logger)
        finally:
            logger.removeHandler(releaser)
    assert (outcome.attempts, outcome.mode) == (2, "concurrent")
    assert [row[:3] for row in refresh_log(conn)[4:]] == [(1, "failed", None), (2, "success", "concurrent")]
    report_figure(3, "lock released before the retry", recover=time.monotonic() - releaser.released_at)


# ------------------------------------------------------------- 6. statement_timeout


def test_statement_timeout_in_a_dagster_run_keeps_the_mv_and_states_the_limit(conn, db_url):
    """The MV's run config sets statement_timeout_s to 1 s; a session holding a lock on a table
    the MV reads makes the refresh outlast it (lock_timeout stays at 30 s)."""
    built_fleet(conn, db_url)
    before = mv_checksum(conn)
    run_config = {"ops": {MV_NODE: {"config": {"statement_timeout_s": 1, "backoff_s": 0.1}}}}
    with lock_held(db_url, SCOUTS_LIST):
        started = time.monotonic()
        result = run_job(run_config=run_config, asset_selection=[AssetKey(MV.split("."))])
        elapsed = time.monotonic() - started
        assert mv_checksum(conn) == before
    assert not result.success
    [failure] = [event for event in result.all_events if event.is_step_failure]
    assert failure.step_key == MV_NODE
    assert root_message(failure.event_specific_data.error) == (  # what the run's alert says
        f"cobranza_pipeline.warehouse.matview.errors.RefreshError: refresh of {MV} failed: the statement exceeded "
        "statement_timeout (1 s) and was cancelled; the MV keeps its previous rows")
    # Not transient: one failed attempt although the run config allows 3.
    assert [row[:3] for row in refresh_log(conn)] == [(1, "success", "create"), (1, "failed", None)]
    report_figure(6, "statement_timeout 1 s (Dagster run)", detect=attempt_seconds(conn)[-1], failed_run=elapsed)
