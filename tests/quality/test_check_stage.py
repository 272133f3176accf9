"""docs/checks.md, stage_matches_full_recomputation: the staged trips against a full
recomputation, on the hand-made fleet of tests/support/check_fixtures.py (10 drivers in two
lead weeks, all small enough to be sampled). Clean passes; each defect gives the exact count."""

from datetime import date, datetime, timezone

import pytest

from cobranza_pipeline.settings import Thresholds
from tests.support.builders import add_lead_driver, add_raw_days
from tests.support.check_fixtures import LEAD2, built_fleet, outcome_tuple, run_check
from tests.support.fixtures import build_all

CHECK = "stage_matches_full_recomputation"


def parts(outcome) -> tuple:
    return tuple(outcome.metadata[name]["differences"] for name in ("recruited_set", "weekly_totals", "sample"))


def test_clean_stage_matches(conn, db_url):
    built_fleet(conn, db_url)
    outcome = run_check(conn, CHECK)
    assert outcome_tuple(outcome) == (True, "ERROR", 0, 0)
    assert outcome.metadata["sample_size"] == 10  # every recruited driver (the sample holds up to 200)
    assert outcome.description == ("0 differences from a full recomputation (threshold 0): 0 recruited drivers, "
                                   "0 lead weeks, 0 of 10 sampled drivers")


def test_sample_size_is_configurable(conn, db_url):
    built_fleet(conn, db_url)
    assert run_check(conn, CHECK, Thresholds(stage_sample_drivers=3)).metadata["sample_size"] == 3


@pytest.mark.parametrize("defect, expected", [
    # a staged figure altered: its week's totals and the driver's one-shot recomputation differ
    ("update ops.stg_driver_trips_14d set total_trips_14d = total_trips_14d + 1 where driver_id = 'D07'", (0, 1, 1)),
    # a recruited driver missing from the stage: the set and the sample (the weekly totals
    # compare the staged drivers' figures with their staged days: both sides lack it)
    ("delete from ops.stg_driver_trips_14d where driver_id = 'D02'", (1, 0, 1)),
    # a staged day altered but not its figures: the week's recomputation from days, and the sample
    ("update ops.stg_trip_days set trips = trips + 1 where driver_id = 'D06'", (0, 1, 1)),
])
def test_tampered_stage_fails_with_the_parts_that_differ(conn, db_url, defect, expected):
    built_fleet(conn, db_url)
    conn.execute(defect)
    outcome = run_check(conn, CHECK)
    assert outcome_tuple(outcome) == (False, "ERROR", sum(expected), 0)
    assert parts(outcome) == expected


def test_a_row_loaded_with_an_old_created_at_is_caught_and_a_full_rebuild_repairs_it(conn, db_url):
    """A row whose created_at is older than the watermark less the lookback escapes the
    incremental run; the sample's one-shot recomputation from raw sees it."""
    built_fleet(conn, db_url)
    add_raw_days(conn, "D09", [(f"{LEAD2:%d-%m-%Y}", 3, datetime(2025, 1, 1, tzinfo=timezone.utc))])
    build_all(conn, db_url)  # incremental: the row is older than the lookback
    outcome = run_check(conn, CHECK)
    assert (outcome.passed, parts(outcome)) == (False, (0, 0, 1))
    assert outcome.metadata["sample"]["examples"] == ["D09"]
    conn.execute("update ops.stage_state set definition_sha256 = 'force a full rebuild'")
    build_all(conn, db_url)
    assert run_check(conn, CHECK).passed


def test_a_new_recruit_not_yet_staged_fails_the_recruited_set(conn, db_url):
    built_fleet(conn, db_url)
    add_lead_driver(conn, "D11", date(2026, 3, 12))  # recruited now; no staging run since
    outcome = run_check(conn, CHECK)
    assert parts(outcome)[0] == 1 and outcome.metadata["recruited_set"]["examples"] == [
        "D11: not staged -> 2026-03-12"]
