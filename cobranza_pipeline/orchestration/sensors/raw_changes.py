"""Freshness within minutes: the daily job, requested as soon as any raw table changes.

On by default. Each tick reads one O(1) marker per raw table (its storage and its cumulative
insert/update/delete counters: the tick costs the same whatever the history) and compares them
with the cursor. A change requests one run of the daily job, which follows the change
incrementally; while a refresh is already running the tick waits (the cursor stays, so the
change is seen by the next tick). The cursor is stored by Dagster, so a restart resumes where
it was. Each raw table seen changed (every one on the first tick) gets an observation on its
asset: its rows and when the change was seen. The 02:00 schedule stays the daily safety net.
"""

import json
import time

from dagster import (
    AssetObservation,
    DefaultSensorStatus,
    MetadataValue,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from cobranza_pipeline.orchestration.jobs import ALL_JOBS, CHECKS_JOB_NAME, daily_job
from cobranza_pipeline.orchestration.keys import asset_key
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.orchestration.schedules import IN_PROGRESS
from cobranza_pipeline.warehouse.sqlfiles import read_sql

REFRESH_JOBS = [job.name for job in ALL_JOBS if job.name != CHECKS_JOB_NAME]


def changed_tables(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    return sorted(table for table, marker in current.items() if previous.get(table) != marker)


def observations(tables: list[str], rows: dict[str, int]) -> list[AssetObservation]:
    """What the tick saw of each changed table, kept on its raw asset: its rows (statistics)
    and that it changed now (the observation's time is the last change seen)."""
    return [AssetObservation(asset_key=asset_key(table), metadata={
        "dagster/row_count": int(rows[table]), "change_seen_at": MetadataValue.timestamp(time.time()),
    }) for table in tables if table in rows]


def raw_tables_changed_sensor(min_interval_s: int):
    """The change sensor, ticking at most every min_interval_s (COBRANZA_CHANGE_SENSOR_INTERVAL_S)."""

    @sensor(
        job=daily_job,
        name="raw_tables_changed",
        minimum_interval_seconds=min_interval_s,
        default_status=DefaultSensorStatus.RUNNING,
        description="Requests the daily job (incremental: it follows the change) when any raw table changes.",
    )
    def _raw_tables_changed(context: SensorEvaluationContext, postgres: PostgresResource):
        with postgres.connect() as conn:
            markers = conn.execute(read_sql("sensors/raw_change_markers.sql")).fetchall()
        current = {table: marker for table, marker, _ in markers}
        rows = {table: live_rows for table, _, live_rows in markers if live_rows is not None}
        if context.cursor is None:
            return SensorResult(cursor=json.dumps(current, sort_keys=True), asset_events=observations(sorted(rows), rows),
                                skip_reason="first tick: recorded the tables' markers; later changes start a refresh")
        tables = changed_tables(json.loads(context.cursor), current)
        if not tables:
            return SkipReason("no raw table changed")
        running = context.instance.get_runs(filters=RunsFilter(job_name=None, statuses=IN_PROGRESS), limit=20)
        if any(run.job_name in REFRESH_JOBS for run in running):
            return SkipReason(f"{', '.join(tables)} changed; a refresh is running: the next tick requests one")
        return SensorResult(
            run_requests=[RunRequest(job_name=daily_job.name,
                                     tags={"cobranza/trigger": "sensor", "cobranza/changed": ",".join(tables)})],
            cursor=json.dumps(current, sort_keys=True),
            asset_events=observations(tables, rows),
        )

    return _raw_tables_changed
