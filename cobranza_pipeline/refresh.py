"""One refresh of a materialized view, done the way production needs it.

Order of a refresh attempt: open a log row, take the MV's advisory lock (waiting a bounded
time for another refresh), read the MV's state, run the planned mode, ANALYZE, count, close
the log row. Transient failures (lost connection, lock timeout) are retried with backoff;
each attempt gets its own log row. A statement interrupted from the client (a terminated
Dagster run) is cancelled on the server before the error goes on.
"""

import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg
from psycopg import errors, sql

from cobranza_pipeline import database, matview
from cobranza_pipeline.matview import MaterializedViewSpec
from cobranza_pipeline.sqlfiles import read_sql, sha256_of


class RefreshError(RuntimeError):
    """A refresh that failed for a reason stated in the message; the previous MV is intact."""


class RefreshLockBusy(RefreshError):
    """Another refresh of the same MV held the advisory lock for longer than we wait."""


@dataclass(frozen=True)
class RefreshSettings:
    statement_timeout_s: float = 1800.0
    lock_timeout_s: float = 30.0
    lock_wait_s: float = 600.0  # how long to wait for another refresh of the same MV
    attempts: int = 3
    backoff_s: float = 5.0  # first retry delay, doubled each time
    work_mem_mb: int = 256  # the refresh sorts ~all trip rows: keep them in memory


@dataclass
class RefreshOutcome:
    mode: str
    rows: int
    duration_ms: int
    attempts: int
    summary: dict[str, object] = field(default_factory=dict)


def is_transient(exc: BaseException) -> bool:
    """Worth another try: the connection went away or a lock wait timed out. A cancelled
    statement (statement_timeout, a terminated run) is final."""
    if isinstance(exc, errors.QueryCanceled):
        return False
    return isinstance(exc, (psycopg.OperationalError, ConnectionError))


def refresh_materialized_view(
    url: str,
    spec: MaterializedViewSpec,
    settings: RefreshSettings = RefreshSettings(),
    run_id: str | None = None,
    log: logging.Logger | None = None,
) -> RefreshOutcome:
    log = log or logging.getLogger(__name__)
    ensure_refresh_log(url)
    for attempt in range(1, settings.attempts + 1):
        log_id = _log_start(url, spec, run_id, attempt)
        started = time.monotonic()
        try:
            outcome = _refresh_once(url, spec, settings, log)
        except BaseException as exc:
            message = _describe_failure(exc, settings)
            if isinstance(exc, errors.LockNotAvailable):
                message += f"; blocked by {_lock_holders_after_failure(url, spec)}"
            _log_finish(url, log_id, "failed", None, started, None, message, log)
            if attempt < settings.attempts and is_transient(exc):
                delay = settings.backoff_s * 2 ** (attempt - 1)
                log.warning("refresh of %s failed (%s); retry %s in %.1f s", spec.qualified_name, message, attempt + 1, delay)
                time.sleep(delay)
                continue
            if isinstance(exc, Exception) and not isinstance(exc, RefreshError):
                raise RefreshError(f"refresh of {spec.qualified_name} failed: {message}") from exc
            raise
        outcome.attempts = attempt
        _log_finish(url, log_id, "success", outcome.mode, started, outcome.rows, None, log)
        return outcome
    raise AssertionError("unreachable: the last attempt returns or raises")


def ensure_refresh_log(url: str) -> None:
    with database.connect(url) as conn, conn.transaction():
        database.lock_ops_ddl(conn)  # two first refreshes would both create the table
        conn.execute(read_sql("mv/refresh_log_table.sql"))


