"""`cobranza serve`: the page and the API under uvicorn, loopback by default; beyond loopback
only with a token or an explicit --no-auth."""

import ipaddress

import uvicorn

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.serving.sessions import MV
from cobranza_pipeline.settings import Settings
from cobranza_pipeline.warehouse.sessions import connect
from cobranza_pipeline.warehouse.sqlfiles import read_sql


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_refusal(host: str, has_token: bool, no_auth: bool) -> str | None:
    """The one line `cobranza serve` stops with when it would listen beyond loopback with no
    token and no explicit --no-auth; None when it may start."""
    if is_loopback(host) or has_token or no_auth:
        return None
    return (f"error: refusing to listen on {host} without a token: set COBRANZA_API_TOKEN, "
            "or pass --no-auth to serve the page and the API to anyone who can reach it")


def mv_missing_note(url: str) -> str | None:
    """A line to print when the MV is not there yet (the API then answers 503), else None."""
    with connect(url) as conn:  # also fails fast, with one line, when unreachable
        exists = conn.execute(read_sql("queries/relation_exists.sql"), {"relation": MV}).fetchone()[0]
    if exists:
        return None
    return f"note: {MV} does not exist yet: the endpoints answer 503 until `cobranza materialize` builds it"


SHUTDOWN_GRACE_S = 5  # requests in progress at SIGTERM get this long to finish


def serve(url: str, settings: Settings, host: str, port: int) -> int:
    """Serve until SIGTERM or Ctrl-C. Requests still waiting on the database after the grace
    period have their sessions cut, so their threads end and the process exits."""
    app = create_app(url, settings.api, timezone=settings.timezone, access=settings.access,
                     freshness_hours=settings.thresholds.freshness_hours)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=SHUTDOWN_GRACE_S)
    finally:
        app.state.db.cut_all()
    return 0
