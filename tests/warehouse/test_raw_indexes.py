"""The recommended raw-table indexes (sql/contract/raw_indexes.sql): the demo loader creates
them; building the ops layer and the MV never does (a production database gets them only when
an operator runs the file)."""

import datetime as dt

from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.warehouse.sqlfiles import read_sql
from tests.support.builders import add_lead_driver, add_trips
from tests.support.fixtures import build_all

RAW_INDEXES = (
    "select indexname from pg_indexes where schemaname in ('public', 'canon', 'observational')"
    " and indexname not like '%%_key' order by indexname"
)


def test_demo_loader_creates_the_recommended_raw_indexes(conn, db_url):
    recommended = ["identity_links_latest_idx", "summary_daily_created_at_brin", "summary_daily_driver_id_idx"]
    load_demo_data(db_url, DemoConfig(drivers=50, seed=1, as_of=dt.date(2026, 6, 30)))
    assert [r[0] for r in conn.execute(RAW_INDEXES)] == recommended
    conn.execute(read_sql("contract/raw_indexes.sql"))  # idempotent: what an operator may rerun
    assert [r[0] for r in conn.execute(RAW_INDEXES)] == recommended


def test_the_pipeline_never_creates_raw_indexes(conn, db_url):
    add_lead_driver(conn, "D1", dt.date(2026, 6, 1))
    add_trips(conn, "D1", {dt.date(2026, 6, 1): 3})
    build_all(conn, db_url)
    assert [r[0] for r in conn.execute(RAW_INDEXES)] == []
