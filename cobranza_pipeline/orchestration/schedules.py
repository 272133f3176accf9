"""The daily refresh: 02:00 in the business time zone, running as soon as the daemon runs."""

from dagster import DagsterRunStatus, DefaultScheduleStatus, RunRequest, RunsFilter, SkipReason, schedule

from cobranza_pipeline.orchestration.jobs import daily_job

IN_PROGRESS = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
               DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def daily_refresh_schedule(cron: str, timezone: str):
    """The daily job's schedule (COBRANZA_SCHEDULE_CRON in COBRANZA_TIMEZONE; 02:00 Lima)."""

    @schedule(
        name="daily_refresh_schedule",
        job=daily_job,
        cron_schedule=cron,
        execution_timezone=timezone,
        default_status=DefaultScheduleStatus.RUNNING,
        description="Daily full refresh of the ops layer and the MV with every check (02:00 business time).",
    )
    def _daily_refresh(context):
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

    return _daily_refresh
