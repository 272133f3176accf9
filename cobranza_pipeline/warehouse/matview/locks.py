"""The refresh lock of an MV, and who is in the way when a refresh has to wait."""

import logging
import time

import psycopg

from cobranza_pipeline.warehouse.matview.errors import RefreshLockBusy
from cobranza_pipeline.warehouse.matview.spec import MaterializedViewSpec
from cobranza_pipeline.warehouse.sessions import Database, first_line
from cobranza_pipeline.warehouse.sqlfiles import read_sql

MAX_HOLDERS_NAMED = 5


def take_refresh_lock(conn, spec: MaterializedViewSpec, wait_s: float, log: logging.Logger) -> None:
    """Hold the MV's advisory lock for the rest of the session, waiting up to wait_s for
    another refresh to finish; RefreshLockBusy (naming the holder) after that."""
    deadline = time.monotonic() + wait_s
    announced = False
    while not conn.execute(read_sql("mv/try_advisory_lock.sql"), spec.lock_params).fetchone()[0]:
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


def describe_lock_holders(conn, spec: MaterializedViewSpec) -> str:
    """The sessions in the way of a refresh of spec: the advisory lock's holder, locks on the MV,
    ACCESS EXCLUSIVE locks on what it reads; each with pid, lock, since when and its query."""
    params = {**spec.lock_params, "qualified_name": spec.qualified_name, "deps": list(spec.deps)}
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


def lock_holders_after_failure(db: Database, spec: MaterializedViewSpec) -> str:
    """Who held the locks a timed-out attempt waited for, looked up from a new session (the
    failed one is gone)."""
    try:
        with db.connect() as conn:
            return describe_lock_holders(conn, spec)
    except (psycopg.Error, ConnectionError) as exc:
        return f"holder unknown ({first_line(exc)})"
