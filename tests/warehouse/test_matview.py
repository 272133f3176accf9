"""The generic MV machinery on a throwaway MV: modes, indexes, locks, rebuild, failures."""

import signal
import threading
import time

import psycopg
import pytest

from cobranza_pipeline.warehouse.matview import state as matview
from cobranza_pipeline.warehouse.matview.errors import RefreshError, RefreshLockBusy
from cobranza_pipeline.warehouse.matview.refresh import (
    RefreshSettings,
    execute,
    refresh_materialized_view,
)
from cobranza_pipeline.warehouse.matview.spec import IndexSpec, MaterializedViewSpec
from tests.support.fixtures import compose, database

FAST = RefreshSettings(statement_timeout_s=60, lock_timeout_s=5, lock_wait_s=1, attempts=1, backoff_s=0.1)


def make_spec(tmp_path, select: str, name: str = "mv_probe") -> MaterializedViewSpec:
    path = tmp_path / f"{name}_{abs(hash(select))}.sql"
    path.write_text(select)
    return MaterializedViewSpec(
        schema="ops",
        name=name,
        select_file=str(path),
        indexes=(IndexSpec("idx_probe_id_unique", "(id)", unique=True), IndexSpec("idx_probe_val", "(val desc)")),
    )


@pytest.fixture
def probe_table(conn):
    conn.execute("create schema if not exists ops")
    conn.execute("create table public.probe (id int primary key, val int)")
    conn.execute("insert into public.probe select g, g * 10 from generate_series(1, 5) as g")
    return "public.probe"


def mv_rows(conn, name="ops.mv_probe"):
    return conn.execute(compose("select id, val from {mv} order by id", mv=name)).fetchall()


def last_log(conn):
    return conn.execute(
        "select status, mode, rows_after_refresh, error from ops.mv_refresh_log order by id desc limit 1"
    ).fetchone()


def test_modes_create_then_concurrent_then_plain(conn, db_url, tmp_path, probe_table):
    spec = make_spec(tmp_path, "select id, val from public.probe")
    first = refresh_materialized_view(database(db_url), spec, FAST)
    assert (first.mode, first.rows) == ("create", 5)
    assert set(matview.read_state(conn, spec).indexes) == {"idx_probe_id_unique", "idx_probe_val"}
    assert last_log(conn) == ("success", "create", 5, None)

    conn.execute("insert into public.probe values (6, 60)")
    assert len(mv_rows(conn)) == 5  # the MV does not move until it is refreshed
    second = refresh_materialized_view(database(db_url), spec, FAST)
    assert (second.mode, second.rows) == ("concurrent", 6)

    conn.execute("refresh materialized view ops.mv_probe with no data")
    third = refresh_materialized_view(database(db_url), spec, FAST)
    assert (third.mode, third.rows) == ("plain", 6)


def test_changed_sql_rebuilds_while_a_reader_keeps_reading(conn, db_url, tmp_path, probe_table):
    refresh_materialized_view(database(db_url), make_spec(tmp_path, "select id, val from public.probe"), FAST)
    # The new definition is slow on purpose (0.2 s per row: the sleep depends on the row so it
    # runs for each), so the reader overlaps the rebuild.
    slow = make_spec(tmp_path, "select id, val * 2 as val from public.probe cross join lateral pg_sleep(0.2 + id * 0)")
    reads, failures, stop = [], [], threading.Event()

    def reader():
        with psycopg.connect(db_url, autocommit=True) as reader_conn:
            while not stop.is_set():
                try:
                    reads.append(reader_conn.execute("select count(*) from ops.mv_probe").fetchone()[0])
                except psycopg.Error as exc:  # pragma: no cover - the assertion below reports it
                    failures.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        outcome = refresh_materialized_view(database(db_url), slow, FAST)
    finally:
        stop.set()
        thread.join()
    assert outcome.mode == "rebuild"
    assert failures == []
    assert len(reads) > 10 and set(reads) == {5}
    assert mv_rows(conn) == [(i, i * 20) for i in range(1, 6)]
    assert set(matview.read_state(conn, slow).indexes) == {"idx_probe_id_unique", "idx_probe_val"}
    assert matview.plan_mode(slow, matview.read_state(conn, slow)) == "concurrent"


def test_hand_edit_or_dropped_index_is_repaired_by_a_rebuild(conn, db_url, tmp_path, probe_table):
    spec = make_spec(tmp_path, "select id, val from public.probe")
    refresh_materialized_view(database(db_url), spec, FAST)
    conn.execute("drop index ops.idx_probe_val")
    assert matview.plan_mode(spec, matview.read_state(conn, spec)) == "rebuild"
    assert refresh_materialized_view(database(db_url), spec, FAST).mode == "rebuild"
    assert "idx_probe_val" in matview.read_state(conn, spec).indexes

    # Same name, another definition: not the declared index, so the next refresh rebuilds.
    conn.execute("drop index ops.idx_probe_val")
    conn.execute("create index idx_probe_val on ops.mv_probe (id)")
    assert matview.missing_or_invalid_indexes(spec, matview.read_state(conn, spec)) == ["idx_probe_val"]
    assert refresh_materialized_view(database(db_url), spec, FAST).mode == "rebuild"
    definition = matview.read_state(conn, spec).indexes["idx_probe_val"]["definition"]
    assert definition.endswith("(val DESC)")
    assert matview.plan_mode(spec, matview.read_state(conn, spec)) == "concurrent"


