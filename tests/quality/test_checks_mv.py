"""docs/checks.md, the checks on the cobranza MV: each passes on the clean hand-made fleet of
tests/support/check_fixtures.py and fails, with the right value and severity, on a defect written
into what it reads (the MV swapped for a table copy when the MV's SQL cannot produce it).
Check 1, scout coverage, is in test_checks_scout_coverage.py."""

from decimal import Decimal

import pytest
from psycopg import sql

from cobranza_pipeline.settings import Thresholds
from tests.support.builders import MV
from tests.support.check_fixtures import (
    DUE,
    TOTAL_DUE,
    built_fleet,
    detach_mv,
    outcome_tuple,
    run_check,
    unscouted,
)
from tests.support.fixtures import compose

INDEXES = sorted(["idx_mv_cobranza_enriched_driver_id_unique", "idx_mv_cobranza_enriched_week_start",
                  "idx_mv_cobranza_enriched_scout_id", "idx_mv_cobranza_enriched_debt_partial",
                  "idx_mv_cobranza_enriched_milestone_flags", "idx_mv_cobranza_enriched_scout_quality",
                  "idx_mv_cobranza_enriched_lead_date", "idx_mv_cobranza_enriched_page_order"])


# ---------------------------------------------------------------- 2-4. week_start, weekly sums


def test_week_start_checks_pass_on_the_clean_fleet(conn, db_url):
    built_fleet(conn, db_url)  # leads on a Wednesday and a Thursday: week_start is their Monday
    for name in ("week_start_not_null", "week_start_is_monday_of_lead_date"):
        outcome = run_check(conn, name)
        assert outcome_tuple(outcome) == (True, "ERROR", 0, 0)
        assert outcome.metadata["examples"] == []


def test_week_start_not_null_counts_null_rows(conn, db_url):
    built_fleet(conn, db_url)
    detach_mv(conn)
    conn.execute(compose("update {mv} set week_start = null where driver_id in ('D09', 'D02', 'D05')", mv=MV))
    outcome = run_check(conn, "week_start_not_null")
    assert outcome_tuple(outcome) == (False, "ERROR", 3, 0)
    assert outcome.description == "3 rows with NULL week_start (threshold 0)"
    assert outcome.metadata["examples"] == ["D02", "D05", "D09"]


def test_week_start_is_monday_counts_shifted_rows(conn, db_url):
    built_fleet(conn, db_url)
    detach_mv(conn)
    conn.execute(compose("update {mv} set week_start = week_start + 1 where driver_id in ('D06', 'D01')", mv=MV))
    outcome = run_check(conn, "week_start_is_monday_of_lead_date")
    assert outcome_tuple(outcome) == (False, "ERROR", 2, 0)
    assert outcome.description.startswith("2 rows whose week_start is not the Monday of lead_date")
    assert outcome.metadata["examples"] == ["D01", "D06"]


def test_weekly_sums_equal_global_on_the_clean_fleet(conn, db_url):
    built_fleet(conn, db_url)
    outcome = run_check(conn, "weekly_sums_equal_global")
    assert outcome_tuple(outcome) == (True, "ERROR", Decimal("0"), Decimal("0"))
    # all: 10 rows, 405.00 due; debt: the 6 drivers with amount_due > 0, same 405.00
    assert outcome.metadata["scopes"] == {
        "all": {"global_rows": 10, "weekly_rows": 10, "global_debt": TOTAL_DUE, "weekly_debt": TOTAL_DUE},
        "debt": {"global_rows": 6, "weekly_rows": 6, "global_debt": TOTAL_DUE, "weekly_debt": TOTAL_DUE},
    }
    assert outcome.metadata["mismatches"] == {}


def test_weekly_sums_miss_a_debt_row_without_week(conn, db_url):
    built_fleet(conn, db_url)
    detach_mv(conn)
    conn.execute(compose("update {mv} set week_start = null where driver_id = 'D02'", mv=MV))  # owes 60.00
    outcome = run_check(conn, "weekly_sums_equal_global")
    # weekly side: 9 rows / 345.00 (all), 5 rows / 345.00 (debt); global: 405.00 -> 60.00 missing
    assert outcome_tuple(outcome) == (False, "ERROR", DUE["D02"], Decimal("0"))
    assert outcome.metadata["mismatches"] == {
        "all": {"rows_difference": 1, "debt_difference": Decimal("60.00")},
        "debt": {"rows_difference": 1, "debt_difference": Decimal("60.00")},
    }
    assert "60.00" in outcome.description
    assert outcome.description.startswith("weekly sums differ from global sums (all: rows +1, debt +60.00; debt:")


