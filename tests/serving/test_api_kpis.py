"""The two KPI endpoints over real HTTP on the hand-made fleet of api_fixtures, numbers worked
out by hand from its ROWS table; the weekly/table reconciliation; the scout KPIs' cache.

Scout coverage of the 13 drivers: with scout D12 D06 D01 D02 (ledger), D07 (migration),
D13 (cabinet payment) = 6 -> 46.15 %; the 7 without all have a person_key (a driver reaches
the MV only through its identity link), so every one is no_source_match. Without scout but
with a milestone: D08 and D03 (M1, due 25.00; D08's lead is later, so it comes first).

Weeks (rows / debt / with scout / M1 M5 M25 / paid):
  2026-03-16  D12                          1 / 160.00 / 1 / 1 1 1 /  0.00
  2026-03-09  D06 D07 D08 D09 D10 D11      6 / 160.00 / 2 / 3 2 1 / 85.00  (D06 60, D11 25)
  2026-03-02  D13 D01 D02 D03 D04 D05      6 / 245.00 / 3 / 4 2 1 / 25.00  (D01 25)
"""

from datetime import date
from decimal import Decimal

import psycopg
import pytest

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.serving.cache import TTLCache
from tests.support.api_fixtures import (
    SCOUT_KPIS,
    TABLE,
    TOTAL_DEBT,
    WEEK1,
    WEEK2,
    WEEK3,
    WEEKLY_KPIS,
    BackgroundServer,
    fleet_database,
    get,
)

WEEKS = {  # week_start -> (total_rows, debt_sum, with_scout, pct, m1, m5, m25, paid_sum)
    WEEK3: (1, "160.00", 1, 100.0, 1, 1, 1, "0.00"),
    WEEK2: (6, "160.00", 2, 33.33, 3, 2, 1, "85.00"),
    WEEK1: (6, "245.00", 3, 50.0, 4, 2, 1, "25.00"),
}


def ok(api, path, **params):
    reply = get(api, path, **params)
    assert reply.status == 200, reply.body
    return reply.json()


def week_tuple(week: dict) -> tuple:
    return (week["total_rows"], week["debt_sum"], week["with_scout"], week["pct_with_scout"],
            week["reached_m1"], week["reached_m5"], week["reached_m25"], week["paid_sum"])


def test_scout_kpis_of_the_whole_fleet(api):
    body = ok(api, SCOUT_KPIS)
    assert body["status"] == "ok"
    metrics = body["metrics"]
    assert (metrics["total_drivers"], metrics["drivers_with_scout"], metrics["drivers_without_scout"]) == (13, 6, 7)
    assert metrics["pct_with_scout"] == 46.15
    assert metrics["breakdown_by_quality"] == {
        "SATISFACTORY_LEDGER": 4, "EVENTS_ONLY": 0, "MIGRATIONS_ONLY": 1, "SCOUTING_DAILY_ONLY": 0,
        "CABINET_PAYMENTS_ONLY": 1, "MISSING": 7,
    }
    assert metrics["breakdown_by_source"] == {
        "lead_ledger": 4, "lead_events": 0, "migrations": 1, "scouting_daily": 0, "cabinet_payments": 1,
    }
    assert metrics["drivers_without_scout_by_reason"] == {"missing_identity": 0, "no_source_match": 7}
    assert metrics["top_missing_examples"] == [
        {"driver_id": "D08", "lead_date": "2026-03-12", "reached_m1": True, "reached_m5": False,
         "reached_m25": False, "amount_due_yango": "25.00"},
        {"driver_id": "D03", "lead_date": "2026-03-04", "reached_m1": True, "reached_m5": False,
         "reached_m25": False, "amount_due_yango": "25.00"},
    ]
    assert body["filters"] == {"only_with_debt": False, "min_debt": None, "reached_milestone": None,
                               "scout_id": None, "week_start": None, "week_start_from": None, "week_start_to": None}


@pytest.mark.parametrize("params, total, with_scout, pct", [
    ({"only_with_debt": "true"}, 8, 6, 75.0),                       # D09 D10 D04 D05 (0) and D11 (-25) out
    # reached_milestone is cumulative here, as in the old backend: every driver with M1
    ({"reached_milestone": "m1"}, 8, 6, 75.0),                      # D08 and D03 without scout
    ({"reached_milestone": "M5"}, 5, 5, 100.0),                     # D12 D06 D07 D01 D02
    ({"reached_milestone": "m25"}, 3, 3, 100.0),                    # D12 D06 D01
    ({"reached_milestone": "m7"}, 13, 6, 46.15),                    # unknown: ignored, as before
    ({"scout_id": "101"}, 2, 2, 100.0),
    ({"week_start": WEEK2.isoformat()}, 6, 2, 33.33),
    ({"week_start_from": WEEK2.isoformat()}, 7, 3, 42.86),         # weeks 2 and 3: D12 D06 D07 of 7
    ({"week_start_to": WEEK1.isoformat()}, 6, 3, 50.0),            # week 1: D13 D01 D02 of 6
    ({"scout_id": "999"}, 0, 0, 0),                                 # empty selection: zeros, no error
])
def test_scout_kpis_follow_the_tables_filters(api, params, total, with_scout, pct):
    metrics = ok(api, SCOUT_KPIS, **params)["metrics"]
    assert (metrics["total_drivers"], metrics["drivers_with_scout"], metrics["pct_with_scout"]) == (total, with_scout, pct)
    assert sum(metrics["breakdown_by_quality"].values()) == total