def test_second_refresh_waits_for_the_first_or_skips_cleanly(conn, db_url, tmp_path, probe_table):
    spec = make_spec(tmp_path, "select id, val from public.probe cross join lateral pg_sleep(0.3 + id * 0)")
    refresh_materialized_view(database(db_url), spec, FAST)
    results = {}

    def run(label, settings):
        try:
            results[label] = refresh_materialized_view(database(db_url), spec, settings).mode
        except RefreshError as exc:
            results[label] = exc

    first = threading.Thread(target=run, args=("first", FAST))
    first.start()
    wait_for_statement(conn, "refresh materialized view")
    impatient = RefreshSettings(statement_timeout_s=60, lock_timeout_s=5, lock_wait_s=0.2, attempts=1)
    patient = RefreshSettings(statement_timeout_s=60, lock_timeout_s=5, lock_wait_s=30, attempts=1)
    run("impatient", impatient)
    run("patient", patient)
    first.join()
    assert results["first"] == "concurrent"
    assert results["patient"] == "concurrent"
    assert isinstance(results["impatient"], RefreshLockBusy)
    assert "another refresh of ops.mv_probe is running (pid " in str(results["impatient"])
    assert conn.execute("select count(*) from ops.mv_refresh_log where status = 'failed'").fetchone()[0] == 1


def test_refresh_killed_midway_keeps_the_old_rows_and_a_retry_succeeds(conn, db_url, tmp_path, probe_table):
    spec = make_spec(tmp_path, "select id, val from public.probe cross join lateral pg_sleep(0.3 + id * 0)")
    refresh_materialized_view(database(db_url), spec, FAST)
    before = conn.execute("select md5(string_agg(id || ':' || val, ',' order by id)) from ops.mv_probe").fetchone()
    conn.execute("update public.probe set val = -1")
    errors = []

    def refresh(settings):
        try:
            refresh_materialized_view(database(db_url), spec, settings)
        except RefreshError as exc:
            errors.append(exc)

    thread = threading.Thread(target=refresh, args=(FAST,))
    thread.start()
    kill_statement(conn, "refresh materialized view")
    thread.join()
    assert len(errors) == 1 and "terminating connection" in str(errors[0])
    after = conn.execute("select md5(string_agg(id || ':' || val, ',' order by id)) from ops.mv_probe").fetchone()
    assert after == before
    assert last_log(conn)[0] == "failed"

    retrying = RefreshSettings(statement_timeout_s=60, lock_timeout_s=5, lock_wait_s=5, attempts=2, backoff_s=0.1)
    thread = threading.Thread(target=refresh, args=(retrying,))
    thread.start()
    kill_statement(conn, "refresh materialized view")
    thread.join()
    assert len(errors) == 1  # the second attempt succeeded
    assert mv_rows(conn) == [(i, -1) for i in range(1, 6)]
    statuses = conn.execute("select status, attempt from ops.mv_refresh_log order by id").fetchall()
    assert statuses[-2:] == [("failed", 1), ("success", 2)]


def test_statement_timeout_fails_cleanly_and_keeps_the_mv(conn, db_url, tmp_path, probe_table):
    spec = make_spec(tmp_path, "select id, val from public.probe cross join lateral pg_sleep(0.3 + id * 0)")
    refresh_materialized_view(database(db_url), spec, FAST)
    tight = RefreshSettings(statement_timeout_s=0.5, lock_timeout_s=5, lock_wait_s=1, attempts=3, backoff_s=0.1)
    with pytest.raises(RefreshError, match=r"exceeded statement_timeout \(0.5 s\)"):
        refresh_materialized_view(database(db_url), spec, tight)
    assert len(mv_rows(conn)) == 5
    # Not transient: one failed attempt, no retries.
    assert conn.execute("select count(*) from ops.mv_refresh_log where status = 'failed'").fetchone()[0] == 1


class Interrupted(BaseException):
    """Stands in for Dagster's DagsterExecutionInterruptedError (a BaseException)."""


def test_an_interrupted_client_cancels_its_server_statement(conn, db_url):
    def interrupt(signum, frame):
        raise Interrupted()

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with psycopg.connect(db_url, autocommit=True, application_name="interrupt-probe") as victim:
            signal.setitimer(signal.ITIMER_REAL, 0.5)
            with pytest.raises(Interrupted):
                execute(victim, "select pg_sleep(30)")
            deadline = time.monotonic() + 5
            while active_statements(conn, "select pg_sleep(30)") and time.monotonic() < deadline:
                time.sleep(0.1)
            assert active_statements(conn, "select pg_sleep(30)") == []
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def active_statements(conn, prefix: str) -> list[int]:
    rows = conn.execute(
        "select pid from pg_stat_activity where state = 'active' and query ilike %s and pid <> pg_backend_pid()"
        " and datname = current_database()",  # tests on other databases of a shared server run too
        (prefix + "%",),
    ).fetchall()
    return [pid for (pid,) in rows]


def wait_for_statement(conn, prefix: str, timeout_s: float = 10) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pids = active_statements(conn, prefix)
        if pids:
            return pids[0]
        time.sleep(0.02)
    raise AssertionError(f"no active statement starting with {prefix!r}")


def kill_statement(conn, prefix: str) -> None:
    pid = wait_for_statement(conn, prefix)
    conn.execute("select pg_terminate_backend(%s)", (pid,))