def test_weekly_sums_miss_a_row_without_debt(conn, db_url):
    built_fleet(conn, db_url)
    detach_mv(conn)
    conn.execute(compose("update {mv} set week_start = null where driver_id = 'D04'", mv=MV))  # owes 0.00
    outcome = run_check(conn, "weekly_sums_equal_global")
    # the row count differs in 'all' only; no money is missing, yet it fails
    assert (outcome.passed, outcome.value) == (False, Decimal("0.00"))
    assert outcome.metadata["mismatches"] == {"all": {"rows_difference": 1, "debt_difference": Decimal("0.00")}}
    assert "all: rows +1, debt +0.00" in outcome.description


# ---------------------------------------------------------------- 5-6. indexes and latency


def test_required_indexes_present_on_the_built_mv(conn, db_url):
    built_fleet(conn, db_url)
    outcome = run_check(conn, "required_indexes")
    assert outcome_tuple(outcome) == (True, "ERROR", 0, 0)
    assert outcome.description == "0 of 8 required indexes missing or invalid"
    assert outcome.metadata == {"missing_or_invalid": [], "present": INDEXES, "concurrent_ready": True}


@pytest.mark.parametrize("index, concurrent_ready", [
    ("idx_mv_cobranza_enriched_scout_id", True),
    ("idx_mv_cobranza_enriched_driver_id_unique", False),
])
def test_required_indexes_one_dropped(conn, db_url, index, concurrent_ready):
    built_fleet(conn, db_url)
    conn.execute(compose("drop index {index}", index=f"ops.{index}"))
    outcome = run_check(conn, "required_indexes")
    assert outcome_tuple(outcome) == (False, "ERROR", 1, 0)
    assert outcome.metadata["missing_or_invalid"] == [index]
    assert outcome.metadata["concurrent_ready"] is concurrent_ready
    assert outcome.description.startswith(f"1 of 8 required indexes missing or invalid: {index}")
    assert outcome.description.endswith("; no valid unique plain index for CONCURRENTLY") is not concurrent_ready


def test_required_indexes_invalid_index_counts(conn, db_url):
    built_fleet(conn, db_url)
    conn.execute("update pg_index set indisvalid = false "
                 "where indexrelid = 'ops.idx_mv_cobranza_enriched_lead_date'::regclass")
    outcome = run_check(conn, "required_indexes")
    assert outcome_tuple(outcome) == (False, "ERROR", 1, 0)
    assert outcome.metadata["missing_or_invalid"] == ["idx_mv_cobranza_enriched_lead_date"]


def test_required_indexes_all_missing_without_the_mv(conn, db_url):
    built_fleet(conn, db_url)
    conn.execute(compose("drop materialized view {mv}", mv=MV))
    outcome = run_check(conn, "required_indexes")
    assert outcome_tuple(outcome) == (False, "ERROR", 8, 0)
    assert outcome.metadata["concurrent_ready"] is False


PROBES = {"debt_m25_latest_leads", "debt_latest_week", "table_unfiltered", "table_only_with_debt",
          "table_min_debt", "table_band_m1", "table_band_m5", "table_band_m25", "table_scout_id",
          "table_week_start"}


def test_dashboard_query_latency_passes_and_records_plans(conn, db_url):
    built_fleet(conn, db_url)
    outcome = run_check(conn, "dashboard_query_latency")
    assert outcome.passed and outcome.threshold == 300.0
    assert 0 <= outcome.value < 300
    assert outcome.value == max(outcome.metadata["median_ms"].values())
    assert set(outcome.metadata["median_ms"]) == set(outcome.metadata["indexes_used"]) == PROBES
    assert all(plan for plan in outcome.metadata["indexes_used"].values())
    assert f"took {outcome.value} ms (threshold 300 ms)" in outcome.description


def test_dashboard_query_latency_above_three_times_the_threshold_is_an_error(conn, db_url):
    built_fleet(conn, db_url)
    outcome = run_check(conn, "dashboard_query_latency", Thresholds(query_latency_ms=0.0001))
    # any real query takes more than 3 x 0.0001 ms
    assert (outcome.passed, outcome.severity, outcome.threshold) == (False, "ERROR", 0.0001)
    assert outcome.value > 0.0003
    assert f"took {outcome.value} ms (threshold 0.0001 ms)" in outcome.description


