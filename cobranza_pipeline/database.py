"""Connections to the PostgreSQL that holds the raw tables and receives the ops layer.

`DATABASE_URL` names it; when unset, a private embedded server is started (see embedded.py).
Every session carries an application_name and the statement/lock timeouts, so a runaway
statement or a lock queue never hangs a run silently.
"""

import re
from dataclasses import dataclass

import psycopg

from cobranza_pipeline import settings

_PASSWORD_IN_URL = re.compile(r"(?P<head>://[^:/@?#]*:)(?P<secret>[^@/?#]*)(?P<tail>@)")
_PASSWORD_IN_QUERY = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&#]*)", re.IGNORECASE)
# libpq also takes "host=db user=u password=secret" (keyword/value form; quoted values may
# hold spaces and \' escapes).
_PASSWORD_KEYWORD = re.compile(r"(?P<head>(?:^|\s)password\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def mask_url(url: str) -> str:
    """The URL (or keyword/value conninfo) with any password replaced by ***, fit for logs,
    metadata and screens."""
    masked = _PASSWORD_IN_URL.sub(lambda m: m["head"] + ("***" if m["secret"] else "") + m["tail"], url)
    masked = _PASSWORD_IN_QUERY.sub(lambda m: m["head"] + "***", masked)
    return _PASSWORD_KEYWORD.sub(lambda m: m["head"] + "***", masked)


def describe_target(url: str) -> str:
    """'host:port/dbname' (or the socket directory) without user or password, for error text."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    host = info.get("host") or "localhost"
    port = info.get("port") or "5432"
    return f"{host}:{port}/{info.get('dbname', '')}"


@dataclass(frozen=True)
class SessionSettings:
    application_name: str = "cobranza-pipeline"
    statement_timeout_s: float = 600.0
    lock_timeout_s: float = 30.0
    connect_timeout_s: int = 10
    work_mem_mb: int | None = None  # None: the server's default
    # The zone in which timestamptz values become dates (a lead's date, a ledger's date,
    # current_date); None: the business zone (settings.business_timezone), never the server's.
    timezone: str | None = None
    # None: the server's default. The dashboard's readers use 'force_custom_plan': psycopg
    # prepares a statement on its 6th execution on one session, and the server's generic plan
    # for the optional filters ("%(x)s is null or col = %(x)s") then tests every filter on every
    # row (86 -> 51 ms for the filtered table endpoint at 100k drivers). The API opens a session
    # per request and rarely gets there; the benchmark reuses one. Not for the pipeline:
    # PostgreSQL 18 plans a SQL function's body through the plan cache, so forced custom plans
    # replan ops.normalize_name on every call (the MV refresh 6.8 s -> 8.0 s at 100k drivers);
    # PostgreSQL 15 does not cache those plans and is unaffected.
    plan_cache_mode: str | None = None


def resolve_database_url() -> str:
    """The URL in use: DATABASE_URL, else the embedded server (started on demand)."""
    url = settings.database_url_from_env()
    if url:
        return url
    from cobranza_pipeline import embedded

    return embedded.ensure_embedded_database()


def connect(url: str, session: SessionSettings = SessionSettings(), autocommit: bool = True) -> psycopg.Connection:
    """Open a session with our settings; errors name the target, never the password."""
    try:
        conn = psycopg.connect(
            url,
            autocommit=autocommit,
            application_name=session.application_name,
            connect_timeout=session.connect_timeout_s,
        )
    except psycopg.OperationalError as exc:
        raise ConnectionError(
            f"cannot connect to PostgreSQL at {describe_target(url)}: {first_line(exc)}"
        ) from None
    # set_config() takes bound values; SET would need them spliced into the statement. JIT off:
    # on PostgreSQL 15 it spent 9 of the MV SELECT's 23.5 s at 100k drivers compiling (791
    # functions); nothing this product runs gains from it.
    conn.execute(
        "select set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false),"
        " set_config('TimeZone', %s, false), set_config('jit', 'off', false)",
        (f"{int(session.statement_timeout_s * 1000)}ms", f"{int(session.lock_timeout_s * 1000)}ms",
         session.timezone or settings.business_timezone()),
    )
    if session.work_mem_mb:
        conn.execute("select set_config('work_mem', %s, false)", (f"{session.work_mem_mb}MB",))
    if session.plan_cache_mode:
        conn.execute("select set_config('plan_cache_mode', %s, false)", (session.plan_cache_mode,))
    if not autocommit:
        conn.commit()
    return conn


OPS_DDL_LOCK = (0x636F64, 0)  # advisory lock: one session at a time creates or replaces ops objects


def lock_ops_ddl(conn) -> None:
    """Inside a transaction: wait (up to lock_timeout) until no other session is changing ops
    objects; held until commit. Two runs started together would otherwise create the same view
    at once, and one fails with a duplicate key in the catalog."""
    conn.execute("select pg_advisory_xact_lock(%s, %s)", OPS_DDL_LOCK)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return mask_url(text[0]) if text else type(exc).__name__
