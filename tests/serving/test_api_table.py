"""GET .../cabinet-financial-14d over real HTTP on the hand-made fleet: each filter and band
with its exact rows, order, paging, summaries, money as exact decimal strings, 400/422."""

from decimal import Decimal

import pytest

from cobranza_pipeline.dashboard import queries
from cobranza_pipeline.dashboard.filters import Filters
from cobranza_pipeline.serving.sessions import SessionPool
from tests.support.api_fixtures import (
    ORDER,
    ROWS,
    SCOUT_NAME_101,
    TABLE,
    TOTAL_DEBT,
    WEEK1,
    WEEK2,
    WEEK3,
    get,
    ids,
)
from tests.support.check_fixtures import built_fleet
from tests.support.fixtures import database


def table(api, path=TABLE, **params):
    reply = get(api, path, **params)
    assert reply.status == 200, reply.body
    return reply.json()


def test_unfiltered_rows_in_order_with_every_column(api):
    body = table(api)
    assert ids(body["data"]) == ORDER
    assert body["meta"] == {"limit": 200, "offset": 0, "returned": 13, "total": 13}
    assert len(body["data"][0]) == 33
    for row in body["data"]:
        week, lead, m1, m5, m25, due, scout, bucket = ROWS[row["driver_id"]]
        assert (row["week_start"], row["lead_date"]) == (week.isoformat(), lead.isoformat())
        assert (row["reached_m1_14d"], row["reached_m5_14d"], row["reached_m25_14d"]) == (m1, m5, m25)
        assert (row["amount_due_yango"], row["scout_id"], row["scout_quality_bucket"]) == (due, scout, bucket)
        assert row["is_scout_resolved"] is (scout is not None)
        assert not {"person_key", "scout_name_normalized", "scout_is_active"} & set(row)


def test_money_is_an_exact_decimal_string(api):
    d01 = next(row for row in table(api)["data"] if row["driver_id"] == "D01")
    assert (d01["expected_total_yango"], d01["total_paid_yango"], d01["amount_due_yango"]) == ("160.00", "25.00", "135.00")
    assert (d01["paid_amount_m1"], d01["expected_amount_m25"]) == ("25.00", "100.00")
    assert d01["scout_name"] == SCOUT_NAME_101 and d01["scout_source_table"] == "observational.lead_ledger"


@pytest.mark.parametrize("params, expected", [
    ({"only_with_debt": "true"}, ["D12", "D06", "D07", "D08", "D13", "D01", "D02", "D03"]),
    ({"only_with_debt": "false"}, ORDER),
    ({"min_debt": "60"}, ["D12", "D06", "D07", "D01", "D02"]),
    ({"min_debt": "100.00"}, ["D12", "D06", "D01"]),
    ({"min_debt": "135.01"}, ["D12"]),
    ({"min_debt": "0"}, ["D12", "D06", "D07", "D08", "D09", "D10", "D13", "D01", "D02", "D03", "D04", "D05"]),
    ({"reached_milestone": "m1"}, ["D08", "D13", "D03"]),          # M1 not M5
    ({"reached_milestone": "m5"}, ["D07", "D02"]),                 # M5 not M25
    ({"reached_milestone": "m25"}, ["D12", "D06", "D01"]),
    ({"reached_milestone": "M25"}, ["D12", "D06", "D01"]),         # case-insensitive
    ({"reached_milestone": ""}, ORDER),                            # empty = no filter
    ({"scout_id": "101"}, ["D12", "D01"]),
    ({"scout_id": "107"}, ["D07"]),
    ({"scout_id": "999"}, []),
    ({"week_start": WEEK2.isoformat()}, ["D06", "D07", "D08", "D09", "D10", "D11"]),
    ({"week_start": "2026-03-04"}, []),                            # exact: a Wednesday matches nothing
    ({"only_with_debt": "true", "reached_milestone": "m1", "week_start": WEEK1.isoformat()}, ["D13", "D03"]),
    ({"scout_id": "101", "week_start": WEEK3.isoformat()}, ["D12"]),
    # the week range, inclusive at both ends (an addition to the old backend's filters)
    ({"week_start_from": WEEK2.isoformat(), "week_start_to": WEEK3.isoformat()},
     ["D12", "D06", "D07", "D08", "D09", "D10", "D11"]),
    ({"week_start_from": WEEK3.isoformat()}, ["D12"]),
    ({"week_start_to": WEEK1.isoformat(), "only_with_debt": "true"}, ["D13", "D01", "D02", "D03"]),
    ({"week_start_from": WEEK2.isoformat(), "week_start_to": WEEK2.isoformat(), "week_start": WEEK1.isoformat()}, []),
])
def test_each_filter_and_band_selects_exactly(api, params, expected):
    body = table(api, **params)
    assert ids(body["data"]) == expected
    assert body["meta"]["total"] == len(expected) == body["summary"]["total_drivers"]