# ---------------------------------------------------------------- 7. grain, scouts, milestones, money


def test_row_level_checks_pass_on_the_clean_fleet(conn, db_url):
    built_fleet(conn, db_url, scouted=unscouted("D04"))  # a MISSING row is consistent too
    for name in ("one_row_per_driver", "scout_integrity", "milestone_monotonicity", "amount_arithmetic"):
        outcome = run_check(conn, name)
        assert outcome_tuple(outcome) == (True, "ERROR", 0, 0), name
        assert outcome.description.startswith("0 "), name


@pytest.mark.parametrize("defect, value, examples, duplicated, nulls", [
    (f"insert into {MV} select * from ops.mv_saved where driver_id = 'D04'", 1, ["D04"], 1, 0),
    (f"insert into {MV} select * from ops.mv_saved where driver_id in ('D04', 'D08')", 2, ["D04", "D08"], 2, 0),
    (f"update {MV} set driver_id = null where driver_id = 'D05'", 1, [], 0, 1),
])
def test_one_row_per_driver_counts_duplicates_and_null_ids(conn, db_url, defect, value, examples, duplicated, nulls):
    built_fleet(conn, db_url)
    detach_mv(conn)
    conn.execute(defect)
    outcome = run_check(conn, "one_row_per_driver")
    assert outcome_tuple(outcome) == (False, "ERROR", value, 0)
    assert outcome.description == f"{value} duplicated driver_ids (threshold 0)"
    md = outcome.metadata
    assert (md["examples"], md["duplicated_drivers"], md["null_driver_ids"]) == (examples, duplicated, nulls)


@pytest.mark.parametrize("name, defect, example", [
    ("scout_integrity", "is_scout_resolved = false where driver_id = 'D01'", "D01"),
    ("scout_integrity", "scout_quality_bucket = null where driver_id = 'D02'", "D02"),
    ("scout_integrity", "scout_id = null where driver_id = 'D03'", "D03"),  # bucket still LEDGER
    ("scout_integrity", "scout_quality_bucket = 'MISSING' where driver_id = 'D05'", "D05"),
    ("milestone_monotonicity", "reached_m5_14d = false where driver_id = 'D01'", "D01"),  # M25 without M5
    ("milestone_monotonicity", "reached_m1_14d = false where driver_id = 'D07'", "D07"),  # M5 without M1
    ("amount_arithmetic", "amount_due_yango = amount_due_yango + 0.01 where driver_id = 'D02'", "D02"),
    ("amount_arithmetic", "total_paid_yango = 0 where driver_id = 'D06'", "D06"),  # 25 + 35 paid
    # sums still add up (0 + 35 = 35), but M1 is reached: expected_amount_m1 must be 25.00
    ("amount_arithmetic", ("expected_amount_m1 = 0, expected_total_yango = 35, amount_due_yango = 35 "
                           "where driver_id = 'D02'"), "D02"),
])
def test_row_level_checks_count_one_broken_row(conn, db_url, name, defect, example):
    built_fleet(conn, db_url)
    detach_mv(conn)
    conn.execute(compose("update {mv} set {defect}", mv=MV, defect=sql.SQL(defect)))
    outcome = run_check(conn, name)
    assert outcome_tuple(outcome) == (False, "ERROR", 1, 0)
    assert outcome.description.startswith("1 rows ") and outcome.description.endswith("(threshold 0)")
    assert outcome.metadata["examples"] == [example]


@pytest.mark.parametrize("index, impostor", [
    # the unique index CONCURRENTLY needs, recreated under its name without UNIQUE
    ("idx_mv_cobranza_enriched_driver_id_unique", "(driver_id)"),
    # the scout filter's partial index, recreated under its name on another column
    ("idx_mv_cobranza_enriched_scout_id", "(lead_date)"),
])
def test_required_indexes_an_index_with_the_right_name_but_another_definition_is_missing(
        conn, db_url, index, impostor):
    built_fleet(conn, db_url)
    conn.execute(compose("drop index {index}", index=f"ops.{index}"))
    conn.execute(compose("create index {index} on {mv} {impostor}", index=index, mv=MV, impostor=sql.SQL(impostor)))
    outcome = run_check(conn, "required_indexes")
    # the declared index (columns, unique, where) is not there: 1 of 7 missing
    assert outcome_tuple(outcome) == (False, "ERROR", 1, 0)
    assert outcome.metadata["missing_or_invalid"] == [index]
