"""A network partition between the API and PostgreSQL (README "Reliability", item 16), through a
real TCP proxy that is frozen: two requests wait inside their queries when the path freezes,
a third arrives while it is frozen. Each must end in a 503 within the configured bounds (the
request timeout, the connect timeout) and give its session back; after the thaw the next
request is a 200. Without the bounds the two sessions waited forever and the API stayed at 503."""

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import psycopg
import pytest

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.serving.server import SHUTDOWN_GRACE_S
from cobranza_pipeline.serving.sessions import SessionPool
from cobranza_pipeline.settings import ApiSettings
from tests.support.alert_servers import free_port
from tests.support.api_fixtures import TABLE, BackgroundServer, get
from tests.support.faults import report_figure, wait_until
from tests.support.slow_clients import api_sessions
from tests.support.tcp_proxy import FreezableProxy

SETTINGS = ApiSettings(max_sessions=2, session_wait_s=1, request_timeout_s=2, connect_timeout_s=2,
                       lock_timeout_s=30, statement_timeout_s=30)


@pytest.fixture
def proxied_api(fleet_url):
    proxy = FreezableProxy(fleet_url)
    server = BackgroundServer(create_app(proxy.url, SETTINGS)).start()
    yield proxy, server
    server.stop()
    proxy.close()


def timed_get(base: str, results: list) -> None:
    started = time.monotonic()
    reply = get(base, TABLE, limit=1)
    results.append((reply.status, reply.json()["detail"] if reply.status != 200 else None,
                    time.monotonic() - started))


@contextmanager
def mv_locked(url: str):
    """ACCESS EXCLUSIVE on the MV in an open transaction (a matview cannot be LOCKed: a rename
    takes the same lock), rolled back on exit."""
    with psycopg.connect(url) as holder:
        holder.execute("alter materialized view ops.mv_yango_cabinet_cobranza_enriched_14d rename to mv_held")
        try:
            yield
        finally:
            holder.rollback()


def waiting_on_the_lock(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("select count(*) from pg_stat_activity where application_name = 'cobranza-api' "
                            "and wait_event_type = 'Lock' and datname = current_database()").fetchone()[0]


def test_a_frozen_network_path_ends_in_503s_within_the_bounds_and_the_thaw_recovers(proxied_api, fleet_url):
    proxy, server = proxied_api
    assert get(server.base, TABLE, limit=1).status == 200
    in_query: list = []
    with mv_locked(fleet_url):  # the two requests wait inside their query...
        threads = [threading.Thread(target=timed_get, args=(server.base, in_query)) for _ in range(2)]
        for thread in threads:
            thread.start()
        assert wait_until(lambda: waiting_on_the_lock(fleet_url) == 2, timeout_s=10)
        proxy.freeze()  # ...when the path freezes; their answers then never arrive
    frozen_at = time.monotonic()
    for thread in threads:
        thread.join(30)
    cut_after = time.monotonic() - frozen_at
    while_frozen: list = []
    timed_get(server.base, while_frozen)  # their slots are free again; a new connect is never answered
    assert sorted(status for status, _, _ in in_query) == [503, 503]
    assert {detail for _, detail, _ in in_query} == {"the database did not answer within 2 s; retry shortly"}
    assert all(elapsed < 5 for _, _, elapsed in in_query), in_query
    [(status, detail, connect_s)] = while_frozen
    assert (status, detail) == (503, "the database is unavailable; retry shortly")
    assert connect_s < 5

    proxy.thaw()
    thawed = time.monotonic()
    assert get(server.base, TABLE, limit=1).status == 200
    recovered = time.monotonic() - thawed
    assert wait_until(lambda: api_sessions(fleet_url) == [], timeout_s=5) is not None
    report_figure(16, "network path frozen mid-query", in_query_503_after=max(e for _, _, e in in_query),
                  both_ended_after_freeze=cut_after, connect_503_after=connect_s, recovered_after_thaw=recovered)


def test_api_sessions_over_tcp_carry_keepalives_and_tcp_user_timeout(proxied_api):
    proxy, _server = proxied_api
    pool = SessionPool(proxy.url, SETTINGS)
    session = pool.open()
    try:
        options = {option.keyword.decode(): (option.val or b"").decode() for option in session.conn.pgconn.info}
    finally:
        pool.release(session)
    assert {key: options[key] for key in ("keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
                                          "tcp_user_timeout", "connect_timeout")} == {
        "keepalives": "1", "keepalives_idle": "10", "keepalives_interval": "5", "keepalives_count": "3",
        "tcp_user_timeout": "30000", "connect_timeout": "2"}


def test_sigterm_to_serve_exits_while_a_request_waits_on_a_frozen_path(fleet_url, tmp_path):
    proxy = FreezableProxy(fleet_url)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": proxy.url, "COBRANZA_HOME": str(tmp_path),
           "COBRANZA_API_REQUEST_TIMEOUT_S": "600"}  # not the watchdog: the shutdown must end it
    serve = subprocess.Popen([sys.executable, "-m", "cobranza_pipeline.cli", "serve", "--port", str(port)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: _answers(base), timeout_s=60)
        stuck: list = []
        with mv_locked(fleet_url):
            thread = threading.Thread(target=lambda: stuck.append(_status(base)), daemon=True)
            thread.start()
            assert wait_until(lambda: waiting_on_the_lock(fleet_url) == 1, timeout_s=10)
            proxy.freeze()
        signalled = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(timeout=30)
        exited = time.monotonic() - signalled
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        proxy.close()
    assert code == 143, serve.stdout.read()[-2000:]
    assert exited < SHUTDOWN_GRACE_S + 3
    report_figure(16, "SIGTERM to serve with a request stuck on a frozen path", exited_after=exited)


def _answers(base: str) -> bool:
    try:
        return get(base, TABLE, limit=1).status == 200
    except OSError:
        return False


def _status(base: str):
    try:
        return get(base, TABLE, limit=1).status
    except OSError as exc:  # the server went away mid-request: that is the point
        return type(exc).__name__