def test_scout_kpis_on_every_mount(api):
    expected = ok(api, SCOUT_KPIS)
    for prefix in ("/api/v1/payments", "/api/v1/ops/payments"):
        assert ok(api, prefix + SCOUT_KPIS.removeprefix("/api/v1")) == expected


def test_weekly_kpis_per_week_most_recent_first(api):
    body = ok(api, WEEKLY_KPIS)
    assert [week["week_start"] for week in body["weeks"]] == [WEEK3.isoformat(), WEEK2.isoformat(), WEEK1.isoformat()]
    for week in body["weeks"]:
        assert week_tuple(week) == WEEKS[date_of(week)]
        assert week["unpaid_sum"] == week["debt_sum"]
    assert body["filters"]["limit_weeks"] == 52


def date_of(week: dict) -> date:
    return date.fromisoformat(week["week_start"])


def test_weekly_debt_over_all_weeks_equals_the_tables_total_debt(api):
    weeks = ok(api, WEEKLY_KPIS)["weeks"]
    table_total = ok(api, TABLE)["summary_total"]["total_debt_yango"]
    assert sum(Decimal(week["debt_sum"]) for week in weeks) == Decimal(table_total) == TOTAL_DEBT
    paid = sum(Decimal(week["paid_sum"]) for week in weeks)
    assert paid == Decimal(ok(api, TABLE)["summary_total"]["total_paid_yango"]) == Decimal("110.00")


@pytest.mark.parametrize("params, expected", [
    ({"week_start_from": WEEK2.isoformat()}, [WEEK3, WEEK2]),       # inclusive
    ({"week_start_to": WEEK2.isoformat()}, [WEEK2, WEEK1]),         # inclusive
    ({"week_start_from": WEEK2.isoformat(), "week_start_to": WEEK2.isoformat()}, [WEEK2]),
    ({"limit_weeks": 1}, [WEEK3]),                                  # the most recent N
    ({"limit_weeks": 200}, [WEEK3, WEEK2, WEEK1]),
    ({"scout_id": "101"}, [WEEK3, WEEK1]),
    ({"reached_milestone": "m5"}, [WEEK2, WEEK1]),                  # exclusive band: D07, D02
    ({"reached_milestone": "m7"}, [WEEK3, WEEK2, WEEK1]),           # unknown: ignored, as before
    ({"week_start": WEEK1.isoformat()}, [WEEK1]),
])
def test_weekly_kpis_filters_select_weeks(api, params, expected):
    assert [date_of(week) for week in ok(api, WEEKLY_KPIS, **params)["weeks"]] == expected


def test_weekly_kpis_by_bucket(api):
    weeks = ok(api, WEEKLY_KPIS, scout_quality_bucket="missing")["weeks"]  # case-insensitive
    # MISSING: D08 D09 D10 D11 in week 2 (25 + 0 + 0 - 25), D03 D04 D05 in week 1 (25 + 0 + 0)
    assert [(date_of(w), w["total_rows"], w["debt_sum"], w["with_scout"]) for w in weeks] == [
        (WEEK2, 4, "0.00", 0), (WEEK1, 3, "25.00", 0)]


def test_weekly_kpis_on_the_dashboards_mount(api):
    assert ok(api, "/api/v1/payments/yango/cabinet/cobranza-yango/weekly-kpis") == ok(api, WEEKLY_KPIS)


@pytest.mark.parametrize("params, status", [
    ({"scout_quality_bucket": "GOLD"}, 400),
    ({"week_start_from": WEEK3.isoformat(), "week_start_to": WEEK1.isoformat()}, 400),
    ({"limit_weeks": 0}, 422),
    ({"limit_weeks": 201}, 422),
    ({"week_start_from": "yesterday"}, 422),
])
def test_weekly_kpis_bad_input(api, params, status):
    assert get(api, WEEKLY_KPIS, **params).status == status


def test_scout_kpis_echo_the_milestone_as_given(api):
    assert ok(api, SCOUT_KPIS, reached_milestone="M5")["filters"]["reached_milestone"] == "m5"
    assert ok(api, SCOUT_KPIS, reached_milestone="m7")["filters"]["reached_milestone"] is None


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_cache_answers_within_60_s_without_the_database(new_database):
    """Proof that the second call does not touch the database: between the two calls the MV's
    totals (what the scout KPIs read without a scout filter) are renamed away, so any query
    would fail with a 503; the cached answer still comes back. Once
    the clock passes 60 s the next call reaches the database and gets the 503."""
    url = fleet_database(new_database)
    clock = FakeClock()
    server = BackgroundServer(create_app(url, scout_kpi_cache=TTLCache(60.0, clock=clock))).start()
    try:
        first = get(server.base, SCOUT_KPIS, only_with_debt="true")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("alter table ops.cobranza_dashboard_totals rename to totals_away")
        clock.now += 59.9
        second = get(server.base, SCOUT_KPIS, only_with_debt="true")
        assert (first.status, second.status) == (200, 200) and second.body == first.body
        assert get(server.base, SCOUT_KPIS).status == 503  # other filters: another key, not cached
        clock.now += 0.2
        expired = get(server.base, SCOUT_KPIS, only_with_debt="true")
        assert expired.status == 503
    finally:
        server.stop()
