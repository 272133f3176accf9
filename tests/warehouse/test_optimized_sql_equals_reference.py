"""The product's ops layer (staged trips included) returns exactly the rows of the reference
SQL on generated demo data.

The reference (tests/support/reference.py) is the ops views before the staged trips and the
performance work: plain views over the park's whole history, one rule per CTE, obviously
correct; rule fixes made since (NFC names, the events tie-break, one row per payment id, no
'N/A' name match) are made in both. Each test builds the reference under schema ref, keeps its
MV rows in a table, builds the product's views, stage and MV from sql/, and asserts that
(product except all reference) and (reference except all product) are both empty, for the MV
and for the claims view the checks read.
"""

import datetime as dt

import pytest
from psycopg import sql

from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from tests.support.builders import (
    add_driver,
    add_lead,
    add_payment,
    add_trips,
    person_key,
)
from tests.support.fixtures import build_all
from tests.support.reference import build_reference, differences, reference_mv_select

MV = sql.Identifier("ops", "mv_yango_cabinet_cobranza_enriched_14d")
CLAIMS = sql.Identifier("ops", "v_claims_14d")
REF_MV = sql.Identifier("public", "reference_mv_rows")
REF_CLAIMS = sql.Identifier("ref", "v_claims_14d")


def build_reference_rows(conn) -> None:
    """The reference views under schema ref, and the MV's rows as the reference computes them."""
    build_reference(conn)
    conn.execute(sql.SQL("create table {} as ").format(REF_MV) + reference_mv_select())


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
    build_reference_rows(conn)
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
