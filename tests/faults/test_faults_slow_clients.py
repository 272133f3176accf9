"""Slow and vanished download clients (README "Reliability", item 14), on real sockets: clients
that ask for the CSV export and read nothing, more of them than the API has database sessions,
and a client that resets the connection mid-body. The export must hold no database session
while a client downloads, so the other requests keep their 200s, and a client that stops
reading is cut off after the write timeout."""

import time

import pytest

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.settings import ApiSettings
from tests.support.api_fixtures import EXPORT, TABLE, BackgroundServer, get
from tests.support.faults import load_demo, report_figure
from tests.support.fixtures import build_all
from tests.support.slow_clients import StalledClient, api_sessions, complete_chunked_body, seconds_until

DRIVERS = 3000  # an export of about 790 KB: far more than a stalled client's socket buffers take
SETTINGS = ApiSettings(max_sessions=2, session_wait_s=2, export_write_timeout_s=1.0)


@pytest.fixture
def served(conn, db_url):
    load_demo(db_url, drivers=DRIVERS)
    build_all(conn, db_url)
    server = BackgroundServer(create_app(db_url, SETTINGS), send_buffer=16384).start()
    yield server
    server.stop()


def test_stalled_download_clients_hold_no_session_and_are_cut_off(served, db_url):
    full = get(served.base, EXPORT)
    rows = int(full.headers["x-total-rows"])
    assert full.status == 200 and full.body.count(b"\r\n") == rows + 1 and len(full.body) > 500_000

    stalled = [StalledClient(served.port, EXPORT) for _ in range(2 * SETTINGS.max_sessions)]
    try:
        assert all(client.read_some(12) == b"HTTP/1.1 200" for client in stalled)  # each got its first bytes
        started = time.monotonic()
        replies = [get(served.base, TABLE, limit=5) for _ in range(5)]
        others_s = time.monotonic() - started
        assert [reply.status for reply in replies] == [200] * 5
        # No session held for the 4 downloads in progress. The last table request's session may
        # still be on its way back to the pool as its reply arrives: allowed 0.2 s, far less than
        # the downloads' write timeout (1 s), during which a download holding one would keep it.
        released = seconds_until(lambda: api_sessions(db_url) == [], timeout_s=0.2)
        assert released is not None, api_sessions(db_url)
        time.sleep(SETTINGS.export_write_timeout_s + 0.5)  # the fault itself: nothing read for longer than that
        bodies = [client.read_all() for client in stalled]
    finally:
        for client in stalled:
            client.close()
    received = [len(body) for body in bodies]
    assert all(not complete_chunked_body(body) for body in bodies)  # cut off: the body lacks its last chunk
    assert max(received) < len(full.body) / 2, received
    report_figure(14, "4 stalled download clients, 2 sessions", other_requests=others_s,
                  sessions_held=0, cut_off_after_bytes=max(received))


def test_a_client_that_vanishes_mid_body_leaves_no_session(served, db_url):
    client = StalledClient(served.port, EXPORT)
    assert client.read_some(12) == b"HTTP/1.1 200"
    client.vanish()
    gone = seconds_until(lambda: api_sessions(db_url) == [], timeout_s=5)
    assert gone is not None and gone < 0.5, api_sessions(db_url)
    assert get(served.base, TABLE, limit=1).status == 200
    report_figure(14, "download client vanished mid-body", session_gone=gone)
