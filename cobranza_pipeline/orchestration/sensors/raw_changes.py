"""Optional automation: refresh when the raw attribution or payment tables change.

Off by default (turn it on in the UI: Automation -> raw_tables_changed). Each tick reads one
cheap marker per watched table (row count + newest timestamp) and compares it with the cursor;
the cursor is stored by Dagster, so a restart resumes where it was.
"""

import json

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from cobranza_pipeline.orchestration.jobs import claims_or_payments_job, scout_attribution_job
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.warehouse.sqlfiles import read_sql

# Which job refreshes what a table feeds.
JOB_FOR_TABLE = {
    "observational.lead_ledger": scout_attribution_job.name,
    "observational.lead_events": scout_attribution_job.name,
    "public.module_ct_migrations": scout_attribution_job.name,
    "public.module_ct_scouting_daily": scout_attribution_job.name,
    "public.module_ct_scouts_list": scout_attribution_job.name,
    "canon.identity_links": scout_attribution_job.name,
    "public.module_ct_cabinet_payments": claims_or_payments_job.name,
}

def changed_jobs(previous: dict[str, str], current: dict[str, str]) -> dict[str, list[str]]:
    """job name -> the watched tables whose marker moved."""
    jobs: dict[str, list[str]] = {}
    for table, marker in current.items():
        if previous.get(table) != marker:
            jobs.setdefault(JOB_FOR_TABLE[table], []).append(table)
    return jobs


def raw_tables_changed_sensor(min_interval_s: int):
    """The change sensor, ticking at most every min_interval_s (COBRANZA_CHANGE_SENSOR_INTERVAL_S)."""

    @sensor(
        jobs=[scout_attribution_job, claims_or_payments_job],
        name="raw_tables_changed",
        minimum_interval_seconds=min_interval_s,
        default_status=DefaultSensorStatus.STOPPED,
        description="Starts the matching refresh job when raw attribution or payment tables change (off by default).",
    )
    def _raw_tables_changed(context: SensorEvaluationContext, postgres: PostgresResource):
        with postgres.connect() as conn:
            current = dict(conn.execute(read_sql("sensors/raw_change_markers.sql")).fetchall())
        if context.cursor is None:
            context.update_cursor(json.dumps(current, sort_keys=True))
            return SkipReason("first tick: recorded the tables' markers; later changes start a refresh")
        jobs = changed_jobs(json.loads(context.cursor), current)
        context.update_cursor(json.dumps(current, sort_keys=True))
        if not jobs:
            return SkipReason("no watched raw table changed")
        return [
            RunRequest(job_name=job, tags={"cobranza/trigger": "sensor", "cobranza/changed": ",".join(tables)})
            for job, tables in jobs.items()
        ]

    return _raw_tables_changed
