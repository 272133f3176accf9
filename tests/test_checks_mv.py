"""SPEC section 7, checks 1-7 on the cobranza MV: each passes on the clean hand-made fleet of
tests/check_fixtures.py and fails, with the right value and severity, on a defect written
into what it reads (the MV swapped for a table copy when the MV's SQL cannot produce it)."""

from decimal import Decimal

import pytest
from psycopg import sql

from cobranza_pipeline.check_framework import Thresholds
from tests.builders import MV
from tests.check_fixtures import (
    DRIVERS,
    DUE,
    TOTAL_DUE,
    built_fleet,
    detach_mv,
    run_check,
)
from tests.fixtures import build_all, compose

INDEXES = sorted(["idx_mv_cobranza_enriched_driver_id_unique", "idx_mv_cobranza_enriched_week_start",
                  "idx_mv_cobranza_enriched_scout_id", "idx_mv_cobranza_enriched_debt_partial",
                  "idx_mv_cobranza_enriched_milestone_flags", "idx_mv_cobranza_enriched_scout_quality",
                  "idx_mv_cobranza_enriched_lead_date"])


def unscouted(*missing):
    return [d for d in DRIVERS if d not in missing]


def outcome_tuple(outcome):
    return outcome.passed, outcome.severity, outcome.value, outcome.threshold


# ---------------------------------------------------------------- 1. scout coverage


def test_scout_coverage_passes_at_100_percent(conn, db_url):
    built_fleet(conn, db_url)
    outcome = run_check(conn, "scout_coverage")
    # 10 of 10 = 100.00 >= 95: passes; the threshold shown is the warn one
    assert outcome_tuple(outcome) == (True, "WARN", Decimal("100.00"), Decimal("95"))
    assert outcome.description == "100.00 % of 10 rows have a scout (threshold 95 %)"
    md = outcome.metadata
    assert (md["total_rows"], md["with_scout"], md["missing_scout"], md["missing_identity"],
            md["no_source_match"]) == (10, 10, 0, 0, 0)
    assert md["bucket_distribution"] == {"SATISFACTORY_LEDGER": 10}
    assert md["top_missing_with_milestone"] == []


def test_scout_coverage_80_percent_is_an_error(conn, db_url):
    built_fleet(conn, db_url, scouted=unscouted("D03", "D07"))
    outcome = run_check(conn, "scout_coverage")
    # 8 of 10 = 80.00 < 90: ERROR against the error threshold
    assert outcome_tuple(outcome) == (False, "ERROR", Decimal("80.00"), Decimal("90"))
    assert outcome.description == "80.00 % of 10 rows have a scout (threshold 90 %)"
    md = outcome.metadata
    # both have a person_key (lead drivers always do) but no evidence
    assert (md["with_scout"], md["missing_scout"], md["missing_identity"], md["no_source_match"]) == (8, 2, 0, 2)
    assert md["bucket_distribution"] == {"MISSING": 2, "SATISFACTORY_LEDGER": 8}
    # D07 owes 60.00 (M5), D03 25.00 (M1): amount_due desc
    assert [(r["driver_id"], r["amount_due_yango"]) for r in md["top_missing_with_milestone"]] == [
        ("D07", Decimal("60.00")), ("D03", Decimal("25.00"))]


@pytest.mark.parametrize("thresholds, passed, severity, threshold", [
    (Thresholds(), False, "WARN", Decimal("95")),          # 90.00 is not < 90: the warn band
    (Thresholds(scout_coverage_error_pct=Decimal("85"), scout_coverage_warn_pct=Decimal("90")),
     True, "WARN", Decimal("90")),                         # configurable: 90.00 >= 90 passes
    (Thresholds(scout_coverage_error_pct=Decimal("92")), False, "ERROR", Decimal("92")),
])
def test_scout_coverage_90_percent_bands(conn, db_url, thresholds, passed, severity, threshold):
    built_fleet(conn, db_url, scouted=unscouted("D09"))
    outcome = run_check(conn, "scout_coverage", thresholds)
    assert outcome_tuple(outcome) == (passed, severity, Decimal("90.00"), threshold)  # 9 of 10
    assert f"90.00 % of 10 rows have a scout (threshold {threshold} %)" == outcome.description
    assert outcome.metadata["top_missing_with_milestone"] == []  # D09 reached no milestone


def test_scout_coverage_compares_exact_counts_not_the_rounded_percentage(conn, db_url):
    """2 of 3 = 66.666...: rounded it would read 66.67 and meet a 66.67 threshold; it does not."""
    built_fleet(conn, db_url, scouted=["D01", "D02"])
    conn.execute("delete from public.drivers where driver_id not in ('D01', 'D02', 'D03')")
    build_all(conn, db_url)
    outcome = run_check(conn, "scout_coverage", Thresholds(scout_coverage_error_pct=Decimal("66.67")))
    assert outcome_tuple(outcome) == (False, "ERROR", Decimal("66.66"), Decimal("66.67"))
    assert outcome.description == "66.66 % of 3 rows have a scout (threshold 66.67 %)"
    at_exactly_two_thirds = run_check(conn, "scout_coverage", Thresholds(scout_coverage_error_pct=Decimal("66.66"),
                                                                         scout_coverage_warn_pct=Decimal("66.66")))
    assert outcome_tuple(at_exactly_two_thirds) == (True, "WARN", Decimal("66.66"), Decimal("66.66"))


def test_scout_coverage_top_missing_only_milestones_amount_then_lead_date(conn, db_url):
    built_fleet(conn, db_url, scouted=unscouted("D03", "D04", "D07", "D08"))
    outcome = run_check(conn, "scout_coverage")
    assert outcome_tuple(outcome) == (False, "ERROR", Decimal("60.00"), Decimal("90"))  # 6 of 10
    # D04 reached nothing: left out; D08 and D03 both owe 25.00: the later lead (03-12) first
    top = outcome.metadata["top_missing_with_milestone"]
    assert [(r["driver_id"], r["amount_due_yango"]) for r in top] == [
        ("D07", Decimal("60.00")), ("D08", Decimal("25.00")), ("D03", Decimal("25.00"))]


def test_scout_coverage_splits_missing_identity_from_no_source_match(conn, db_url):
    built_fleet(conn, db_url, scouted=unscouted("D03", "D07"))
    detach_mv(conn)  # raw data cannot give an MV row without person_key: write it by hand
    conn.execute(compose("update {mv} set person_key = null where driver_id = 'D03'", mv=MV))
    md = run_check(conn, "scout_coverage").metadata
    assert (md["missing_identity"], md["no_source_match"]) == (1, 1)


def test_scout_coverage_fails_on_an_empty_mv(conn, db_url):
    build_all(conn, db_url)  # no raw rows: the MV exists with 0 rows
    outcome = run_check(conn, "scout_coverage")
    assert outcome_tuple(outcome) == (False, "ERROR", None, Decimal("90"))
    assert "no rows" in outcome.description
    assert outcome.metadata["total_rows"] == 0 and outcome.metadata["bucket_distribution"] == {}


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
    assert outcome.description == "0 of 7 required indexes missing or invalid"
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
    assert outcome.description.startswith(f"1 of 7 required indexes missing or invalid: {index}")
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
    assert outcome_tuple(outcome) == (False, "ERROR", 7, 0)
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
