"""The cobranza-pipeline code location: read this file as the table of contents.

raw tables (external assets) -> ops views and functions -> the cobranza MV, guarded by the
validation suite (asset checks), run by the daily job in process (the steps wait on
PostgreSQL, not on Python). Everything Dagster knows is built in orchestration/ from the
plain declarations of warehouse/ (what the ops layer is) and quality/ (the checks).
"""

from dagster import Definitions, in_process_executor, map_asset_specs

from cobranza_pipeline.orchestration.asset_checks import ASSET_CHECKS
from cobranza_pipeline.orchestration.asset_info import operator_info
from cobranza_pipeline.orchestration.assets import (
    RAW_ASSETS,
    matview_asset,
    normalized_names,
    sql_object_asset,
    staged_trips,
)
from cobranza_pipeline.orchestration.jobs import ALL_JOBS
from cobranza_pipeline.orchestration.report_asset import validation_report
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.orchestration.schedules import daily_refresh_schedule
from cobranza_pipeline.orchestration.sensors.check_alerts import check_alerts_sensor
from cobranza_pipeline.orchestration.sensors.raw_changes import raw_tables_changed_sensor
from cobranza_pipeline.orchestration.sensors.run_alerts import refresh_run_failures_sensor
from cobranza_pipeline.settings import Settings
from cobranza_pipeline.warehouse.catalog import MATERIALIZED_VIEWS, OPS_OBJECTS

settings = Settings.from_env()  # the schedule's time and the sensors' intervals

defs = Definitions(
    assets=map_asset_specs(operator_info(settings), [
        *RAW_ASSETS,
        *(sql_object_asset(obj) for obj in OPS_OBJECTS),
        normalized_names,
        staged_trips,
        *(matview_asset(spec) for spec in MATERIALIZED_VIEWS),
        validation_report,
    ]),
    asset_checks=ASSET_CHECKS,
    jobs=ALL_JOBS,
    schedules=[daily_refresh_schedule(settings.schedule_cron, settings.timezone)],
    sensors=[
        raw_tables_changed_sensor(settings.change_sensor_interval_s),
        check_alerts_sensor(settings.alerts.sensor_interval_s),
        refresh_run_failures_sensor(settings.alerts.sensor_interval_s),
    ],
    resources={"postgres": PostgresResource()},
    executor=in_process_executor,
)
