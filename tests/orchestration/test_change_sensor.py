"""The change sensor on a real database: markers, requests, and a cursor that survives a restart."""

import json
import time
import uuid

from dagster import (
    DagsterInstance,
    DefaultSensorStatus,
    RunRequest,
    build_sensor_context,
)

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.warehouse.catalog import RAW_TABLES
from cobranza_pipeline.warehouse.sqlfiles import read_sql
from tests.support.builders import T0, add_payment
from tests.support.fixtures import insert_rows

raw_tables_changed = defs.resolve_sensor_def("raw_tables_changed")
DAILY_JOB = "cobranza_daily"


def run_tick(cursor: str | None):
    """One tick as the daemon runs it: a fresh context (nothing kept in memory between ticks but
    the cursor string), through the daemon's own path. Returns (the tick's data, its cursor)."""
    context = build_sensor_context(
        instance=DagsterInstance.ephemeral(), cursor=cursor, resources={"postgres": PostgresResource()}
    )
    result = raw_tables_changed.evaluate_tick(context)
    return result, result.cursor


def run_requests(result) -> list[RunRequest]:
    requests = list(result.run_requests or [])
    assert all(isinstance(request, RunRequest) for request in requests)
    return requests


def observed(result) -> dict[str, int]:
    return {event.asset_key.to_user_string(): event.metadata["dagster/row_count"].value
            for event in result.asset_events}


def add_ledger_row(conn, scout_id=7):
    insert_rows(conn, "observational.lead_ledger", [
        {"person_key": uuid.uuid4(), "attributed_scout_id": scout_id, "updated_at": T0},
    ])


def stats_show_the_write(conn, table: str, before: str, timeout_s: float = 20) -> None:
    """The markers come from the cumulative statistics, which show a write once the writing
    session flushes them (about a second after it goes idle): wait for that."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if marker(conn, table) != before:
            return
        time.sleep(0.2)
    raise AssertionError(f"the statistics never showed the write to {table}")


def marker(conn, table: str) -> str:
    return {name: value for name, value, _ in conn.execute(read_sql("sensors/raw_change_markers.sql"))}[table]


def test_sensor_runs_by_default_and_requests_the_daily_job():
    sensor = defs.resolve_sensor_def("raw_tables_changed")
    assert sensor.default_status == DefaultSensorStatus.RUNNING
    assert [target.job_name for target in sensor.targets] == [DAILY_JOB]
    assert sensor.minimum_interval_seconds == 120


def test_first_tick_records_markers_of_every_raw_table_and_requests_nothing(db_url):
    result, cursor = run_tick(None)
    assert result.skip_message.startswith("first tick")
    assert run_requests(result) == []
    markers = json.loads(cursor)
    assert set(markers) == {table.qualified_name for table in RAW_TABLES}
    # every raw asset gets its rows (none yet) recorded as an observation
    assert observed(result) == {table.qualified_name.replace(".", "/"): 0 for table in RAW_TABLES}

    second, second_cursor = run_tick(cursor)
    assert second.skip_message == "no raw table changed" and observed(second) == {}
    assert json.loads(second_cursor) == markers


def test_a_new_row_in_any_raw_table_requests_one_daily_run(conn, db_url):
    _, cursor = run_tick(None)
    before = marker(conn, "public.summary_daily")
    insert_rows(conn, "public.summary_daily", [{"driver_id": "d1", "date_file": "03-03-2026", "created_at": T0}])
    add_ledger_row(conn)
    stats_show_the_write(conn, "public.summary_daily", before)
    stats_show_the_write(conn, "observational.lead_ledger", json.loads(cursor)["observational.lead_ledger"])

    result, cursor = run_tick(cursor)
    [request] = run_requests(result)
    assert request.job_name == DAILY_JOB
    assert request.tags["cobranza/trigger"] == "sensor"
    assert request.tags["cobranza/changed"] == "observational.lead_ledger,public.summary_daily"
    assert observed(result) == {"observational/lead_ledger": 1, "public/summary_daily": 1}
    [event] = [e for e in result.asset_events if e.asset_key.to_user_string() == "public/summary_daily"]
    assert abs(event.metadata["change_seen_at"].value - time.time()) < 60

    # The change is consumed: the next tick requests nothing.
    after, _ = run_tick(cursor)
    assert run_requests(after) == []


def test_the_marker_costs_the_same_whatever_the_history(conn, db_url):
    """One catalog row per table: the marker query reads no table's rows (its plan has no scan
    of a raw table)."""
    plan = conn.execute("explain (format json) " + read_sql("sensors/raw_change_markers.sql")).fetchone()[0]
    text = json.dumps(plan)
    assert '"Relation Name": "summary_daily"' not in text and '"Relation Name": "drivers"' not in text


def test_cursor_survives_a_restart(conn, db_url):
    _, cursor = run_tick(None)
    stored = json.dumps(json.loads(cursor))  # what Dagster stores is the string
    result, restarted_cursor = run_tick(stored)
    assert run_requests(result) == [] and json.loads(restarted_cursor) == json.loads(cursor)
    # ...and a change made while it was down is still seen after the restart.
    before = marker(conn, "public.module_ct_cabinet_payments")
    add_payment(conn, 3, driver_id="d3")
    stats_show_the_write(conn, "public.module_ct_cabinet_payments", before)
    result, _ = run_tick(stored)
    assert [request.tags["cobranza/changed"] for request in run_requests(result)] == [
        "public.module_ct_cabinet_payments"]


def test_evaluate_tick_returns_the_same_cursor_and_requests(conn, db_url):
    """The daemon's path (evaluate_tick) agrees with calling the sensor directly."""
    first = raw_tables_changed.evaluate_tick(
        build_sensor_context(instance=DagsterInstance.ephemeral(), resources={"postgres": PostgresResource()})
    )
    assert first.run_requests == []
    assert first.skip_message
    before = json.loads(first.cursor)["observational.lead_ledger"]
    add_ledger_row(conn)
    stats_show_the_write(conn, "observational.lead_ledger", before)
    second = raw_tables_changed.evaluate_tick(
        build_sensor_context(
            instance=DagsterInstance.ephemeral(), cursor=first.cursor, resources={"postgres": PostgresResource()}
        )
    )
    assert [request.job_name for request in second.run_requests] == [DAILY_JOB]
    assert json.loads(second.cursor)["observational.lead_ledger"] != before
