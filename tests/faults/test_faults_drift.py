"""Drift faults (README "Reliability", items 8 and 12): a raw table changes shape under a built
MV, and someone edits a view and the MV by hand in the database. The contract and drift checks
on their own are in tests/orchestration/test_assets.py and tests/quality/test_checks_upstream.py; here the whole daily
job meets the fault on a built pipeline, with the MV's rows compared before and after."""

import time

import pytest
from dagster import AssetKey

from cobranza_pipeline.orchestration.jobs import CHECKS_JOB_NAME, DAILY_JOB_NAME
from cobranza_pipeline.orchestration.run_errors import root_message
from cobranza_pipeline.warehouse.sqlfiles import read_sql
from tests.support.check_fixtures import built_fleet
from tests.support.faults import (
    MV,
    MV_NODE,
    DashboardReaders,
    mv_checksum,
    ops_catalog_snapshot,
    refresh_log,
    report_figure,
)
from tests.support.fixtures import compose
from tests.support.jobs import run_job

CONTRACT_ERROR = "cobranza_pipeline.warehouse.contract.SourceContractError: the database does not honour the source contract: "
RETYPED_SUMMARY_DAILY = """
    alter table public.summary_daily rename to summary_daily_old;
    create table public.summary_daily (driver_id text, date_file text, count_orders_completed text,
                                       sum_work_time_seconds numeric, created_at timestamptz)
"""


def run(job_name: str):
    started = time.monotonic()
    result = run_job(job_name)
    return result, time.monotonic() - started


# ------------------------------------------------------------- 8. schema drift


@pytest.mark.parametrize("change, undo, named", [
    ("alter table public.drivers rename column full_name to nombre_completo",
     "alter table public.drivers rename column nombre_completo to full_name",
     "public.drivers.full_name: missing column"),
    # A loader replaced the table with one whose column has another type (PostgreSQL refuses an
    # ALTER ... TYPE of a column our views read); the views keep reading the old table.
    (RETYPED_SUMMARY_DAILY,
     "drop table public.summary_daily; alter table public.summary_daily_old rename to summary_daily",
     "public.summary_daily.count_orders_completed: wrong type (expected integer, found text)"),
], ids=["renamed", "retyped"])
def test_schema_drift_stops_the_run_before_any_ddl_and_the_mv_is_untouched(conn, db_url, change, undo, named):
    built_fleet(conn, db_url)
    before, catalog, log = mv_checksum(conn), ops_catalog_snapshot(conn), refresh_log(conn)
    conn.execute(change)
    result, detect = run(DAILY_JOB_NAME)
    assert not result.success
    failures = [event for event in result.all_events if event.is_step_failure]
    assert failures and {root_message(event.event_specific_data.error) for event in failures} == {
        CONTRACT_ERROR + named}
    assert MV_NODE not in {event.step_key for event in result.all_events if event.is_successful_output}
    assert ops_catalog_snapshot(conn) == catalog  # no CREATE, REPLACE, COMMENT, REFRESH or swap ran
    assert refresh_log(conn) == log
    assert mv_checksum(conn) == before  # still readable, same rows

    conn.execute(undo)
    recovered, recover = run(DAILY_JOB_NAME)
    assert recovered.success
    assert mv_checksum(conn) == before
    assert [row[:3] for row in refresh_log(conn)] == [(1, "success", "create"), (1, "success", "concurrent")]
    report_figure(8, f"schema drift ({named})", detect=detect, recover_run=recover)


# ------------------------------------------------------------- 12. definition drift


def drift_evaluation(result):
    [evaluation] = [e for e in result.get_asset_check_evaluations() if e.check_name == "definition_drift"]
    return evaluation


def test_hand_edits_fail_the_drift_check_and_the_next_run_restores_them_while_readers_read(conn, db_url):
    built_fleet(conn, db_url)
    before = mv_checksum(conn)
    scout_names = "select scout_name from {mv} where driver_id = 'D01'"
    assert conn.execute(compose(scout_names, mv=MV)).fetchone() == ("Scout 101",)
    with DashboardReaders(db_url, count=4) as readers:
        # By hand: the scout view renames every scout, and an MV column is renamed.
        conn.execute(read_sql("ops/v_dim_scouts.sql").replace("'Scout ' || scout_id", "'Hand ' || scout_id"))
        conn.execute(compose("alter materialized view {mv} rename column scout_name_normalized to renamed", mv=MV))
        checks, detect = run(CHECKS_JOB_NAME)
        detected = drift_evaluation(checks)
        repaired, recover = run(DAILY_JOB_NAME)
    assert (detected.passed, detected.metadata["value"].value) == (False, 2)
    assert detected.description == (
        f"2 of 16 database objects differ from sql/ (threshold 0): {MV}, ops.v_dim_scouts")
    assert detected.metadata["drifted"].value == {
        MV: "edited in the database by hand", "ops.v_dim_scouts": "edited in the database by hand"}

    assert repaired.success and drift_evaluation(repaired).passed
    materialized = {e.asset_key: e.materialization.metadata for e in repaired.get_asset_materialization_events()}
    assert materialized[AssetKey(["ops", "v_dim_scouts"])]["definition_changed"].value is True
    assert materialized[AssetKey(["ops", "v_driver_identity"])]["definition_changed"].value is False
    assert materialized[AssetKey(MV.split("."))]["mode"].value == "rebuild"
    # The view was restored before the MV was rebuilt: the hand-made names never reached it.
    assert mv_checksum(conn) == before
    assert conn.execute(compose(scout_names, mv=MV)).fetchone() == ("Scout 101",)
    assert readers.errors == [] and len(readers.latencies) > 20
    report_figure(12, "definition drift", detect_checks_run=detect, recover_run=recover,
                  reader_errors=len(readers.errors),
                  reader_max_latency=max(readers.latencies))
