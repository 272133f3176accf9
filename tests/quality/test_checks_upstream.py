"""docs/checks.md, the last checks: freshness, definition drift and the upstream checks (grain of
the attribution and claims views, attribution conflicts, paid-without-achievement,
unparseable dates). Clean hand-made fixtures pass; each defect gives the exact value."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from cobranza_pipeline.settings import Thresholds
from cobranza_pipeline.warehouse.sqlfiles import read_sql
from tests.support.builders import (
    MV,
    add_lead_driver,
    add_payment,
    add_raw_days,
    add_trips,
)
from tests.support.check_fixtures import (
    LEAD1,
    T_UTC,
    add_ledger,
    add_migration,
    built_fleet,
    duplicate_view_rows,
    outcome_tuple,
    run_check,
)
from tests.support.fixtures import build_all, build_ops_layer, insert_rows

# ---------------------------------------------------------------- 8. freshness


def test_mv_freshness_passes_right_after_a_refresh(conn, db_url):
    built_fleet(conn, db_url)
    outcome = run_check(conn, "mv_freshness")
    assert (outcome.passed, outcome.severity, outcome.threshold) == (True, "ERROR", 26.0)
    assert Decimal("0") <= outcome.value < Decimal("0.1")  # seconds ago, in hours (2 decimals)
    assert outcome.metadata["last_success"] is not None
    assert outcome.description == f"last successful refresh {outcome.value} h ago (threshold 26 h)"


def test_mv_freshness_fails_30_hours_after_the_last_success(conn, db_url):
    built_fleet(conn, db_url)
    conn.execute("update ops.mv_refresh_log set finished_at = now() - interval '30 hours'")
    # a newer failed attempt and a fresh success of another MV do not count
    conn.execute("insert into ops.mv_refresh_log (mv_name, attempt, finished_at, status) values "
                 f"('{MV}', 1, now(), 'failed'), ('ops.some_other_mv', 1, now(), 'success')")
    outcome = run_check(conn, "mv_freshness")
    assert (outcome.passed, outcome.severity, outcome.threshold) == (False, "ERROR", 26.0)
    assert Decimal("29.9") < outcome.value < Decimal("30.1")
    assert f"last successful refresh {outcome.value} h ago (threshold 26 h)" == outcome.description
    # the window is configurable: 30 h ago is fresh within 48 h
    assert run_check(conn, "mv_freshness", Thresholds(freshness_hours=48)).passed


@pytest.mark.parametrize("defect", ["delete from ops.mv_refresh_log",
                                    "update ops.mv_refresh_log set status = 'failed'"])
def test_mv_freshness_fails_without_any_successful_refresh(conn, db_url, defect):
    built_fleet(conn, db_url)
    conn.execute(defect)
    outcome = run_check(conn, "mv_freshness")
    assert outcome_tuple(outcome) == (False, "ERROR", None, 26.0)
    assert outcome.description == f"no successful refresh recorded for {MV} (threshold 26 h)"


# ---------------------------------------------------------------- 10. definition drift


def test_definition_drift_zero_after_a_build_and_after_reapplying_the_same_file(conn, db_url):
    built_fleet(conn, db_url)
    outcome = run_check(conn, "definition_drift")
    # 13 ops objects (10 views, 3 functions) + 2 staged tables (trips, names) + 1 MV
    assert outcome_tuple(outcome) == (True, "ERROR", 0, 0)
    assert outcome.description == "0 of 16 database objects differ from sql/ (threshold 0)"
    conn.execute(read_sql("ops/v_dim_scouts.sql"))  # the repository's text again: not drift
    assert run_check(conn, "definition_drift").value == 0


@pytest.mark.parametrize("name, edit", [
    ("ops.v_dim_scouts", lambda text: text.replace("coalesce(is_active, true)", "coalesce(is_active, false)")),
    ("ops.v_dim_scouts", lambda text: text.rstrip().rstrip(";") + "\nwhere true;"),
    ("ops.normalize_name", None),  # the function, replaced by hand
])
def test_definition_drift_hand_edit(conn, db_url, name, edit):
    built_fleet(conn, db_url)
    if edit is None:
        conn.execute("create or replace function ops.normalize_name(raw_name text) returns text "
                     "language sql immutable as $$ select upper(raw_name) $$")
    else:
        conn.execute(edit(read_sql("ops/v_dim_scouts.sql")))
    outcome = run_check(conn, "definition_drift")
    assert outcome_tuple(outcome) == (False, "ERROR", 1, 0)
    assert outcome.metadata["drifted"] == {name: "edited in the database by hand"}
    assert outcome.description == f"1 of 16 database objects differ from sql/ (threshold 0): {name}"


@pytest.mark.parametrize("statement, name, problem", [
    ("drop view ops.v_scout_attribution_conflicts", "ops.v_scout_attribution_conflicts", "missing in the database"),
    (f"drop materialized view {MV}", MV, "missing in the database"),
    ("comment on view ops.v_claims_14d is 'cobranza-pipeline: ops/v_claims_14d.sql sha256=" + "0" * 64
     + " deparsed=" + "0" * 64 + "'", "ops.v_claims_14d", "built from a different version of its SQL file"),
    ("update ops.stage_state set definition_sha256 = 'old' where stage = 'trip_days'", "ops.stg_driver_trips_14d",
     "built from a different version of its SQL file"),
])
def test_definition_drift_missing_or_built_from_another_file(conn, db_url, statement, name, problem):
    built_fleet(conn, db_url)
    conn.execute(statement)
    outcome = run_check(conn, "definition_drift")
    assert outcome_tuple(outcome) == (False, "ERROR", 1, 0)
    assert outcome.metadata["drifted"] == {name: problem}
    assert outcome.description.endswith(f"differ from sql/ (threshold 0): {name}")


def test_definition_drift_without_the_mv_counts_only_the_mv(conn, db_url):
    build_ops_layer(conn)  # views and the function, no MV yet
    outcome = run_check(conn, "definition_drift")
    assert outcome.value == 1 and outcome.metadata["drifted"] == {MV: "missing in the database"}


# ---------------------------------------------------------------- 9. upstream grain


def test_upstream_grain_checks_pass_with_duplicated_raw_evidence(conn, db_url):
    persons = built_fleet(conn, db_url)
    # raw duplicates the views must absorb: a second ledger row (same scout) and a repeated payment
    add_ledger(conn, persons["D01"], 101, T_UTC)
    add_payment(conn, 99, driver_id="D01", trip_1=True)
    add_trips(conn, "D02", {date(2026, 3, 5): 6})  # D02's trip day loaded twice
    for name in ("one_row_per_person", "one_row_per_driver_milestone"):
        outcome = run_check(conn, name)
        assert outcome_tuple(outcome) == (True, "ERROR", 0, 0), name
        assert outcome.metadata["examples"] == []
    # 10 persons; claims: D01 and D06 3 each, D02 and D07 2 each, D03 and D08 1 each = 12
    assert conn.execute("select count(*) from ops.v_scout_attribution").fetchone()[0] == 10
    assert conn.execute("select count(*) from ops.v_claims_14d").fetchone()[0] == 12


def test_one_row_per_person_counts_duplicated_persons(conn, db_url):
    persons = built_fleet(conn, db_url)
    duplicated = sorted(str(persons[d]) for d in ("D02", "D07"))
    duplicate_view_rows(conn, "ops.v_scout_attribution", "scout_id in (102, 107)")
    outcome = run_check(conn, "one_row_per_person")
    assert outcome_tuple(outcome) == (False, "ERROR", 2, 0)
    assert outcome.description == "2 persons with more than one canonical scout (threshold 0)"
    assert outcome.metadata["examples"] == duplicated


def test_one_row_per_driver_milestone_counts_duplicated_claims(conn, db_url):
    built_fleet(conn, db_url)
    duplicate_view_rows(conn, "ops.v_claims_14d", "driver_id = 'D01'")  # its 3 claims, twice
    outcome = run_check(conn, "one_row_per_driver_milestone")
    assert outcome_tuple(outcome) == (False, "ERROR", 3, 0)
    assert outcome.description == "3 duplicated (driver, milestone) claims (threshold 0)"
    assert outcome.metadata["examples"] == ["D01:1", "D01:5", "D01:25"]  # milestone order, not text


# ---------------------------------------------------------------- 9. reported upstream (WARN)


def test_attribution_conflicts_clean_when_sources_agree(conn, db_url):
    p = add_lead_driver(conn, "C1", LEAD1)
    add_ledger(conn, p, 7)
    add_migration(conn, 1, "C1", 7, p)  # second source, same scout: no conflict
    build_all(conn, db_url)
    assert outcome_tuple(run_check(conn, "attribution_conflicts")) == (True, "WARN", 0, 0)


def test_attribution_conflicts_reports_two_scouts_for_one_person(conn, db_url):
    p = add_lead_driver(conn, "C1", LEAD1)
    add_ledger(conn, p, 7)
    add_migration(conn, 1, "C1", 8, p)
    q = add_lead_driver(conn, "C2", LEAD1)
    add_ledger(conn, q, 9)
    build_all(conn, db_url)
    outcome = run_check(conn, "attribution_conflicts")
    assert outcome_tuple(outcome) == (False, "WARN", 1, 0)
    assert outcome.description == "1 persons whose evidence names more than one scout (threshold 0)"
    # ledger (priority 1) beats migration (priority 3): canonical 7
    assert outcome.metadata["examples"] == [f"{p}: scouts {{7,8}} -> 7"]


def test_paid_without_achievement_clean_when_trips_confirm_payments(conn, db_url):
    add_lead_driver(conn, "P1", LEAD1)
    add_trips(conn, "P1", {LEAD1: 5})
    add_payment(conn, 1, driver_id="P1", trip_1=True, trip_5=True, trip_25=False)  # M25 reported unpaid
    build_all(conn, db_url)
    outcome = run_check(conn, "paid_without_achievement")
    assert outcome_tuple(outcome) == (True, "WARN", 0, 0)
    assert outcome.metadata["unconfirmed_paid_pen"] == Decimal("0")


def test_paid_without_achievement_reports_a_paid_m25_with_3_trips(conn, db_url):
    add_lead_driver(conn, "P1", LEAD1)
    add_trips(conn, "P1", {LEAD1: 3})                  # M1 reached, M25 not
    add_payment(conn, 1, driver_id="P1", trip_1=True, trip_25=True)
    add_lead_driver(conn, "P2", LEAD1)
    add_trips(conn, "P2", {LEAD1: 1})
    add_payment(conn, 2, driver_id="P2", trip_1=True)  # confirmed: not reported
    build_all(conn, db_url)
    outcome = run_check(conn, "paid_without_achievement")
    assert outcome_tuple(outcome) == (False, "WARN", 1, 0)
    assert outcome.description == "1 drivers paid for a milestone the trips do not confirm (threshold 0)"
    # only the unconfirmed M25 counts: 100.00 (M1 25.00 is confirmed by the trips)
    assert outcome.metadata["unconfirmed_paid_pen"] == Decimal("100.00")
    assert outcome.metadata["examples"] == ["P1"]


def test_unparseable_dates_clean_in_both_formats(conn, db_url):
    add_raw_days(conn, "U1", [("05-03-2026", 2, T_UTC), ("2026-03-06", 3, T_UTC), (" 29-02-2028 ", 1, T_UTC)])
    build_all(conn, db_url)
    outcome = run_check(conn, "unparseable_dates")
    assert outcome_tuple(outcome) == (True, "WARN", 0, 0)


def test_unparseable_dates_counts_invalid_rows(conn, db_url):
    add_raw_days(conn, "U1", [("05-03-2026", 2, T_UTC), ("31-02-2026", 4, T_UTC), ("2026-03-06", 3, T_UTC),
                              ("N/A", 1, T_UTC)])
    build_all(conn, db_url)
    outcome = run_check(conn, "unparseable_dates")
    assert outcome_tuple(outcome) == (False, "WARN", 2, 0)   # 31 February and 'N/A' of 4 rows
    assert outcome.description == "2 summary_daily rows with an unparseable date_file (threshold 0)"
    assert sorted(outcome.metadata["examples"]) == ["31-02-2026", "N/A"]


def test_out_of_range_dates_clean_then_counts_each_raw_row_set_aside(conn, db_url):
    built_fleet(conn, db_url)
    assert outcome_tuple(run_check(conn, "out_of_range_dates")) == (True, "WARN", 0, 0)
    insert_rows(conn, "public.module_ct_cabinet_leads", [
        {"id": 9001, "external_id": "FAR", "lead_created_at": datetime(2999, 1, 1)},
        {"id": 9002, "external_id": "INF", "lead_created_at": "infinity"},
    ])
    insert_rows(conn, "public.module_ct_migrations", [{"id": 9003, "driver_id": "D01", "scout_id": 7,
                                                       "hire_date": date(1999, 12, 31)}])
    outcome = run_check(conn, "out_of_range_dates")
    assert outcome_tuple(outcome) == (False, "WARN", 3, 0)
    assert outcome.metadata["examples"] == ["module_ct_cabinet_leads 9001: 2999-01-01",
                                            "module_ct_cabinet_leads 9002: infinity",
                                            "module_ct_migrations 9003: 1999-12-31"]
    build_all(conn, db_url)  # and the MV does not care: no lead date from them, no error
    assert conn.execute("select count(*) from ops.mv_yango_cabinet_cobranza_enriched_14d").fetchone()[0] == 10