def test_paging_keeps_the_order_and_the_total(api):
    pages = [table(api, limit=5, offset=offset) for offset in (0, 5, 10, 15)]
    assert [ids(page["data"]) for page in pages] == [ORDER[0:5], ORDER[5:10], ORDER[10:13], []]
    assert {page["meta"]["total"] for page in pages} == {13}
    assert pages[2]["meta"] == {"limit": 5, "offset": 10, "returned": 3, "total": 13}


def test_summary_is_filtered_and_summary_total_is_not(api):
    body = table(api, only_with_debt="true")
    assert body["summary"] == {
        "total_drivers": 8, "drivers_with_expected": 8, "drivers_with_debt": 8,
        "total_expected_yango": "675.00", "total_paid_yango": "85.00", "total_debt_yango": "590.00",
        "collection_percentage": 12.59, "drivers_m1": 8, "drivers_m5": 5, "drivers_m25": 3,
        "drivers_with_scout": 6, "drivers_without_scout": 2, "pct_with_scout": 75.0,
    }
    total = body["summary_total"]
    assert total["total_drivers"] == 13 and total["drivers_with_debt"] == 8
    assert Decimal(total["total_debt_yango"]) == TOTAL_DEBT  # negatives included: 565.00
    assert (total["total_expected_yango"], total["total_paid_yango"]) == ("675.00", "110.00")
    assert (total["drivers_with_expected"], total["drivers_with_scout"], total["pct_with_scout"]) == (8, 6, 46.15)


def test_empty_selection_has_zero_summary(api):
    body = table(api, scout_id=999)
    assert body["summary"]["total_debt_yango"] == "0.00"
    assert (body["summary"]["collection_percentage"], body["summary"]["pct_with_scout"]) == (0, 0)


def test_without_summary_the_total_is_still_counted(api):
    body = table(api, include_summary="false", reached_milestone="m5", limit=1)
    assert body["summary"] is None and body["summary_total"] is None
    assert body["meta"] == {"limit": 1, "offset": 0, "returned": 1, "total": 2}


def test_both_mounts_answer_the_same(api):
    assert table(api, "/api/v1/payments/cabinet-financial-14d") == table(api)


def test_a_week_range_that_ends_before_it_starts_is_a_400(api):
    reply = get(api, TABLE, week_start_from=WEEK3.isoformat(), week_start_to=WEEK1.isoformat())
    assert (reply.status, reply.json()["detail"]) == (400, "week_start_from is after week_start_to")


@pytest.mark.parametrize("value", ["m2", "m1 or 1=1", "all", "m1'; drop table x; --"])
def test_unknown_milestone_is_a_400(api, value):
    reply = get(api, TABLE, reached_milestone=value)
    assert reply.status == 400
    assert "reached_milestone must be one of m1" in reply.json()["detail"]


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": 1001}, {"limit": -5}, {"limit": "ten"}, {"offset": -1},
    {"min_debt": "-1"}, {"min_debt": "1.001"}, {"min_debt": "NaN"}, {"min_debt": "1e400"},
    {"scout_id": "1; drop table x"}, {"scout_id": 2**31}, {"week_start": "2026-02-30"},
    {"only_with_debt": "maybe"},
])
def test_out_of_range_or_malformed_is_a_422(api, params):
    reply = get(api, TABLE, **params)
    assert reply.status == 422, reply.body
    [name] = params
    assert reply.json()["detail"].startswith(f"invalid {name}: ")  # one sentence naming the parameter


def test_limit_at_its_bounds_is_fine(api):
    assert table(api, limit=1)["meta"]["returned"] == 1
    assert table(api, limit=1000)["meta"]["returned"] == 13


def test_api_sessions_plan_the_optional_filters_for_their_bound_values(conn, db_url):
    """psycopg prepares a statement on its 6th execution on one session; the server then tends to
    a generic plan, which tests every optional filter on every row. A session with the API's
    settings (the benchmark's readers use them too) keeps custom plans; a pipeline session, the
    control, keeps the server's default."""
    built_fleet(conn, db_url)

    def plans_after_twelve_runs(session) -> tuple[int, int]:
        for _ in range(12):
            assert queries.table_summary(session, Filters())["total_drivers"] == 10
        return session.execute(
            "select sum(generic_plans)::int, sum(custom_plans)::int from pg_prepared_statements").fetchone()

    pool = SessionPool(db_url)
    api_session = pool.open()
    try:
        assert plans_after_twelve_runs(api_session.conn) == (0, 7)  # runs 6-12 prepared, each planned anew
    finally:
        pool.release(api_session)
    with database(db_url).connect() as pipeline:
        generic, custom = plans_after_twelve_runs(pipeline)
        assert generic > 0 and generic + custom == 7
