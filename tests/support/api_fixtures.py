"""The API tests' fleet (13 hand-made drivers, 3 weeks), a real uvicorn server in a thread, and
the module fixtures `fleet_url` and `api` (a plugin of conftest.py).

FLEET from check_fixtures (D01-D10) plus:
  D11  week 2, no trips, Yango paid M1 anyway: due -25.00; name '=SUM(A1:A9)' (formula guard)
  D12  week 3, 25 trips: M25, due 160.00, scout 101 (ledger) like D01
  D13  week 1 on a later day (03-06), 3 trips: M1 only, due 25.00, scout 113 (cabinet payment)
and scouts: D01 101, D02 102, D06 106 (ledger), D07 107 (migration); 101 is listed as
'@Ana Pérez'. D03 D04 D05 D08 D09 D10 D11 have no scout.
"""

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import psycopg
import pytest
import uvicorn

from cobranza_pipeline.serving.app import create_app
from tests.support.builders import add_lead_driver, add_payment, add_trips
from tests.support.check_fixtures import (
    WEEK1,
    WEEK2,
    add_fleet,
    add_ledger,
    add_migration,
)
from tests.support.fixtures import build_all, insert_rows

WEEK3 = date(2026, 3, 16)
SCOUT_NAME_101 = "@Ana Pérez"
FORMULA_NAME = "=SUM(A1:A9)"

# driver -> (week_start, lead_date, m1, m5, m25, due, scout_id, bucket), computed by hand
ROWS = {
    "D12": (WEEK3, date(2026, 3, 18), True, True, True, "160.00", 101, "SATISFACTORY_LEDGER"),
    "D06": (WEEK2, date(2026, 3, 12), True, True, True, "100.00", 106, "SATISFACTORY_LEDGER"),
    "D07": (WEEK2, date(2026, 3, 12), True, True, False, "60.00", 107, "MIGRATIONS_ONLY"),
    "D08": (WEEK2, date(2026, 3, 12), True, False, False, "25.00", None, "MISSING"),
    "D09": (WEEK2, date(2026, 3, 12), False, False, False, "0.00", None, "MISSING"),
    "D10": (WEEK2, date(2026, 3, 12), False, False, False, "0.00", None, "MISSING"),
    "D11": (WEEK2, date(2026, 3, 12), False, False, False, "-25.00", None, "MISSING"),
    "D13": (WEEK1, date(2026, 3, 6), True, False, False, "25.00", 113, "CABINET_PAYMENTS_ONLY"),
    "D01": (WEEK1, date(2026, 3, 4), True, True, True, "135.00", 101, "SATISFACTORY_LEDGER"),
    "D02": (WEEK1, date(2026, 3, 4), True, True, False, "60.00", 102, "SATISFACTORY_LEDGER"),
    "D03": (WEEK1, date(2026, 3, 4), True, False, False, "25.00", None, "MISSING"),
    "D04": (WEEK1, date(2026, 3, 4), False, False, False, "0.00", None, "MISSING"),
    "D05": (WEEK1, date(2026, 3, 4), False, False, False, "0.00", None, "MISSING"),
}
ORDER = list(ROWS)  # week_start desc, lead_date desc, driver_id
TOTAL_DEBT = sum(Decimal(row[5]) for row in ROWS.values())  # 565.00, D11's -25.00 included


def ids(rows: list[dict]) -> list[str]:
    return [row["driver_id"] for row in rows]


def build_api_fleet(conn, url: str) -> None:
    persons = add_fleet(conn, scouted=["D01", "D02", "D06"])
    add_migration(conn, 1, "D07", 107, persons["D07"])
    add_lead_driver(conn, "D11", date(2026, 3, 12), full_name=FORMULA_NAME)
    add_payment(conn, 501, driver_id="D11", trip_1=True)
    persons["D12"] = add_lead_driver(conn, "D12", date(2026, 3, 18))
    add_trips(conn, "D12", {date(2026, 3, 19): 25})
    add_ledger(conn, persons["D12"], 101)
    add_lead_driver(conn, "D13", date(2026, 3, 6))
    add_trips(conn, "D13", {date(2026, 3, 7): 3})
    add_payment(conn, 502, driver_id="D13", scout_id=113)
    insert_rows(conn, "public.module_ct_scouts_list", [{"scout_id": 101, "raw_name": SCOUT_NAME_101, "is_active": True}])
    build_all(conn, url)


def fleet_database(new_database) -> str:
    url = new_database()
    with psycopg.connect(url, autocommit=True) as conn:
        build_api_fleet(conn, url)
    return url


@pytest.fixture(scope="module")
def fleet_url(new_database) -> str:
    """A database with the fleet built, shared by a test module."""
    return fleet_database(new_database)


@pytest.fixture(scope="module")
def api(fleet_url):
    """The base URL of the API serving fleet_url, for a test module."""
    server = BackgroundServer(create_app(fleet_url)).start()
    yield server.base
    server.stop()


class BackgroundServer:
    """uvicorn serving app on 127.0.0.1 at a free port, in a daemon thread, until stop(); config:
    uvicorn.Config's arguments (quiet, without an access log, by default). send_buffer: the
    accepted sockets' SO_SNDBUF (Linux passes the listening socket's on), so that a client that
    stops reading blocks the server's sends after a few KB, as on a slow network, instead of
    after the megabytes loopback would buffer."""

    def __init__(self, app, send_buffer: int | None = None, **config):
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if send_buffer:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, **{"log_level": "warning", "access_log": False, "lifespan": "off", **config})
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def start(self) -> "BackgroundServer":
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def get(base: str, path: str, **params) -> Reply:
    """GET base+path?params over real HTTP; params with None are left out."""
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    url = f"{base}{path}" + (f"?{query}" if query else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


TABLE = "/api/v1/ops/payments/cabinet-financial-14d"
EXPORT = "/api/v1/ops/payments/cabinet-financial-14d/export"
SCOUT_KPIS = "/api/v1/yango/cabinet/cobranza-yango/scout-attribution-metrics"
WEEKLY_KPIS = "/api/v1/yango/cabinet/cobranza-yango/weekly-kpis"
