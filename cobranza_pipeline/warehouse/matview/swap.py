"""The rebuild's swap: replacing the live MV by the copy built beside it, past slow readers.

The swap needs ACCESS EXCLUSIVE on the MV, which waits for every reader holding ACCESS SHARE,
and while it waits every new reader queues behind it. So each try has a short lock_timeout of
its own (swap_lock_timeout_s) and readers go on between tries; the swap keeps trying for
swap_wait_s. If it still cannot get the lock, the sessions that hold locks on the MV (or on its
derived tables) and have been in their transaction longer than that are terminated
(terminate_swap_blockers; off: the rebuild fails instead), and the swap tries again for as
long. A swap that fails for good drops the rebuilt copy, so nothing is left behind (a rebuild
interrupted otherwise leaves it to the next rebuild, which drops it first); the MV keeps its
previous rows either way.
"""

import logging
import time
from typing import Callable

import psycopg
from psycopg import errors

from cobranza_pipeline.warehouse.matview import statements
from cobranza_pipeline.warehouse.matview.errors import RefreshError
from cobranza_pipeline.warehouse.matview.locks import describe_lock_holders
from cobranza_pipeline.warehouse.matview.spec import MaterializedViewSpec
from cobranza_pipeline.warehouse.sessions import first_line
from cobranza_pipeline.warehouse.sqlfiles import read_sql

RETRY_PAUSE_S = 0.2  # readers queued behind a try that gave up get this long to go first


def swap_in(conn, spec: MaterializedViewSpec, run_swap: Callable[[object], None], log: logging.Logger, *,
            lock_timeout_s: float, wait_s: float, terminate: bool) -> dict[str, object]:
    """Run run_swap(conn) in one transaction under the policy above; its summary (tries, the
    sessions terminated). RefreshError when the swap could not get its lock."""
    tries, terminated, tried_terminating = 0, [], False
    deadline = time.monotonic() + wait_s
    while True:
        tries += 1
        try:
            with conn.transaction():
                conn.execute(read_sql("mv/swap_lock_timeout.sql"), {"lock_timeout": f"{int(lock_timeout_s * 1000)}ms"})
                run_swap(conn)
            return {"swap_tries": tries, "swap_terminated_sessions": len(terminated)}
        except errors.LockNotAvailable:
            if time.monotonic() < deadline:
                time.sleep(RETRY_PAUSE_S)
                continue
            blockers = describe_lock_holders(conn, spec)
            if not terminate or tried_terminating:
                conn.execute(statements.drop_leftover(spec))
                after = f" after terminating {len(terminated)} session(s)" if terminated else ""
                raise RefreshError(
                    f"the swap of {spec.qualified_name} could not get its lock in {tries} tries over {wait_s:g} s"
                    f"{after}: blocked by {blockers}; the rebuilt copy was dropped and the MV keeps its previous rows"
                ) from None
            tried_terminating = True
            try:
                terminated = terminate_blockers(conn, spec, wait_s)
            except psycopg.Error as exc:  # e.g. no pg_signal_backend: try once more, then fail naming them
                log.warning("the swap of %s could not terminate its blockers: %s", spec.qualified_name,
                            first_line(exc))
            log.warning("the swap of %s waited %.0f s for readers; terminated %s session(s): %s",
                        spec.qualified_name, wait_s, len(terminated), "; ".join(terminated) or "none")
            deadline = time.monotonic() + wait_s


def terminate_blockers(conn, spec: MaterializedViewSpec, older_than_s: float) -> list[str]:
    """Terminate the sessions in the swap's way that are older than older_than_s; one line each."""
    relations = [spec.qualified_name, *(f"{spec.schema}.{derived.name}" for derived in spec.derived)]
    rows = conn.execute(read_sql("mv/terminate_swap_blockers.sql"),
                        {"relations": relations, "older_than": f"{older_than_s} seconds"}).fetchall()
    return [f"pid {pid} ({app or 'no application_name'}, in its transaction since {since:%H:%M:%S}): {query!r}"
            for pid, app, since, query in rows]
