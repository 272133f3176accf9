"""Database sessions for the API, and the translation of database errors into answers.

One session per request, opened with the warehouse's connect (statement and lock timeouts,
TCP keepalives, an application_name, the business time zone) and used as one read-only
REPEATABLE READ transaction, so the rows, the totals and the export's count all see the same
snapshot of the MV. A semaphore caps the number of sessions the API holds at once, and a
watchdog bounds how long one may stay open. Errors become a status and one sentence: a missing
MV is a 503 that says to run `cobranza materialize`; an unexpected error is a 500 without
details (the traceback goes to the server log only).
"""

import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg import errors

from cobranza_pipeline.serving.errors import ApiError
from cobranza_pipeline.settings import DEFAULT_TIMEZONE, ApiSettings
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.conninfo import mask_url
from cobranza_pipeline.warehouse.sessions import SessionSettings, connect

log = logging.getLogger(__name__)

MV = COBRANZA_MV.qualified_name
MATERIALIZE_HINT = "run `cobranza materialize` to build it, then retry"
RETRY_AFTER = {"Retry-After": "30"}


class Session:
    """A connection in a read-only REPEATABLE READ transaction, holding one of the pool's slots
    until the pool releases it. `cut` is set when the pool's watchdog ended it for taking too long."""

    def __init__(self, conn: psycopg.Connection, deadline: float):
        self.conn = conn
        self.deadline = deadline
        self.cut = False
        self.closed = False


def api_session_settings(settings: ApiSettings, timezone: str = DEFAULT_TIMEZONE,
                         application_name: str = "cobranza-api") -> SessionSettings:
    """The API's session settings (the benchmark times the dashboard's requests with them too).
    Custom plans: see warehouse.sessions.SessionSettings.plan_cache_mode."""
    return SessionSettings(
        application_name=application_name,
        timezone=timezone,
        statement_timeout_s=settings.statement_timeout_s,
        lock_timeout_s=settings.lock_timeout_s,
        connect_timeout_s=settings.connect_timeout_s,
        plan_cache_mode="force_custom_plan",
    )


class SessionPool:
    """At most settings.max_sessions sessions at once, each opened for one request and closed
    after it, so a broken session is never handed out again. A watchdog thread cuts (shuts down
    the socket of) any session still open request_timeout_s after it was opened: a session whose
    server went silent (a network path that stopped carrying packets, which keepalives may not
    notice when a middlebox still acknowledges them) then fails at once with a 503 and gives its
    slot back, instead of waiting forever. The watchdog runs only while sessions are open."""

    def __init__(self, url: str, settings: ApiSettings = ApiSettings(), timezone: str = DEFAULT_TIMEZONE):
        self.url = url
        self.session_settings = api_session_settings(settings, timezone)
        self._slots = threading.BoundedSemaphore(settings.max_sessions)
        self._wait_s = settings.session_wait_s
        self._request_timeout_s = settings.request_timeout_s
        self._lock = threading.Lock()  # guards _open and each session's closed/cut flags
        self._open: set[Session] = set()
        self._watchdog: threading.Thread | None = None

    def open(self) -> Session:
        """A new session; the caller closes it with release(). Raises ApiError (503) when none
        can be had."""
        if not self._slots.acquire(timeout=self._wait_s):
            raise ApiError(503, "the API is busy: every database session is in use; retry shortly", RETRY_AFTER)
        try:
            with translated_errors():
                conn = connect(self.url, self.session_settings, autocommit=False)
                conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                conn.read_only = True
        except BaseException:
            self._slots.release()
            raise
        session = Session(conn, time.monotonic() + self._request_timeout_s)
        with self._lock:
            self._open.add(session)
            if self._watchdog is None:
                self._watchdog = threading.Thread(target=self._watch, name="api-session-watchdog", daemon=True)
                self._watchdog.start()
        return session

    def release(self, session: Session) -> None:
        with self._lock:
            if session.closed:
                return
            session.closed = True  # from here on the watchdog leaves it alone
            self._open.discard(session)
        try:
            session.conn.close()  # the transaction only read: closing discards it
        finally:
            self._slots.release()

    @contextmanager
    def session(self) -> Iterator[psycopg.Connection]:
        """`with db.session() as conn:` a read-only snapshot; errors come out as ApiError."""
        session = self.open()
        try:
            with translated_errors():
                yield session.conn
        except ApiError:
            if session.cut:
                raise ApiError(503, f"the database did not answer within {self._request_timeout_s:g} s; "
                                    "retry shortly", RETRY_AFTER) from None
            raise
        finally:
            self.release(session)

    def cut_all(self) -> int:
        """Cut every open session (the server is shutting down); how many there were."""
        with self._lock:
            sessions = [session for session in self._open if not session.cut]
            for session in sessions:
                _cut(session)
        return len(sessions)

    def _watch(self) -> None:
        interval = min(1.0, max(self._request_timeout_s / 4, 0.05))
        while True:
            time.sleep(interval)
            now = time.monotonic()
            with self._lock:
                if not self._open:
                    self._watchdog = None  # the next open() starts another
                    return
                late = [session for session in self._open if not session.cut and session.deadline <= now]
                for session in late:
                    _cut(session)
            for _ in late:
                log.warning("database session cut: no answer within %s s", self._request_timeout_s)


def _cut(session: Session) -> None:
    """Shut the session's socket down (under the pool's lock, while it is open, so the file
    descriptor is still its own): the thread waiting on it wakes up with an error."""
    session.cut = True
    try:
        with socket.socket(fileno=os.dup(session.conn.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, psycopg.Error):
        pass  # already closed by the server or the network


@contextmanager
def translated_errors() -> Iterator[None]:
    """Database errors -> ApiError with a status and a sentence fit for any client."""
    try:
        yield
    except ConnectionError as exc:  # connect() names the target, never the password
        log.warning("database unavailable: %s", mask_url(str(exc)))
        raise ApiError(503, "the database is unavailable; retry shortly", RETRY_AFTER) from None
    except (errors.UndefinedTable, errors.ObjectNotInPrerequisiteState) as exc:
        # 42P01: the MV (or the ops schema) does not exist; 55000: the MV was never populated.
        log.warning("MV not available: %s", exc.diag.message_primary)
        raise ApiError(503, f"{MV} is not available ({exc.diag.message_primary}): {MATERIALIZE_HINT}",
                       RETRY_AFTER) from None
    except errors.LockNotAvailable:
        raise ApiError(503, f"{MV} is being rebuilt; retry shortly", RETRY_AFTER) from None
    except errors.SerializationFailure as exc:
        # 40001 on a read: on a streaming replica, the primary's changes being replayed cancelled it
        # (a recovery conflict). The same request succeeds when tried again.
        log.warning("read cancelled by a conflict: %s", exc.diag.message_primary)
        raise ApiError(503, "the read was cancelled by a conflict with changes being applied to the database "
                            "(a replica replaying the primary); retry", {"Retry-After": "1"}) from None
    except errors.QueryCanceled:
        raise ApiError(503, "the query took longer than the statement timeout; narrow the filters or retry",
                       RETRY_AFTER) from None
    except psycopg.OperationalError as exc:
        log.warning("database connection lost: %s", mask_url(str(exc).strip()))
        raise ApiError(503, "the database connection was lost; retry shortly", RETRY_AFTER) from None
    except psycopg.Error:
        log.exception("query failed")
        raise ApiError(500, "internal error: a query failed (details in the server log)") from None
