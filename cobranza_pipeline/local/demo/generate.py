"""Deterministic demo/test data for the raw source tables (docs/source-contract.md).

One person per driver: a lead (cabinet lead and/or scout registration), daily trips around the
lead date, Yango payments for the milestones those trips reach, and scout evidence from one of
five sources. Deliberate defects at `mess_rate` (duplicate driver and trip rows, unparseable
date_file, missing 'drivers' identity links, conflicting scouts, payments the trips do not
confirm) exercise the views' rules. Same DemoConfig, same rows: all randomness comes from one
`random.Random(seed)` consumed in a fixed order, and every date is relative to as_of.
Loaded with COPY in one transaction; summary_daily (the bulk) is generated lazily, and the
other tables' rows wait in temporary files (spool.py), so memory does not grow with the drivers. The demo
database also gets the recommended raw-table indexes (sql/contract/raw_indexes.sql), which a
production database gets only when an operator runs that file.
"""

import datetime as dt
import random

import psycopg
from psycopg import sql

from cobranza_pipeline.local.demo.people import people_rows
from cobranza_pipeline.local.demo.shape import TABLES, TODAY, DemoConfig
from cobranza_pipeline.local.demo.spool import RowSpool
from cobranza_pipeline.local.demo.trips import trip_rows
from cobranza_pipeline.warehouse.sessions import SessionSettings, connect
from cobranza_pipeline.warehouse.sqlfiles import identifier, read_sql, statement

__all__ = ["DemoConfig", "TABLES", "load_demo_data"]


def load_demo_data(url: str, config: DemoConfig = DemoConfig()) -> dict[str, int]:
    """Generate rows and load them with COPY, in one transaction. Returns rows loaded per
    qualified table name, e.g. {"public.drivers": 5050, ...}. Raw tables must already exist
    (sql/contract/raw_tables.sql)."""
    as_of = config.as_of or dt.date.today()
    rows = demo_rows(config, as_of)
    session = SessionSettings(application_name="cobranza-demo-data", statement_timeout_s=0)  # 0: no limit
    with connect(url, session, autocommit=False) as conn, conn.cursor() as cur:
        counts = {table: _copy(cur, table, table_rows) for table, table_rows in rows.items()}
        if config.park_drivers:
            for table, count in load_park(cur, config, as_of).items():
                counts[table] += count
        cur.execute(read_sql("contract/raw_indexes.sql"))  # the recommended raw indexes (README)
    return {table: counts[table] for table in TABLES}


def demo_rows(config: DemoConfig, as_of: dt.date) -> dict:
    """The recruited drivers' rows of every table, in load order, to be read once and in that
    order: summary_daily is generated as it is read, and the payments are complete once it is."""
    rng = random.Random(config.seed)
    days = [as_of - dt.timedelta(days=TODAY - i) for i in range(TODAY + 1)]  # days[TODAY] == as_of
    rows, people = people_rows(rng, config, days)
    payments = RowSpool()
    rows["public.summary_daily"] = trip_rows(rng, config, days, people, payments)
    rows["public.module_ct_cabinet_payments"] = payments
    return rows


def load_park(cur: psycopg.Cursor, config: DemoConfig, as_of: dt.date) -> dict[str, int]:
    """The park's other drivers, their identity links and their history (generated in SQL: the
    bulk of production's summary_daily)."""
    params = {"park": config.park_drivers, "as_of": as_of, "seed": config.seed, "days": config.history_days,
              "work_pct": config.park_work_pct, "everyone": False}
    loaded = {}
    for table, path in (("public.drivers", "demo/park_drivers.sql"), ("canon.identity_links", "demo/park_links.sql"),
                        ("public.summary_daily", "demo/park_days.sql")):
        loaded[table] = cur.execute(read_sql(path), params).rowcount
    return loaded


def _copy(cur: psycopg.Cursor, table: str, rows) -> int:
    copy_rows = statement("contract/copy_rows.sql", table=identifier(table),
                          columns=sql.SQL(", ").join(map(sql.Identifier, TABLES[table])))
    count = 0
    with cur.copy(copy_rows) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
