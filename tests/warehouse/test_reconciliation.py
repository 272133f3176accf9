"""Reconciliation on generated demo data: the views that share a rule agree row by row.

The financial view derives claim flags from the per-driver trip summary (so the MV's query
scans the trip rows once); these tests prove it says exactly what the claims view says."""

import datetime as dt

import pytest

from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from tests.support.builders import add_lead_driver, add_payment
from tests.support.fixtures import build_all

DISAGREEMENTS = """
with claims as (
    select driver_id,
        bool_or(milestone = 1) as m1, bool_or(milestone = 1 and is_paid) as m1_paid,
        bool_or(milestone = 5) as m5, bool_or(milestone = 5 and is_paid) as m5_paid,
        bool_or(milestone = 25) as m25, bool_or(milestone = 25 and is_paid) as m25_paid
    from ops.v_claims_14d
    group by driver_id
)
select count(*)
from ops.v_cabinet_financial_14d as f
left join claims as c using (driver_id)
where (f.claim_m1_exists, f.claim_m1_paid, f.claim_m5_exists, f.claim_m5_paid, f.claim_m25_exists, f.claim_m25_paid)
    is distinct from
      (coalesce(c.m1, false), coalesce(c.m1_paid, false), coalesce(c.m5, false), coalesce(c.m5_paid, false),
       coalesce(c.m25, false), coalesce(c.m25_paid, false))
"""


@pytest.fixture
def demo(conn, db_url):
    load_demo_data(db_url, DemoConfig(drivers=1500, seed=11, as_of=dt.date(2026, 6, 30)))
    # Paid for every milestone with no trips at all: the case where "paid" and "claim paid" part.
    add_lead_driver(conn, "NO-TRIPS", dt.date(2026, 6, 1))
    add_payment(conn, 990001, driver_id="NO-TRIPS", trip_1=True, trip_5=True, trip_25=True)
    build_all(conn, db_url)
    return conn


def test_financial_claim_flags_equal_the_claims_view(demo):
    assert demo.execute(DISAGREEMENTS).fetchone()[0] == 0
    # and the comparison is not vacuous: paid and unpaid claims of every milestone, and
    # payments without a claim for every milestone
    counts = demo.execute(
        "select count(distinct (milestone, is_paid)) from ops.v_claims_14d"
    ).fetchone()[0]
    assert counts == 6
    unconfirmed = demo.execute(
        "select count(*) filter (where paid_amount_m1 > 0 and not reached_m1_14d) > 0,"
        " count(*) filter (where paid_amount_m5 > 0 and not reached_m5_14d) > 0,"
        " count(*) filter (where paid_amount_m25 > 0 and not reached_m25_14d) > 0"
        " from ops.v_cabinet_financial_14d"
    ).fetchone()
    assert unconfirmed == (True, True, True)


def test_claim_amounts_sum_to_the_expected_totals(demo):
    claims_total, financial_total = demo.execute(
        "select (select sum(expected_amount) from ops.v_claims_14d),"
        " (select sum(expected_total_yango) from ops.v_cabinet_financial_14d)"
    ).fetchone()
    assert claims_total == financial_total


def test_mv_money_equals_the_financial_view(demo):
    mv, view = demo.execute(
        "select (select (sum(expected_total_yango), sum(total_paid_yango), sum(amount_due_yango), count(*))::text"
        "        from ops.mv_yango_cabinet_cobranza_enriched_14d),"
        " (select (sum(expected_total_yango), sum(total_paid_yango), sum(amount_due_yango), count(*))::text"
        "        from ops.v_cabinet_financial_14d)"
    ).fetchone()
    assert mv == view
