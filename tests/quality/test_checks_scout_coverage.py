"""docs/checks.md, scout_coverage of the cobranza MV, on the hand-made fleet of
tests/support/check_fixtures.py with some drivers stripped of scout evidence. The check compares exact
counts against the thresholds, fails an empty MV and explains what is missing in metadata."""

from decimal import Decimal

import pytest

from cobranza_pipeline.settings import Thresholds
from tests.support.builders import MV
from tests.support.check_fixtures import (
    built_fleet,
    detach_mv,
    outcome_tuple,
    run_check,
    unscouted,
)
from tests.support.fixtures import build_all, compose


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
