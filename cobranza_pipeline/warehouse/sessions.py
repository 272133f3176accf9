"""Sessions on the PostgreSQL that holds the raw tables and receives the ops layer.

A `Database` is a URL plus the settings every session on it starts with: an
application_name, statement and lock timeouts, the business time zone and JIT off
(sql/session/apply_settings.sql). Callers get the URL from the edge (the CLI or a Dagster
resource); nothing here reads the environment.
"""

from dataclasses import dataclass, replace

import psycopg

from cobranza_pipeline.settings import DEFAULT_TIMEZONE
from cobranza_pipeline.warehouse.conninfo import describe_target, mask_url
from cobranza_pipeline.warehouse.sqlfiles import read_sql


@dataclass(frozen=True)
class SessionSettings:
    application_name: str = "cobranza-pipeline"
    statement_timeout_s: float = 600.0
    lock_timeout_s: float = 30.0
    connect_timeout_s: int = 10
    # TCP keepalives and tcp_user_timeout (libpq ignores them on a unix socket): a peer that
    # vanished (a network partition, a server host that died) is noticed within about
    # keepalive_idle_s + keepalive_interval_s * keepalive_count, or tcp_user_timeout_s for data
    # sent and never acknowledged, instead of the operating system's 2 hours.
    keepalive_idle_s: int = 10
    keepalive_interval_s: int = 5
    keepalive_count: int = 3
    tcp_user_timeout_s: int = 30
    work_mem_mb: int | None = None  # None: the server's default
    # The zone in which timestamptz values become dates (a lead's date, a ledger's date,
    # current_date): the business zone, never the server's (README "Configuration").
    timezone: str = DEFAULT_TIMEZONE
    # None: the server's default. The dashboard's readers use 'force_custom_plan': psycopg
    # prepares a statement on its 6th execution on one session, and the server's generic plan
    # for the optional filters ("%(x)s is null or col = %(x)s") then tests every filter on every
    # row (86 -> 51 ms for the filtered table endpoint at 100k drivers). Not for the pipeline:
    # PostgreSQL 18 plans a SQL function's body through the plan cache, so forced custom plans
    # replan ops.normalize_name on every call (README "Benchmark").
    plan_cache_mode: str | None = None
    # None: the server's default (4.0, a spinning disk's). The staging step uses 1.1 (README
    # "Incremental pipeline"): at 4.0 the planner reads the recruited drivers' raw rows with a
    # scan of the whole raw table instead of the driver_id index (2 s against 0.1 s for 5,000
    # drivers of a 10 M row table, whose pages the server has cached).
    random_page_cost: float | None = None


@dataclass(frozen=True)
class Database:
    """Where the data lives and how sessions on it are set up."""

    url: str
    session: SessionSettings = SessionSettings()

    def connect(self, autocommit: bool = True, **changes) -> psycopg.Connection:
        """A session with this database's settings, changed by `changes` (SessionSettings
        fields) for this one session."""
        return connect(self.url, replace(self.session, **changes), autocommit)

    def with_session(self, **changes) -> "Database":
        return replace(self, session=replace(self.session, **changes))


def connect(url: str, session: SessionSettings = SessionSettings(), autocommit: bool = True) -> psycopg.Connection:
    """Open a session with our settings; errors name the target, never the password."""
    try:
        conn = psycopg.connect(
            url,
            autocommit=autocommit,
            application_name=session.application_name,
            connect_timeout=session.connect_timeout_s,
            keepalives=1,
            keepalives_idle=session.keepalive_idle_s,
            keepalives_interval=session.keepalive_interval_s,
            keepalives_count=session.keepalive_count,
            tcp_user_timeout=session.tcp_user_timeout_s * 1000,
        )
    except psycopg.OperationalError as exc:
        raise ConnectionError(f"cannot connect to PostgreSQL at {describe_target(url)}: {first_line(exc)}") from None
    except psycopg.ProgrammingError:  # libpq rejects the string; its message would quote the token
        raise ConnectionError(f"cannot connect to PostgreSQL: {describe_target(url)}") from None
    conn.execute(read_sql("session/apply_settings.sql"), {
        "statement_timeout": f"{int(session.statement_timeout_s * 1000)}ms",
        "lock_timeout": f"{int(session.lock_timeout_s * 1000)}ms",
        "timezone": session.timezone,
        "work_mem": f"{session.work_mem_mb}MB" if session.work_mem_mb else None,
        "plan_cache_mode": session.plan_cache_mode,
        "random_page_cost": None if session.random_page_cost is None else str(session.random_page_cost),
    })
    if not autocommit:
        conn.commit()
    return conn


OPS_DDL_LOCK = {"lock_class": 0x636F64, "lock_key": 0}  # one session at a time changes ops objects


def lock_ops_ddl(conn) -> None:
    """Inside a transaction: wait (up to lock_timeout) until no other session is changing ops
    objects; held until commit."""
    conn.execute(read_sql("ops_meta/lock_ops_ddl.sql"), OPS_DDL_LOCK)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return mask_url(text[0]) if text else type(exc).__name__
