"""Access to the page and the API with a token and CORS origins: a request without the token,
or with a wrong one, is a 401 (the page sends to the login form); the right token opens the
API, and the login form's cookie opens the page and its CSV link; the old dashboard's CORS
preflight is answered for its origin only; the token is in no log line (uvicorn's access and
error logs, ours). Most tests use the app under uvicorn in this process; one runs a
real `cobranza serve` configured by its environment and reads everything it printed.
"""

import http.client
import logging
import os
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager

import pytest

from cobranza_pipeline.serving.access import COOKIE, SESSION_S, session_cookie
from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.settings import AccessSettings, ConfigError, Settings
from tests.support.alert_servers import free_port
from tests.support.api_fixtures import EXPORT, SCOUT_KPIS, TABLE, BackgroundServer
from tests.support.faults import wait_until
from tests.support.process import stop_process_group

TOKEN = "tok-5f1c0d2a9b7e4c3f8a6d1e0b2c4f6a8d"  # the same in every xdist worker
OLD_DASHBOARD = "http://localhost:5173"  # the origin the old page is served from, in this test
OTHER_ORIGIN = "http://elsewhere.example"
LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "cobranza_pipeline")


class Served:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def served(fleet_url):
    access = AccessSettings(token=TOKEN, cors_origins=(OLD_DASHBOARD, "http://127.0.0.1:8080"))
    server = BackgroundServer(create_app(fleet_url, access=access), log_level="info", access_log=True,
                              log_config=None).start()
    yield Served(server.port)
    server.stop()


class LogLines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def text(self) -> str:
        return "\n".join(self.lines)


@contextmanager
def captured_logs():
    """Every record of uvicorn's loggers, ours and the root logger, at every level. (Any uvicorn
    server the worker creates sets these loggers' levels and handlers process-wide, so they are
    set here, for the duration.)"""
    capture = LogLines()
    saved = [(logging.getLogger(name), logging.getLogger(name).level) for name in LOGGERS]
    for logger, _ in saved:
        logger.addHandler(capture)
        logger.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        for logger, level in saved:
            logger.removeHandler(capture)
            logger.setLevel(level)


