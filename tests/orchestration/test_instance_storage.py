"""The production instance: the repository's dagster.yaml (its settings, and loading it as the
daemon would), and the daily job with dagster-postgres instance storage on the real database:
runs, materializations and check history land in PostgreSQL."""

import shutil
from datetime import date
from pathlib import Path

import psycopg
import pytest
import yaml
from dagster import (
    AssetCheckKey,
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    instance_for_test,
)
from dagster._core.storage.asset_check_execution_record import (
    AssetCheckExecutionRecordStatus,
)

from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from tests.support.builders import add_lead_driver, add_trips
from tests.support.instances import StorageDatabases, sqlalchemy_storage_url
from tests.support.jobs import run_job

REPO_ROOT = Path(__file__).resolve().parents[2]
MV_KEY = AssetKey(["ops", "mv_yango_cabinet_cobranza_enriched_14d"])


@pytest.fixture
def storage_conninfo(pg_admin_url):
    databases = StorageDatabases(pg_admin_url)
    yield databases.create()
    databases.drop_all()


def two_drivers(conn):
    add_lead_driver(conn, "d1", date(2026, 3, 2))
    add_trips(conn, "d1", {date(2026, 3, 3): 6})
    add_lead_driver(conn, "d2", date(2026, 3, 4))
    add_trips(conn, "d2", {date(2026, 3, 5): 1, date(2026, 3, 6): 30})


def test_storage_url_conversion():
    from sqlalchemy.engine import make_url

    socket_url = sqlalchemy_storage_url("postgresql://postgres:@/dagster_x?host=/tmp/sock")
    assert socket_url == "postgresql+psycopg2://postgres:@/dagster_x?host=%2Ftmp%2Fsock"
    parsed = make_url(socket_url)
    assert (parsed.drivername, parsed.database, parsed.query["host"]) == ("postgresql+psycopg2", "dagster_x", "/tmp/sock")
    assert sqlalchemy_storage_url("host=db.example port=5433 user=u password=p dbname=d") == (
        "postgresql+psycopg2://u:p@db.example:5433/d"
    )


def test_daily_job_with_postgres_instance_storage(conn, db_url, storage_conninfo):
    two_drivers(conn)
    storage_url = sqlalchemy_storage_url(storage_conninfo)

    with instance_for_test(overrides={"storage": {"postgres": {"postgres_url": storage_url}}}) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"

        result = run_job(instance=instance)
        assert result.success
        run_id = result.run_id

        # The run, read back from PostgreSQL.
        run = instance.get_run_by_id(run_id)
        assert run is not None
        assert run.job_name == DAILY_JOB_NAME
        assert run.status == DagsterRunStatus.SUCCESS

        # The MV's materialization is in the event log.
        records = instance.fetch_materializations(MV_KEY, limit=5).records
        assert [record.run_id for record in records] == [run_id]
        metadata = records[0].asset_materialization.metadata
        assert metadata["dagster/row_count"].value == 2
        assert metadata["mode"].value == "create"
        assert instance.get_latest_materialization_event(MV_KEY).run_id == run_id

        # Step events for the MV step were written too.
        successes = instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_SUCCESS).records
        assert "ops__mv_yango_cabinet_cobranza_enriched_14d" in {r.event_log_entry.step_key for r in successes}

        # The check history (what the check-alert sensor reads) shows this run's evaluation.
        history = instance.event_log_storage.get_asset_check_execution_history(
            AssetCheckKey(MV_KEY, "one_row_per_driver"), limit=5
        )
        assert [(record.run_id, record.status) for record in history] == [
            (run_id, AssetCheckExecutionRecordStatus.SUCCEEDED)
        ]
        evaluation = history[0].event.dagster_event.event_specific_data
        assert evaluation.passed is True

    # The storage database itself holds Dagster's tables and the run.
    with psycopg.connect(storage_conninfo) as storage:
        tables = {row[0] for row in storage.execute(
            "select table_name from information_schema.tables where table_schema = 'public'"
        )}
        assert {"runs", "event_logs", "asset_check_executions"} <= tables
        assert storage.execute("select status from runs where run_id = %s", (run_id,)).fetchall() == [("SUCCESS",)]
        assert storage.execute(
            "select count(*) from event_logs where run_id = %s and dagster_event_type = 'ASSET_MATERIALIZATION'"
            " and asset_key like %s",
            (run_id, '%mv_yango_cabinet_cobranza_enriched_14d%'),
        ).fetchone()[0] == 1

    # And the product database got the MV.
    assert conn.execute("select count(*) from ops.mv_yango_cabinet_cobranza_enriched_14d").fetchone()[0] == 2


# --- the production dagster.yaml --------------------------------------------------------------


def repository_instance_home(tmp_path) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    return home


def test_repository_dagster_yaml_settings():
    """Each setting, read through Dagster's instance config schema (field by field; whether the
    combination is accepted is the next test)."""
    from dagster._core.instance.config import (
        dagster_instance_config_schema,
        validate_config,
    )

    raw = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text(encoding="utf-8"))
    validated = validate_config(dagster_instance_config_schema(), raw)
    assert validated.success, validated.errors
    config = validated.value
    assert config["storage"] == {"postgres": {"postgres_url": {"env": "DAGSTER_PG_URL"}}}
    assert config["run_retries"]["enabled"] is True
    assert config["run_retries"]["max_retries"] == 1
    assert config["run_retries"]["retry_on_asset_or_op_failure"] is False
    assert config["run_monitoring"]["enabled"] is True
    assert config["concurrency"]["pools"]["granularity"] == "run"


def test_repository_dagster_yaml_loads_as_the_instance(tmp_path, monkeypatch, storage_conninfo):
    """Load the repository's dagster.yaml as the daemon and the webserver would, with
    DAGSTER_PG_URL pointing at a real (empty) storage database."""
    from dagster._core.instance.config import PoolGranularity, dagster_instance_config

    pg_url = sqlalchemy_storage_url(storage_conninfo)
    monkeypatch.setenv("DAGSTER_PG_URL", pg_url)
    home = repository_instance_home(tmp_path)

    config, custom_class = dagster_instance_config(str(home))
    assert custom_class is None
    assert config["storage"] == {"postgres": {"postgres_url": {"env": "DAGSTER_PG_URL"}}}

    instance = DagsterInstance.from_config(str(home))
    try:
        assert instance.run_retries_enabled is True
        assert instance.run_retries_max_retries == 1
        assert instance.run_retries_retry_on_asset_or_op_failure is False
        assert instance.run_monitoring_enabled is True
        assert instance.get_concurrency_config().pool_config.pool_granularity == PoolGranularity.RUN
        # The storage really is dagster-postgres at the URL from the environment.
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert instance.run_storage.postgres_url == pg_url
        assert instance.get_runs() == []
    finally:
        instance.dispose()
