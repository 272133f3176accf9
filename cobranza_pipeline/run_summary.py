"""Running the daily job in process and summarising it for a terminal."""

from dataclasses import dataclass, field

from dagster import DagsterEventType, DagsterInstance

from cobranza_pipeline.jobs import DAILY_JOB_NAME
from cobranza_pipeline.validate import check_status


@dataclass
class RunSummary:
    run_id: str
    success: bool
    step_seconds: dict[str, float] = field(default_factory=dict)
    mv_metadata: dict[str, dict[str, object]] = field(default_factory=dict)
    failure: str | None = None
    checks: dict[str, str] = field(default_factory=dict)  # check name -> pass | warn | fail

    def render(self) -> str:
        lines = [f"run {self.run_id}: {'SUCCESS' if self.success else 'FAILURE'}"]
        if self.failure:
            lines.append(f"  failure: {self.failure}")
        for key, figures in self.mv_metadata.items():
            lines.append(f"  {key}")
            lines.append(
                f"    rows {figures.get('dagster/row_count')}, drivers with debt {figures.get('drivers_with_debt')}, "
                f"total debt S/ {figures.get('total_debt_pen', 0):,.2f}, with scout {figures.get('pct_with_scout')} %, "
                f"mode {figures.get('mode')}"
            )
        if self.checks:
            counts = {status: list(self.checks.values()).count(status) for status in ("pass", "warn", "fail")}
            lines.append(f"  checks: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail")
            lines += [f"    [{status.upper()}] {name}" for name, status in self.checks.items() if status != "pass"]
        lines.append("  duration per asset:")
        for step, seconds in self.step_seconds.items():
            lines.append(f"    {step:78s} {seconds:7.2f} s")
        return "\n".join(lines)


def run_daily_job(instance: DagsterInstance | None = None) -> RunSummary:
    from cobranza_pipeline.definitions import defs

    instance = instance or DagsterInstance.get()
    result = defs.resolve_job_def(DAILY_JOB_NAME).execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
    )
    summary = RunSummary(run_id=result.run_id, success=result.success)
    for stats in instance.get_run_step_stats(result.run_id):
        if stats.start_time and stats.end_time:
            summary.step_seconds[stats.step_key] = stats.end_time - stats.start_time
    for evaluation in result.get_asset_check_evaluations():
        severity = evaluation.severity.value if evaluation.severity else "ERROR"
        summary.checks[evaluation.check_name] = check_status(evaluation.passed, severity)
    for event in result.all_events:
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.step_materialization_data.materialization
            if "mode" in materialization.metadata:
                summary.mv_metadata[materialization.asset_key.to_user_string()] = {
                    name: value.value for name, value in materialization.metadata.items()
                }
        if event.event_type == DagsterEventType.STEP_FAILURE and summary.failure is None:
            summary.failure = f"{event.step_key}: {root_message(event.event_specific_data.error)}"
        failed_before_steps = event.event_type == DagsterEventType.RUN_FAILURE and summary.failure is None
        if failed_before_steps and event.event_specific_data and event.event_specific_data.error:
            summary.failure = root_message(event.event_specific_data.error)  # e.g. the database went away
    return summary


def root_message(error) -> str:
    """The error that says why, from a Dagster SerializableErrorInfo chain: the first one below
    Dagster's own wrappers. Not the innermost: a RefreshError names the limit or the blocking
    session, the psycopg error it was raised from only says "canceling statement"."""
    while error.cause is not None and (error.cls_name or "").startswith("Dagster"):
        error = error.cause
    return error.message.strip()
