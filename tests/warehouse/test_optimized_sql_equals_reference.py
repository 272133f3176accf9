"""The optimized ops SQL returns exactly the rows of the reference SQL on generated demo data.

tests/warehouse/reference_sql/ops/ holds the ops views as they were before the performance work
(commit 34ab395) where they differ from sql/ops/ today: plain, one rule per CTE, obviously
correct; rule fixes made since (NFC names, the events tie-break, one row per payment id, no
'N/A' name match) are made in both. The files the work left unchanged are read from sql/ops/.
Each test
builds the reference views, keeps their result in tables, drops them, builds the product's
views and MV from sql/, and asserts that (product except all reference) and (reference except
all product) are both empty, for the MV and for the claims view the checks read.
"""

import datetime as dt
from pathlib import Path

import pytest
from psycopg import sql

from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.warehouse.sqlfiles import SQL_DIR
from tests.support.builders import (
    add_driver,
    add_lead,
    add_payment,
    add_trips,
    person_key,
)
from tests.support.fixtures import build_all, business_timezone

REFERENCE_DIR = Path(__file__).parent / "reference_sql" / "ops"
PRODUCT_DIR = SQL_DIR / "ops"
# Dependency order of the reference files (the catalog's order at commit 34ab395).
REFERENCE_OBJECTS = (
    "normalize_name", "v_driver_identity", "v_summary_daily_parsed", "v_trips_daily", "v_lead_dates",
    "v_milestone_amounts", "v_yango_payments", "v_driver_trips_14d", "v_claims_14d", "v_cabinet_financial_14d",
    "v_scout_attribution_raw", "v_scout_attribution", "v_dim_scouts",
)
MV = sql.Identifier("ops", "mv_yango_cabinet_cobranza_enriched_14d")
CLAIMS = sql.Identifier("ops", "v_claims_14d")
REF_MV = sql.Identifier("public", "reference_mv_rows")
REF_CLAIMS = sql.Identifier("public", "reference_claims_rows")


def reference_sql(name: str) -> str:
    """The reference text of one object: its frozen copy, else the product's file (unchanged)."""
    path = REFERENCE_DIR / f"{name}.sql"
    return (path if path.is_file() else PRODUCT_DIR / f"{name}.sql").read_text(encoding="utf-8")


def build_reference(conn) -> None:
    """The reference views in schema ops, their rows copied to public.reference_*, then the
    reference views dropped (one by one, dependents first) so the product builds from scratch.
    The session takes the business time zone, as the product's refresh does (dates from
    timestamptz values depend on it)."""
    conn.execute("select set_config('TimeZone', %s, false)", (business_timezone(),))
    conn.execute("create schema if not exists ops")
    for name in REFERENCE_OBJECTS:
        conn.execute(reference_sql(name))
    select = sql.SQL(reference_sql("mv_yango_cabinet_cobranza_enriched_14d"))
    conn.execute(sql.SQL("create table {} as ").format(REF_MV) + select)
    conn.execute(sql.SQL("create table {} as select * from {}").format(REF_CLAIMS, CLAIMS))
    for name in reversed(REFERENCE_OBJECTS):
        if name == "normalize_name":
            conn.execute(sql.SQL("drop function {}(text)").format(sql.Identifier("ops", name)))
        else:
            conn.execute(sql.SQL("drop view {}").format(sql.Identifier("ops", name)))


def differences(conn, product: sql.Identifier, reference: sql.Identifier) -> tuple[int, int]:
    """(rows only in the product, rows only in the reference), duplicates counted."""
    query = sql.SQL("select count(*) from (select * from {} except all select * from {}) as d")
    return (conn.execute(query.format(product, reference)).fetchone()[0],
            conn.execute(query.format(reference, product)).fetchone()[0])


def columns(conn, relation: sql.Identifier) -> list[tuple[str, str]]:
    cur = conn.execute(sql.SQL("select * from {} limit 0").format(relation))
    return [(column.name, column.type_code) for column in cur.description]


def add_edge_cases(conn) -> None:
    """Rows the demo generator does not make: a driver with two 'drivers' links, trips exactly
    on the window's edges, a payment matched by name only, a lead on a driver without link."""
    person = person_key("EDGE-1")
    add_driver(conn, "EDGE-1", "Ana Edge Uno", person=person)
    add_lead(conn, person, dt.date(2026, 6, 1))
    add_trips(conn, "EDGE-1", {dt.date(2026, 5, 31): 9, dt.date(2026, 6, 1): 1, dt.date(2026, 6, 14): 24,
                               dt.date(2026, 6, 15): 30})
    add_payment(conn, 990101, driver_id=None, driver="UNO EDGE ANA", trip_1=True, trip_5=False, trip_25=None)
    add_driver(conn, "EDGE-2", "Sin Enlace", link_driver=False)
    add_lead(conn, person_key("EDGE-2"), dt.date(2026, 6, 2))
    add_trips(conn, "EDGE-2", {dt.date(2026, 6, 2): 30})


@pytest.mark.parametrize("drivers, seed, mess_rate", [(3000, 7, 0.01), (1200, 8, 0.2)])
def test_optimized_mv_and_claims_equal_the_reference(conn, db_url, drivers, seed, mess_rate):
    load_demo_data(db_url, DemoConfig(drivers=drivers, seed=seed, as_of=dt.date(2026, 6, 30), mess_rate=mess_rate))
    add_edge_cases(conn)
    build_reference(conn)
    build_all(conn, db_url)

    assert columns(conn, MV) == columns(conn, REF_MV)
    assert columns(conn, CLAIMS) == columns(conn, REF_CLAIMS)
    assert differences(conn, MV, REF_MV) == (0, 0)
    assert differences(conn, CLAIMS, REF_CLAIMS) == (0, 0)
    # not vacuous: most demo drivers are there (those with an identity link), with scouts, debt
    # and claims of every milestone
    mv_rows, with_scout, with_debt = conn.execute(
        sql.SQL("select count(*), count(scout_id), count(*) filter (where amount_due_yango > 0) from {}").format(REF_MV)
    ).fetchone()
    assert mv_rows > drivers * 0.7 and with_scout > drivers * 0.6 and with_debt > drivers * 0.1
    assert conn.execute(sql.SQL("select count(distinct milestone) from {}").format(REF_CLAIMS)).fetchone()[0] == 3
