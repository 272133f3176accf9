"""The change sensor on a real database: markers, requests, and a cursor that survives a restart."""

import json
import uuid
from datetime import date

from dagster import (
    DagsterInstance,
    DefaultSensorStatus,
    RunRequest,
    SkipReason,
    build_sensor_context,
)

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.orchestration.sensors.raw_changes import JOB_FOR_TABLE
from tests.support.builders import T0, add_payment
from tests.support.fixtures import insert_rows

raw_tables_changed = defs.resolve_sensor_def("raw_tables_changed")
SCOUT_JOB = "scout_attribution_changed"
CLAIMS_JOB = "claims_or_payments_changed"


def run_tick(cursor: str | None):
    """One tick as the daemon runs it: a fresh context (nothing kept in memory between ticks but
    the cursor string). Returns (what the sensor returned, the cursor it left)."""
    context = build_sensor_context(
        instance=DagsterInstance.ephemeral(), cursor=cursor, resources={"postgres": PostgresResource()}
    )
    result = raw_tables_changed(context)
    return result, context.cursor


def run_requests(result) -> list[RunRequest]:
    if isinstance(result, SkipReason):
        return []
    requests = list(result)
    assert all(isinstance(request, RunRequest) for request in requests)
    return requests


def add_ledger_row(conn, scout_id=7):
    insert_rows(conn, "observational.lead_ledger", [
        {"person_key": uuid.uuid4(), "attributed_scout_id": scout_id, "updated_at": T0},
    ])


def test_sensor_is_off_by_default_and_targets_the_two_refresh_jobs():
    sensor = defs.resolve_sensor_def("raw_tables_changed")
    assert sensor.default_status == DefaultSensorStatus.STOPPED
    assert {target.job_name for target in sensor.targets} == {SCOUT_JOB, CLAIMS_JOB}
    assert set(JOB_FOR_TABLE.values()) == {SCOUT_JOB, CLAIMS_JOB}


def test_first_tick_records_markers_and_requests_nothing(db_url):
    result, cursor = run_tick(None)
    assert isinstance(result, SkipReason)
    assert run_requests(result) == []
    markers = json.loads(cursor)
    assert set(markers) == set(JOB_FOR_TABLE)
    assert markers["observational.lead_ledger"].startswith("0|")

    second, second_cursor = run_tick(cursor)
    assert isinstance(second, SkipReason)
    assert run_requests(second) == []
    assert json.loads(second_cursor) == markers


def test_new_ledger_row_requests_the_scout_job_once(conn, db_url):
    _, cursor = run_tick(None)
    add_ledger_row(conn)

    result, cursor = run_tick(cursor)
    [request] = run_requests(result)
    assert request.job_name == SCOUT_JOB
    assert request.tags["cobranza/trigger"] == "sensor"
    assert request.tags["cobranza/changed"] == "observational.lead_ledger"
    assert json.loads(cursor)["observational.lead_ledger"].startswith("1|")

    # The change is consumed: the next tick requests nothing.
    after, _ = run_tick(cursor)
    assert run_requests(after) == []


def test_new_payment_requests_the_claims_job(conn, db_url):
    _, cursor = run_tick(None)
    add_payment(conn, 1, driver_id="d1", pay_date=date(2026, 3, 20), trip_1=True)

    result, _ = run_tick(cursor)
    [request] = run_requests(result)
    assert request.job_name == CLAIMS_JOB
    assert request.tags["cobranza/changed"] == "public.module_ct_cabinet_payments"


def test_changes_feeding_both_jobs_request_one_run_each(conn, db_url):
    _, cursor = run_tick(None)
    add_ledger_row(conn)
    insert_rows(conn, "observational.lead_events", [
        {"source_table": "x", "source_pk": "1", "person_key": uuid.uuid4(), "scout_id": 3, "created_at": T0},
    ])
    add_payment(conn, 2, driver_id="d2")

    result, _ = run_tick(cursor)
    by_job = {request.job_name: request for request in run_requests(result)}
    assert set(by_job) == {SCOUT_JOB, CLAIMS_JOB}
    assert set(by_job[SCOUT_JOB].tags["cobranza/changed"].split(",")) == {
        "observational.lead_ledger", "observational.lead_events",
    }
    assert by_job[CLAIMS_JOB].tags["cobranza/changed"] == "public.module_ct_cabinet_payments"


def test_cursor_survives_a_restart(conn, db_url):
    add_ledger_row(conn)
    _, cursor = run_tick(None)
    # What Dagster stores is the string; a restarted daemon reads it back into a new context.
    stored = json.dumps(json.loads(cursor))

    result, restarted_cursor = run_tick(stored)
    assert isinstance(result, SkipReason)
    assert run_requests(result) == []
    assert json.loads(restarted_cursor) == json.loads(cursor)

    # ...and a change made while it was down is still seen after the restart.
    add_payment(conn, 3, driver_id="d3")
    result, _ = run_tick(stored)
    assert [request.job_name for request in run_requests(result)] == [CLAIMS_JOB]


def test_evaluate_tick_returns_the_same_cursor_and_requests(conn, db_url):
    """The daemon's path (evaluate_tick) agrees with calling the sensor directly."""
    first = raw_tables_changed.evaluate_tick(
        build_sensor_context(instance=DagsterInstance.ephemeral(), resources={"postgres": PostgresResource()})
    )
    assert first.run_requests == []
    assert first.skip_message
    add_ledger_row(conn)
    second = raw_tables_changed.evaluate_tick(
        build_sensor_context(
            instance=DagsterInstance.ephemeral(), cursor=first.cursor, resources={"postgres": PostgresResource()}
        )
    )
    assert [request.job_name for request in second.run_requests] == [SCOUT_JOB]
    assert json.loads(second.cursor)["observational.lead_ledger"].startswith("1|")
