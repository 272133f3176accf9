"""The cobranza-pipeline code location: read this file as the table of contents.

raw tables (external assets) -> ops views and functions -> the cobranza MV, guarded by the
validation suite (asset checks), run by the daily job in process (the steps wait on
PostgreSQL, not on Python).
"""

from dagster import Definitions, in_process_executor

from cobranza_pipeline.alert_sensors import check_alerts, refresh_run_failures
from cobranza_pipeline.assets import RAW_ASSETS, matview_asset, sql_object_asset, validation_report
from cobranza_pipeline.catalog import MATERIALIZED_VIEWS, OPS_OBJECTS
from cobranza_pipeline.checks_dagster import ASSET_CHECKS
from cobranza_pipeline.jobs import ALL_JOBS
from cobranza_pipeline.resources import PostgresResource
from cobranza_pipeline.schedules import daily_refresh_schedule
from cobranza_pipeline.sensors import raw_tables_changed

view_assets = [sql_object_asset(obj) for obj in OPS_OBJECTS]
mv_assets = [matview_asset(spec) for spec in MATERIALIZED_VIEWS]

defs = Definitions(
    assets=[*RAW_ASSETS, *view_assets, *mv_assets, validation_report],
    asset_checks=ASSET_CHECKS,
    jobs=ALL_JOBS,
    schedules=[daily_refresh_schedule],
    sensors=[raw_tables_changed, check_alerts, refresh_run_failures],
    resources={"postgres": PostgresResource()},
    executor=in_process_executor,
)
