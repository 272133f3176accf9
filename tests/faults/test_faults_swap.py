"""A slow reader during a rebuild's swap (README "Reliability", item 15): an analyst's session
reads the MV and stays in its transaction (ACCESS SHARE held for good) while the MV is
rebuilt, and the dashboard's API is read throughout. The swap must never hold the API's
readers for long (no 503 "being rebuilt"), must end the old reader once it has waited its
patience, and swap; with termination off it fails cleanly after that patience, drops the
rebuilt copy and keeps the MV."""

import threading
import time

import psycopg
import pytest

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.matview import statements
from cobranza_pipeline.warehouse.matview.errors import RefreshError
from cobranza_pipeline.warehouse.matview.refresh import RefreshSettings, refresh_materialized_view
from tests.support.api_fixtures import TABLE, BackgroundServer, get
from tests.support.faults import load_demo, mv_checksum, report_figure
from tests.support.fixtures import build_all, database

PATIENCE = RefreshSettings(statement_timeout_s=120, lock_timeout_s=30, attempts=1, swap_lock_timeout_s=0.3,
                           swap_wait_s=2.0)


class ApiReaders:
    """Two threads reading the table endpoint over HTTP until stop(): every status and latency."""

    def __init__(self, base: str):
        self.base, self.replies, self._stop = base, [], threading.Event()
        self._threads = [threading.Thread(target=self._read, daemon=True) for _ in range(2)]

    def _read(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            status = get(self.base, TABLE, limit=20).status
            self.replies.append((status, time.monotonic() - started))

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        for thread in self._threads:
            thread.join(30)


@pytest.fixture
def rebuild_pending(conn, db_url):
    """A built MV whose next refresh is a rebuild (an index gone), and the API serving it."""
    load_demo(db_url, drivers=2000)
    build_all(conn, db_url)
    conn.execute("drop index ops.idx_mv_cobranza_enriched_lead_date")
    server = BackgroundServer(create_app(db_url)).start()
    yield server
    server.stop()


def slow_reader(url: str) -> psycopg.Connection:
    reader = psycopg.connect(url, application_name="analyst")
    reader.execute(statements.count_rows(COBRANZA_MV)).fetchone()  # and stays in the transaction: ACCESS SHARE held
    return reader


def leftover_exists(conn) -> bool:
    return conn.execute("select to_regclass('ops.mv_yango_cabinet_cobranza_enriched_14d__next') is not null"
                        ).fetchone()[0]


def test_the_swap_ends_a_reader_older_than_its_patience_and_never_holds_the_api(rebuild_pending, conn, db_url):
    reader = slow_reader(db_url)
    try:
        with ApiReaders(rebuild_pending.base) as api:
            started = time.monotonic()
            outcome = refresh_materialized_view(database(db_url), COBRANZA_MV, PATIENCE)
            rebuilt = time.monotonic() - started
        with pytest.raises(psycopg.OperationalError):  # the analyst's session was terminated
            reader.execute("select 1")
    finally:
        reader.close()
    assert outcome.mode == "rebuild"
    assert outcome.summary["swap_terminated_sessions"] == 1 and outcome.summary["swap_tries"] >= 3
    statuses = {status for status, _ in api.replies}
    slowest = max(latency for _, latency in api.replies)
    assert statuses == {200}, statuses  # never a 503 "being rebuilt"
    assert slowest < 2.0, slowest  # at most one short try of the swap in the way, never its whole patience
    assert not leftover_exists(conn)
    assert conn.execute(statements.count_rows(COBRANZA_MV)).fetchone()[0] == outcome.rows
    report_figure(15, "rebuild past a reader holding ACCESS SHARE", rebuild_incl_patience=rebuilt,
                  api_requests=len(api.replies), api_max_latency=slowest, terminated=1)


def test_without_termination_the_swap_fails_cleanly_after_its_patience(rebuild_pending, conn, db_url):
    before = mv_checksum(conn)
    reader = slow_reader(db_url)
    settings = RefreshSettings(**{**PATIENCE.__dict__, "terminate_swap_blockers": False})
    try:
        started = time.monotonic()
        with pytest.raises(RefreshError) as failure:
            refresh_materialized_view(database(db_url), COBRANZA_MV, settings)
        failed_after = time.monotonic() - started
        reader.execute("select 1")  # still alive
    finally:
        reader.close()
    message = str(failure.value)
    assert message.startswith("the swap of ops.mv_yango_cabinet_cobranza_enriched_14d could not get its lock in ")
    assert "blocked by pid " in message and "(analyst, AccessShareLock on ops.mv_yango_cabinet" in message
    assert message.endswith("; the rebuilt copy was dropped and the MV keeps its previous rows")
    assert not leftover_exists(conn)
    assert mv_checksum(conn) == before
    assert conn.execute("select status, error from ops.mv_refresh_log order by id desc limit 1").fetchone() == (
        "failed", message)
    report_figure(15, "swap blocked, termination off", failed_after=failed_after)
