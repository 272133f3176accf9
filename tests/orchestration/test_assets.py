"""The asset graph materialized by Dagster on a real database, and the source contract."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from dagster import AssetKey, DagsterEventType, materialize

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.run_errors import root_message
from cobranza_pipeline.warehouse.contract import SourceContractError
from tests.support.fixtures import insert_rows
from tests.support.jobs import run_job

MV_KEY = AssetKey(["ops", "mv_yango_cabinet_cobranza_enriched_14d"])


def one_driver_with_six_trips(conn, driver_id="d1", scout_id=7):
    person = uuid.uuid4()
    insert_rows(conn, "public.drivers", [{"driver_id": driver_id, "full_name": "José Pérez"}])
    insert_rows(conn, "canon.identity_links", [
        {"person_key": person, "source_table": "drivers", "source_pk": driver_id},
        {"person_key": person, "source_table": "module_ct_cabinet_leads", "source_pk": "L-" + driver_id},
    ])
    insert_rows(conn, "public.module_ct_cabinet_leads", [
        {"id": 1, "external_id": "L-" + driver_id, "lead_created_at": dt.datetime(2026, 3, 2, 9)}
    ])
    insert_rows(conn, "public.summary_daily", [
        {"driver_id": driver_id, "date_file": "03-03-2026", "count_orders_completed": 6, "sum_work_time_seconds": 3600}
    ])
    if scout_id is not None:
        insert_rows(conn, "observational.lead_ledger", [{"person_key": person, "attributed_scout_id": scout_id}])


def run_daily_job():
    return run_job()


def mv_metadata(result):
    [materialization] = [m for m in result.asset_materializations_for_node("ops__mv_yango_cabinet_cobranza_enriched_14d")]
    return {name: value.value for name, value in materialization.metadata.items()}


def test_daily_job_builds_the_mv_with_business_metadata(conn, db_url):
    one_driver_with_six_trips(conn)
    first = run_daily_job()
    assert first.success
    metadata = mv_metadata(first)
    # 6 trips: M1 25.00 + M5 35.00 = 60.00 owed, nothing paid, scout from the ledger.
    assert metadata["dagster/row_count"] == 1
    assert metadata["mode"] == "create"
    assert metadata["drivers_with_debt"] == 1
    assert Decimal(str(metadata["total_debt_pen"])) == Decimal("60.00")
    assert metadata["pct_with_scout"] == 100.0

    insert_rows(conn, "public.summary_daily", [
        {"driver_id": "d1", "date_file": "2026-03-04", "count_orders_completed": 19, "sum_work_time_seconds": 1}
    ])
    second = run_daily_job()
    assert second.success
    # 6 + 19 = 25 trips: + M25 100.00 = 160.00
    assert mv_metadata(second)["mode"] == "concurrent"
    assert Decimal(str(mv_metadata(second)["total_debt_pen"])) == Decimal("160.00")
    view_runs = [m for m in second.get_asset_materialization_events() if m.asset_key.path[-1].startswith("v_")]
    assert view_runs and not any(e.materialization.metadata["definition_changed"].value for e in view_runs)


def test_missing_raw_column_stops_before_any_ddl(conn, db_url):
    conn.execute("alter table public.summary_daily rename column date_file to fecha")
    result = run_daily_job()
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "public.summary_daily.date_file: missing column" in root_message(failure.event_specific_data.error)
    assert conn.execute("select count(*) from pg_namespace where nspname = 'ops'").fetchone()[0] == 0


def test_missing_raw_table_and_wrong_type_are_named(conn, db_url):
    conn.execute("drop table observational.lead_events")
    conn.execute("alter table public.module_ct_cabinet_payments alter column trip_1 type text")
    from cobranza_pipeline.warehouse.contract import verify_source_contract

    with pytest.raises(SourceContractError) as raised:
        verify_source_contract(conn)
    message = str(raised.value)
    assert "observational.lead_events: missing table" in message
    assert "public.module_ct_cabinet_payments.trip_1: wrong type (expected boolean, found text)" in message
    assert "drivers" not in message


def test_materialize_selected_assets_in_process(conn, db_url):
    """What a person clicking Materialize on the MV in the UI gets, once views exist."""
    one_driver_with_six_trips(conn, scout_id=None)
    everything = materialize(
        [*defs.assets], resources={"postgres": defs.resources["postgres"]}, selection="*"
    )
    assert everything.success
    assert conn.execute(
        "select scout_quality_bucket, is_scout_resolved from ops.mv_yango_cabinet_cobranza_enriched_14d"
    ).fetchall() == [("MISSING", False)]


def test_a_failed_refresh_says_the_mv_is_stale_but_serving_and_since_when(conn, db_url, instance):
    """Materialize on the MV alone fails (a raw column is gone): the asset is failed, and an
    observation says readers still get the rows of the last successful refresh."""
    one_driver_with_six_trips(conn)
    assert run_daily_job().success
    [last_success] = conn.execute(
        "select max(finished_at) from ops.mv_refresh_log where status = 'success'").fetchone()
    conn.execute("alter table public.summary_daily rename column date_file to fecha")
    failed = run_job(instance=instance, asset_selection=[MV_KEY])
    assert not failed.success
    [record] = instance.all_logs(failed.run_id, of_type=DagsterEventType.ASSET_OBSERVATION)
    observation = record.dagster_event.event_specific_data.asset_observation
    assert observation.asset_key == MV_KEY
    metadata = observation.metadata
    assert metadata["rows_served"].value == 1
    assert metadata["serving_rows_of"].value == last_success.timestamp()
    assert dt.datetime.now().timestamp() - metadata["stale_since"].value < 60
    lima = last_success.astimezone(dt.timezone(dt.timedelta(hours=-5)))  # the business time zone
    assert metadata["serving"].value == f"stale, serving the 1 rows of the refresh of {lima:%Y-%m-%d %H:%M} -05"
    assert conn.execute("select count(*) from ops.mv_yango_cabinet_cobranza_enriched_14d").fetchone()[0] == 1


def test_the_mv_shows_its_table_columns_owners_runbooks_and_freshness(conn, db_url, instance):
    one_driver_with_six_trips(conn)
    assert run_job(instance=instance).success
    materialization = instance.get_latest_materialization_event(MV_KEY).asset_materialization
    schema = materialization.metadata["dagster/column_schema"].value
    types = {column.name: column.type for column in schema.columns}
    expected = conn.execute(
        "select attname, format_type(atttypid, atttypmod) from pg_attribute"
        " where attrelid = 'ops.mv_yango_cabinet_cobranza_enriched_14d'::regclass and attnum > 0"
        " order by attnum").fetchall()
    assert list(types.items()) == expected and len(expected) > 30
    assert types["driver_id"] == "text" and types["amount_due_yango"].startswith("numeric")
    node = defs.resolve_asset_graph().get(MV_KEY)
    assert node.metadata["dagster/table_name"] == "ops.mv_yango_cabinet_cobranza_enriched_14d"
    assert node.owners == ["team:cobranza-data"]
    assert (node.tags["domain"], node.tags["layer"]) == ("cobranza", "serving")
    runbook = node.metadata["runbook/runbook"]
    assert (type(runbook).__name__, runbook.url.endswith("README.md#runbook")) == ("UrlMetadataValue", True)
    assert node.freshness_policy.fail_window.to_timedelta() == dt.timedelta(hours=26)
    function = defs.resolve_asset_graph().get(AssetKey(["ops", "normalize_name"]))
    assert "dagster/table_name" not in function.metadata  # a function is no table
