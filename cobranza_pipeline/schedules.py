"""The daily refresh: 02:00 in the business time zone, running as soon as the daemon runs."""

import os

from dagster import DagsterRunStatus, DefaultScheduleStatus, RunRequest, RunsFilter, SkipReason, schedule

from cobranza_pipeline import settings
from cobranza_pipeline.jobs import daily_job

IN_PROGRESS = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
               DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]

SCHEDULE_CRON = os.environ.get("COBRANZA_SCHEDULE_CRON", "0 2 * * *")
SCHEDULE_TIMEZONE = settings.business_timezone()


@schedule(
    job=daily_job,
    cron_schedule=SCHEDULE_CRON,
    execution_timezone=SCHEDULE_TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    description="Daily full refresh of the ops layer and the MV with every check (02:00 business time).",
)
def daily_refresh_schedule(context):
    """Skips, saying why, while a run of the daily job is still in progress."""
    running = context.instance.get_runs(
        filters=RunsFilter(job_name=daily_job.name, statuses=IN_PROGRESS), limit=1
    )
    if running:
        return SkipReason(
            f"run {running[0].run_id} of {daily_job.name} is still {running[0].status.value.lower()}; "
            "skipping this tick rather than queueing a second refresh"
        )
    tick = context.scheduled_execution_time
    return RunRequest(run_key=f"daily-{tick:%Y-%m-%d}", tags={"cobranza/trigger": "schedule"})