def _refresh_once(url: str, spec: MaterializedViewSpec, settings: RefreshSettings, log) -> RefreshOutcome:
    session = database.SessionSettings(
        application_name=f"cobranza-refresh {spec.qualified_name}",
        statement_timeout_s=settings.statement_timeout_s,
        lock_timeout_s=settings.lock_timeout_s,
        work_mem_mb=settings.work_mem_mb,
    )
    started = time.monotonic()
    with database.connect(url, session) as conn:
        _take_advisory_lock(conn, spec, settings.lock_wait_s, log)
        state = matview.read_state(conn, spec)
        mode = matview.plan_mode(spec, state)
        log.info("refreshing %s: mode %s", spec.qualified_name, mode)
        if mode == "create":
            _create(conn, spec)
        elif mode == "rebuild":
            _rebuild(conn, spec)
        else:
            execute(conn, matview.refresh_statement(spec, concurrently=(mode == "concurrent")))
        execute(conn, sql.SQL("analyze {}").format(matview.relation(spec.schema, spec.name)))
        rows = conn.execute(sql.SQL("select count(*) from {}").format(matview.relation(spec.schema, spec.name))).fetchone()[0]
        summary = _summary(conn, spec)
    return RefreshOutcome(mode, rows, int((time.monotonic() - started) * 1000), 1, summary)


def _create(conn, spec: MaterializedViewSpec) -> None:
    with conn.transaction():
        execute(conn, matview.create_statement(spec, spec.name))
        for statement in matview.index_statements(spec, spec.name):
            execute(conn, statement)
        _record_definitions(conn, spec)


def _rebuild(conn, spec: MaterializedViewSpec) -> None:
    """Build the new MV beside the live one (readers keep reading), then swap in one short
    transaction. A leftover from an interrupted rebuild is ours to drop."""
    next_name = spec.name + matview.NEXT_SUFFIX
    execute(conn, sql.SQL("drop materialized view if exists {}").format(matview.relation(spec.schema, next_name)))
    with conn.transaction():
        execute(conn, matview.create_statement(spec, next_name))
        for statement in matview.index_statements(spec, next_name, suffix=matview.NEXT_SUFFIX):
            execute(conn, statement)
    with conn.transaction():
        for statement in matview.swap_statements(spec):
            execute(conn, statement)
        _record_definitions(conn, spec)


def execute(conn: psycopg.Connection, statement, params=None):
    """Run a statement; if the client is interrupted (a terminated run raises a
    non-Exception), cancel it on the server so it does not keep running and holding locks."""
    try:
        return conn.execute(statement, params)
    except BaseException as exc:
        if not isinstance(exc, psycopg.Error):
            conn.cancel_safe()
            # The cancelled result is still unread: closing keeps the connection's exit from
            # sending anything and masking the interruption with an OperationalError.
            conn.close()
        raise


def _take_advisory_lock(conn, spec: MaterializedViewSpec, wait_s: float, log) -> None:
    deadline = time.monotonic() + wait_s
    announced = False
    while True:
        got = conn.execute("select pg_try_advisory_lock(%s, %s)", (spec.lock_class, spec.lock_key)).fetchone()[0]
        if got:
            return
        if time.monotonic() >= deadline:
            raise RefreshLockBusy(
                f"another refresh of {spec.qualified_name} is running ({describe_lock_holders(conn, spec)}); "
                f"waited {wait_s:.0f} s, skipping this one"
            )
        if not announced:
            log.info("another refresh of %s is running (%s); waiting up to %.0f s",
                     spec.qualified_name, describe_lock_holders(conn, spec), wait_s)
            announced = True
        time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))


MAX_HOLDERS_NAMED = 5