def bearer(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_without_the_token_the_api_is_a_401_and_the_page_sends_to_login(served):
    for path in (TABLE, EXPORT, SCOUT_KPIS, "/openapi.json"):
        status, headers, body = served.request("GET", path)
        assert (status, headers["www-authenticate"]) == (401, "Bearer"), path
        assert b"a valid token is required" in body
    status, headers, _ = served.request("GET", "/?only_with_debt=true&week_start=2026-03-09")
    assert status == 303
    assert headers["location"] == "/login?next=" + urllib.parse.quote("/?only_with_debt=true&week_start=2026-03-09", safe="")
    assert served.request("GET", "/static/page.js")[0] == 200  # assets are not secret
    status, _, body = served.request("GET", "/login")
    assert status == 200 and b'type="password"' in body


@pytest.mark.parametrize("headers", [
    bearer("tok-" + "0" * 32),                       # wrong token, same length
    bearer(TOKEN + "x"),                             # longer
    bearer(TOKEN[:-1]),                              # shorter
    {"Authorization": f"Basic {TOKEN}"},             # another scheme
    {"Authorization": TOKEN},                        # no scheme
    {"Cookie": f"{COOKIE}={session_cookie('another-token-of-16', time.time())}"},  # signed with another key
    {"Cookie": f"{COOKIE}={session_cookie(TOKEN, time.time() - SESSION_S - 5)}"},  # expired
    {"Cookie": f"{COOKIE}=9999999999.deadbeef"},      # forged
])
def test_a_wrong_token_or_cookie_is_a_401(served, headers):
    assert served.request("GET", TABLE, headers)[0] == 401


def test_the_right_token_opens_the_api_and_the_export(served):
    status, _, body = served.request("GET", TABLE + "?limit=1", bearer())
    assert status == 200 and b'"total":13' in body
    status, headers, body = served.request("GET", EXPORT + "?scout_id=101", bearer())
    assert status == 200 and headers["x-total-rows"] == "2"
    assert served.request("GET", "/", bearer())[0] == 200  # a proxy may send the header for the page


def test_the_login_form_sets_a_cookie_that_opens_the_page_and_its_csv_link(served):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, headers, body = served.request("POST", "/login", form, urllib.parse.urlencode(
        {"token": "not-the-token-at-all", "next": "/"}).encode())
    assert status == 401 and "set-cookie" not in headers and "El token no es correcto" in body.decode()
    status, headers, _ = served.request("POST", "/login", form, urllib.parse.urlencode(
        {"token": TOKEN, "next": "/?scout_id=101"}).encode())
    assert (status, headers["location"]) == (303, "/?scout_id=101")
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie and TOKEN not in cookie
    jar = {"Cookie": cookie.split(";")[0]}
    status, _, page = served.request("GET", "/?scout_id=101", jar)
    assert status == 200 and 'data-driver-id="D12"' in page.decode() and "Salir" in page.decode()
    status, _, csv = served.request("GET", EXPORT + "?scout_id=101", jar)  # the page's CSV link
    assert status == 200 and csv.decode("utf-8-sig").splitlines()[1].startswith("D12,")
    status, headers, _ = served.request("POST", "/logout", jar)
    assert status == 303 and f'{COOKIE}=""' in headers["set-cookie"]


def test_login_redirects_only_within_the_site(served):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        body = urllib.parse.urlencode({"token": TOKEN, "next": target}).encode()
        assert served.request("POST", "/login", form, body)[1]["location"] == "/"


def test_cors_preflight_of_the_old_dashboard_is_answered_for_its_origin_only(served):
    preflight = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "content-type"}
    for path in (TABLE, "/api/v1/payments/yango/cabinet/cobranza-yango/weekly-kpis"):
        status, headers, _ = served.request("OPTIONS", path, {"Origin": OLD_DASHBOARD, **preflight})
        assert status == 200, headers
        assert headers["access-control-allow-origin"] == OLD_DASHBOARD
        assert "GET" in headers["access-control-allow-methods"]
        assert "content-type" in headers["access-control-allow-headers"].lower()
        assert "Origin" in headers["vary"]
    status, headers, _ = served.request("OPTIONS", TABLE, {"Origin": "http://127.0.0.1:8080", **preflight})
    assert status == 200  # the second listed origin (its trailing slash dropped)
    status, headers, _ = served.request("OPTIONS", TABLE, {"Origin": OTHER_ORIGIN, **preflight})
    assert status == 400 and "access-control-allow-origin" not in headers
    # the actual GET: allowed with the token; a 401 still carries the header so the page can show it
    status, headers, _ = served.request("GET", TABLE + "?limit=1", {"Origin": OLD_DASHBOARD, **bearer()})
    assert (status, headers["access-control-allow-origin"]) == (200, OLD_DASHBOARD)
    status, headers, _ = served.request("GET", TABLE, {"Origin": OLD_DASHBOARD})
    assert (status, headers["access-control-allow-origin"]) == (401, OLD_DASHBOARD)


def test_without_origins_configured_no_preflight_is_answered(api):
    """The default: no COBRANZA_API_CORS_ORIGINS, no CORS (the 405 the old page met)."""
    parsed = urllib.parse.urlparse(api)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    conn.request("OPTIONS", TABLE, headers={"Origin": OLD_DASHBOARD, "Access-Control-Request-Method": "GET"})
    response = conn.getresponse()
    assert response.status == 405 and response.getheader("access-control-allow-origin") is None
    conn.close()


