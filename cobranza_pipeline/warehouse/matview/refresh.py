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

import psycopg
from psycopg import errors

from cobranza_pipeline.warehouse.conninfo import mask_url
from cobranza_pipeline.warehouse.fingerprints import parse_comment
from cobranza_pipeline.warehouse.matview import statements
from cobranza_pipeline.warehouse.matview.errors import RefreshError
from cobranza_pipeline.warehouse.matview.locks import lock_holders_after_failure, take_refresh_lock
from cobranza_pipeline.warehouse.matview.refresh_log import (
    close_abandoned,
    ensure_refresh_log,
    log_finish,
    log_start,
    mark_session,
)
from cobranza_pipeline.warehouse.matview.spec import NEXT_SUFFIX, MaterializedViewSpec
from cobranza_pipeline.warehouse.matview.state import plan_mode, read_state
from cobranza_pipeline.warehouse.matview.swap import swap_in
from cobranza_pipeline.warehouse.sessions import Database
from cobranza_pipeline.warehouse.sqlfiles import read_sql


@dataclass(frozen=True)
class RefreshSettings:
    statement_timeout_s: float = 1800.0
    lock_timeout_s: float = 30.0
    lock_wait_s: float = 600.0  # how long to wait for another refresh of the same MV
    attempts: int = 3
    backoff_s: float = 5.0  # first retry delay, doubled each time
    work_mem_mb: int = 256  # the refresh sorts ~all trip rows: keep them in memory
    # A rebuild's swap past slow readers (warehouse/matview/swap.py): each try's lock_timeout,
    # how long to keep trying, and whether to terminate the readers older than that.
    swap_lock_timeout_s: float = 1.0
    swap_wait_s: float = 60.0
    terminate_swap_blockers: bool = True


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
    db: Database,
    spec: MaterializedViewSpec,
    settings: RefreshSettings = RefreshSettings(),
    run_id: str | None = None,
    log: logging.Logger | None = None,
) -> RefreshOutcome:
    log = log or logging.getLogger(__name__)
    ensure_refresh_log(db)
    for attempt in range(1, settings.attempts + 1):
        log_id = log_start(db, spec.qualified_name, run_id, attempt)
        started = time.monotonic()
        try:
            outcome = _refresh_once(db, spec, settings, log, log_id)
        except BaseException as exc:
            message = _describe_failure(exc, settings)
            if isinstance(exc, errors.LockNotAvailable):
                message += f"; blocked by {lock_holders_after_failure(db, spec)}"
            log_finish(db, log_id, started, log, status="failed", error=message)
            if attempt < settings.attempts and is_transient(exc):
                delay = settings.backoff_s * 2 ** (attempt - 1)
                log.warning("refresh of %s failed (%s); retry %s in %.1f s", spec.qualified_name, message, attempt + 1, delay)
                time.sleep(delay)
                continue
            if isinstance(exc, Exception) and not isinstance(exc, RefreshError):
                raise RefreshError(f"refresh of {spec.qualified_name} failed: {message}") from exc
            raise
        outcome.attempts = attempt
        log_finish(db, log_id, started, log, status="success", mode=outcome.mode, rows=outcome.rows)
        return outcome
    raise AssertionError("unreachable: the last attempt returns or raises")


def _refresh_once(db: Database, spec: MaterializedViewSpec, settings: RefreshSettings, log,
                  log_id: int | None) -> RefreshOutcome:
    started = time.monotonic()
    with db.connect(
        application_name=f"cobranza-refresh {spec.qualified_name}",
        statement_timeout_s=settings.statement_timeout_s,
        lock_timeout_s=settings.lock_timeout_s,
        work_mem_mb=settings.work_mem_mb,
    ) as conn:
        mark_session(conn, log_id, log)
        take_refresh_lock(conn, spec, settings.lock_wait_s, log)
        close_abandoned(conn, spec.qualified_name, log_id, log)  # no other attempt can be refreshing now
        mode = plan_mode(spec, read_state(conn, spec))
        log.info("refreshing %s: mode %s", spec.qualified_name, mode)
        if mode == "create":
            with conn.transaction():
                _run_all(conn, statements.build(spec))
                _run_all(conn, statements.record(spec, read_state(conn, spec)))
                _refill_derived(conn, spec)
        elif mode == "rebuild":
            swapped = _rebuild(conn, spec, settings, log)
        else:
            with conn.transaction():  # the MV and what is derived from it commit together
                execute(conn, statements.refresh(spec, concurrently=(mode == "concurrent")))
                _refill_derived(conn, spec)
        execute(conn, statements.analyze(spec))
        rows = conn.execute(statements.count_rows(spec)).fetchone()[0]
        summary = _summary(conn, spec)
    if mode == "rebuild":
        summary = {**summary, **swapped}
    return RefreshOutcome(mode, rows, int((time.monotonic() - started) * 1000), 1, summary)


def _rebuild(conn, spec: MaterializedViewSpec, settings: RefreshSettings, log) -> dict[str, object]:
    """Build the new MV beside the live one (readers keep reading), then swap in one short
    transaction past slow readers (swap.py). A leftover from an interrupted rebuild is ours to
    drop."""
    execute(conn, statements.drop_leftover(spec))
    with conn.transaction():
        _run_all(conn, statements.build(spec, suffix=NEXT_SUFFIX))

    def run_swap(conn) -> None:
        _run_all(conn, statements.swap(spec))
        _run_all(conn, statements.record(spec, read_state(conn, spec)))
        _refill_derived(conn, spec)

    return swap_in(conn, spec, run_swap, log, lock_timeout_s=settings.swap_lock_timeout_s,
                   wait_s=settings.swap_wait_s, terminate=settings.terminate_swap_blockers)


def _refill_derived(conn, spec: MaterializedViewSpec) -> None:
    """Refill every table derived from the MV; (re)create the ones missing or declared anew."""
    for derived in spec.derived:
        name = f"{spec.schema}.{derived.name}"
        row = conn.execute(read_sql("mv/derived_state.sql"), {"name": name}).fetchone()
        if row is None or parse_comment(row[0]).get("sha256") != derived.fingerprint:
            _run_all(conn, statements.rebuild_derived(spec, derived))
        _run_all(conn, statements.fill_derived(spec, derived))


def _run_all(conn, batch) -> None:
    for statement in batch:
        execute(conn, statement)


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
    return mask_url(text.splitlines()[0] if text else text)
