"""The source-contract tables themselves, for the embedded database, the demo data and the
tests (sql/contract/raw_tables.sql). Never run against a production database unless a person
asks for it (`cobranza demo-data --force`)."""

from cobranza_pipeline.warehouse.sessions import connect
from cobranza_pipeline.warehouse.sqlfiles import read_sql


def create_source_tables(url: str) -> None:
    """Create the raw tables that are missing."""
    with connect(url) as conn:
        conn.execute(read_sql("contract/raw_tables.sql"))


def reset_source_tables(url: str) -> None:
    """Create the raw tables if missing and empty them (demo data reload)."""
    create_source_tables(url)
    with connect(url) as conn:
        conn.execute(read_sql("contract/truncate_raw_tables.sql"))
