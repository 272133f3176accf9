"""ops.mv_refresh_log: one row per refresh attempt, so tools outside Dagster see freshness.

The log is best effort: an attempt whose row cannot be written still runs (and fails or
succeeds on its own); a row that cannot be closed is reported as a warning. Each row names the
session that runs the attempt, so the next refresh closes the rows of killed processes as
'abandoned' instead of leaving them 'running' for good.
"""

import logging
import time

import psycopg

from cobranza_pipeline.warehouse.conninfo import mask_url
from cobranza_pipeline.warehouse.sessions import Database, lock_ops_ddl
from cobranza_pipeline.warehouse.sqlfiles import read_sql


def ensure_refresh_log(db: Database) -> None:
    with db.connect() as conn, conn.transaction():
        lock_ops_ddl(conn)  # two first refreshes would both create the table
        conn.execute(read_sql("mv/refresh_log_table.sql"))


def log_start(db: Database, mv_name: str, run_id: str | None, attempt: int) -> int | None:
    try:
        with db.connect() as conn:
            params = {"mv_name": mv_name, "run_id": run_id, "attempt": attempt}
            return conn.execute(read_sql("mv/refresh_log_start.sql"), params).fetchone()[0]
    except (psycopg.Error, ConnectionError):
        return None  # the attempt itself will fail and say why


def log_finish(db: Database, log_id: int | None, started: float, log: logging.Logger, *, status: str,
               mode: str | None = None, rows: int | None = None, error: str | None = None) -> None:
    if log_id is None:
        return
    params = {
        "id": log_id, "status": status, "mode": mode, "rows_after_refresh": rows, "error": error,
        "duration_ms": int((time.monotonic() - started) * 1000),
    }
    try:
        with db.connect() as conn:
            conn.execute(read_sql("mv/refresh_log_finish.sql"), params)
    except (psycopg.Error, ConnectionError) as exc:
        log.warning("could not record the refresh attempt in ops.mv_refresh_log: %s", mask_url(str(exc)))


ABANDON_GRACE = "10 minutes"  # a row with no session yet: far beyond any connect timeout


def mark_session(conn, log_id: int | None, log: logging.Logger) -> None:
    """On the attempt's own session: record it on the attempt's row."""
    if log_id is None:
        return
    try:
        conn.execute(read_sql("mv/refresh_log_mark_session.sql"), {"id": log_id})
    except psycopg.Error as exc:
        log.warning("could not record the refresh session in ops.mv_refresh_log: %s", mask_url(str(exc)))


def close_abandoned(conn, mv_name: str, log_id: int | None, log: logging.Logger) -> None:
    """Holding the MV's refresh lock: close the rows of attempts whose session is gone."""
    params = {"mv_name": mv_name, "current_id": log_id, "grace": ABANDON_GRACE}
    try:
        closed = conn.execute(read_sql("mv/refresh_log_abandon.sql"), params).fetchall()
    except psycopg.Error as exc:
        log.warning("could not close abandoned rows of ops.mv_refresh_log: %s", mask_url(str(exc)))
        return
    for row_id, error in closed:
        log.warning("ops.mv_refresh_log row %s of %s: %s", row_id, mv_name, error)
