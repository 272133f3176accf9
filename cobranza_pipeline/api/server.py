"""`cobranza serve`: the API under uvicorn, loopback by default."""

import ipaddress

from cobranza_pipeline import database
from cobranza_pipeline.api.sessions import MV


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mv_missing_note(url: str) -> str | None:
    """A line to print when the MV is not there yet (the API then answers 503), else None."""
    with database.connect(url) as conn:  # also fails fast, with one line, when unreachable
        exists = conn.execute("select to_regclass(%s) is not null", (MV,)).fetchone()[0]
    if exists:
        return None
    return f"note: {MV} does not exist yet: the endpoints answer 503 until `cobranza materialize` builds it"


def serve(url: str, host: str, port: int) -> int:
    import uvicorn

    from cobranza_pipeline.api.app import create_app
    from cobranza_pipeline.api.settings import ApiSettings

    app = create_app(url, ApiSettings.from_env())
    uvicorn.run(app, host=host, port=port, log_level="info")
    return 0