def describe_lock_holders(conn, spec: MaterializedViewSpec) -> str:
    """The sessions in the way of a refresh of spec: the advisory lock's holder, locks on the MV,
    ACCESS EXCLUSIVE locks on what it reads; each with pid, lock, since when and its query."""
    params = {"lock_class": spec.lock_class, "lock_key": spec.lock_key, "qualified_name": spec.qualified_name,
              "deps": list(spec.deps)}
    rows = conn.execute(read_sql("mv/lock_holders.sql"), params).fetchall()
    if not rows:
        return "holder unknown"
    described = []
    for pid, app, _state, start, query, _locktype, mode, relation in rows[:MAX_HOLDERS_NAMED]:
        since = f", since {start:%Y-%m-%d %H:%M:%S%z}" if start else ""
        lock = f"{mode} on {relation or 'the refresh lock'}"
        described.append(f"pid {pid} ({app or 'no application_name'}, {lock}{since}): {query!r}")
    if len(rows) > MAX_HOLDERS_NAMED:
        described.append(f"and {len(rows) - MAX_HOLDERS_NAMED} more")
    return "; ".join(described)


def _lock_holders_after_failure(url: str, spec: MaterializedViewSpec) -> str:
    """Who held the locks a timed-out attempt waited for, looked up from a new session (the
    failed one is gone)."""
    try:
        with database.connect(url) as conn:
            return describe_lock_holders(conn, spec)
    except (psycopg.Error, ConnectionError) as exc:
        return f"holder unknown ({database.first_line(exc)})"


def _record_definitions(conn, spec: MaterializedViewSpec) -> None:
    """COMMENTs on the MV and its indexes: what was built, as PostgreSQL deparses it."""
    params = {"schema": spec.schema, "name": spec.name}
    definition = conn.execute(read_sql("mv/matview_state.sql"), params).fetchone()[2]
    execute(conn, matview.comment_statement(spec, sha256_of(definition)))
    indexes = {row[0]: row[4] for row in conn.execute(read_sql("mv/matview_indexes.sql"), params)}
    for statement in matview.index_comment_statements(spec, indexes):
        execute(conn, statement)


def _summary(conn, spec: MaterializedViewSpec) -> dict[str, object]:
    if not spec.summary_sql_file:
        return {}
    cur = conn.execute(read_sql(spec.summary_sql_file))
    row = cur.fetchone()
    return {column.name: value for column, value in zip(cur.description, row)}


def _describe_failure(exc: BaseException, settings: RefreshSettings) -> str:
    if isinstance(exc, errors.QueryCanceled) and "statement timeout" in str(exc):
        return (f"the statement exceeded statement_timeout ({settings.statement_timeout_s:g} s) and was "
                "cancelled; the MV keeps its previous rows")
    if isinstance(exc, errors.LockNotAvailable):
        return f"lock_timeout ({settings.lock_timeout_s:g} s) reached waiting for a lock: {exc}"
    if not isinstance(exc, Exception):  # a terminated Dagster run (DagsterExecutionInterruptedError), Ctrl-C
        return (f"interrupted ({type(exc).__name__}): the statement was cancelled on the server; "
                "the MV keeps its previous rows")
    text = str(exc).strip() or type(exc).__name__
    return database.mask_url(text.splitlines()[0] if text else text)


def _log_start(url, spec, run_id, attempt) -> int | None:
    try:
        with database.connect(url) as conn:
            params = {"mv_name": spec.qualified_name, "run_id": run_id, "attempt": attempt}
            return conn.execute(read_sql("mv/refresh_log_start.sql"), params).fetchone()[0]
    except (psycopg.Error, ConnectionError):
        return None  # the attempt itself will fail and say why


def _log_finish(url, log_id, status, mode, started, rows, error, log) -> None:
    if log_id is None:
        return
    params = {
        "id": log_id, "status": status, "mode": mode, "rows_after_refresh": rows, "error": error,
        "duration_ms": int((time.monotonic() - started) * 1000),
    }
    try:
        with database.connect(url) as conn:
            conn.execute(read_sql("mv/refresh_log_finish.sql"), params)
    except (psycopg.Error, ConnectionError) as exc:
        log.warning("could not record the refresh attempt in ops.mv_refresh_log: %s", database.mask_url(str(exc)))


def as_metadata_value(value):
    """Decimal stays exact as text; everything else as is."""
    return str(value) if isinstance(value, Decimal) else value