def test_the_token_is_in_no_log_line(served):
    """Requests with the right token, a wrong one, the login form, a cookie and an error; then
    every log record they caused."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with captured_logs() as logs:
        served.request("GET", TABLE + "?limit=1", bearer())
        served.request("GET", TABLE + "?limit=1", bearer("tok-" + "1" * 32))
        status, headers, _ = served.request("POST", "/login", form, urllib.parse.urlencode(
            {"token": TOKEN, "next": "/"}).encode())
        served.request("GET", "/?reached_milestone=m9", {"Cookie": headers["set-cookie"].split(";")[0]})
        served.request("GET", TABLE + "?reached_milestone=m9", bearer())  # a 400
        assert wait_until(lambda: "/?reached_milestone=m9" in logs.text(), 10), logs.text()
    log = logs.text()
    assert 'GET /api/v1/ops/payments/cabinet-financial-14d?limit=1 HTTP/1.1" 401' in log  # uvicorn's access log
    assert 'POST /login HTTP/1.1" 303' in log and 'reached_milestone=m9 HTTP/1.1" 400' in log
    assert TOKEN not in log and TOKEN[4:] not in log
    assert headers["set-cookie"].split(";")[0].split("=", 1)[1] not in log  # nor the session cookie


def test_cobranza_serve_takes_the_token_and_the_origins_from_its_environment(fleet_url, tmp_path):
    """The real command, in its own process: it says a token is asked for, answers 401 without
    it and 200 with it, answers the old dashboard's preflight, and prints the token nowhere
    (uvicorn's access log on, as `cobranza serve` runs it)."""
    log_path, port = tmp_path / "serve.log", free_port()
    env = {**os.environ, "DATABASE_URL": fleet_url, "COBRANZA_API_TOKEN": TOKEN,
           "COBRANZA_API_CORS_ORIGINS": f"{OLD_DASHBOARD}, http://127.0.0.1:8080/", "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "cobranza_pipeline.cli", "serve", "--port", str(port)],
                                   env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Served(port)
    try:
        def up():
            try:
                return server.request("GET", "/static/page.css")[0] == 200
            except OSError:
                return process.poll() is not None

        assert wait_until(up, timeout_s=90) and process.poll() is None, log_path.read_text()
        assert server.request("GET", TABLE)[0] == 401
        assert server.request("GET", TABLE + "?limit=1", bearer())[0] == 200
        preflight = {"Origin": "http://127.0.0.1:8080", "Access-Control-Request-Method": "GET",
                     "Access-Control-Request-Headers": "content-type"}
        status, headers, _ = server.request("OPTIONS", TABLE, preflight)
        assert (status, headers["access-control-allow-origin"]) == (200, "http://127.0.0.1:8080")  # its "/" dropped
        body = urllib.parse.urlencode({"token": TOKEN, "next": "/"}).encode()
        assert server.request("POST", "/login", {"Content-Type": "application/x-www-form-urlencoded"}, body)[0] == 303
    finally:
        stop_process_group(process)
    log = log_path.read_text()
    assert "access: the page and the API ask for COBRANZA_API_TOKEN" in log
    assert "CORS: allowed origins http://localhost:5173, http://127.0.0.1:8080" in log
    assert 'GET /api/v1/ops/payments/cabinet-financial-14d HTTP/1.1" 401' in log and 'POST /login HTTP/1.1" 303' in log
    assert TOKEN not in log and TOKEN[4:] not in log


def test_settings_read_the_origins_and_hide_the_token():
    settings = Settings.from_env({"COBRANZA_API_TOKEN": TOKEN,
                                  "COBRANZA_API_CORS_ORIGINS": " http://localhost:5173/ ,https://cobranza.example.pe"})
    assert settings.access.cors_origins == ("http://localhost:5173", "https://cobranza.example.pe")
    assert TOKEN not in repr(settings) and settings.access.token == TOKEN
    assert Settings.from_env({}).access == AccessSettings(token=None, cors_origins=())
    with pytest.raises(ConfigError, match="COBRANZA_API_CORS_ORIGINS must be comma-separated origins"):
        Settings.from_env({"COBRANZA_API_CORS_ORIGINS": "http://localhost:5173/app"})
    with pytest.raises(ConfigError) as short:
        Settings.from_env({"COBRANZA_API_TOKEN": "short-secret"})
    assert "at least 16" in str(short.value) and "short-secret" not in str(short.value)
