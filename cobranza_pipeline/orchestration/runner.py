"""A run summarised for a terminal, from the instance's event log; and a job executed in this
process, for the benchmark and the tests (the CLI launches its runs: launch.py).

The benchmark has resolved the database already; it hands its URL in, bound to the run's
PostgresResource as a plain Python value (never run config, so it is not recorded).
"""

from dataclasses import dataclass, field

from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    Definitions,
    ExecuteInProcessResult,
    ResourceDefinition,
)

from cobranza_pipeline.orchestration.jobs import STAGE_OP
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.orchestration.run_errors import root_message, run_failure_reason
from cobranza_pipeline.quality.report import check_status


@dataclass
class RunSummary:
    run_id: str
    status: str  # the run's Dagster status: SUCCESS, FAILURE, CANCELED
    step_seconds: dict[str, float] = field(default_factory=dict)
    mv_metadata: dict[str, dict[str, object]] = field(default_factory=dict)
    failure: str | None = None
    checks: dict[str, str] = field(default_factory=dict)  # check name -> pass | warn | fail

    @property
    def success(self) -> bool:
        return self.status == DagsterRunStatus.SUCCESS.value

    def render(self) -> str:
        lines = [f"run {self.run_id}: {self.status}"]
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


def run_config(log_level: str = "INFO", full_refresh: bool = False) -> dict:
    """A run's config: the console log level and, with full_refresh, the staged trips rebuilt
    from every raw row."""
    config: dict = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    if full_refresh:
        config["ops"] = {STAGE_OP: {"config": {"full_refresh": True}}}
    return config


def execute_job(defs: Definitions, job_name: str, instance: DagsterInstance, database_url: str,
                log_level: str = "INFO", full_refresh: bool = False) -> ExecuteInProcessResult:
    """One run of the job, in this process, on the database at database_url; never raises for a
    failed step (the result says so)."""
    postgres = ResourceDefinition.hardcoded_resource(PostgresResource.bound_to(database_url))
    return defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, raise_on_error=False, run_config=run_config(log_level, full_refresh),
        resources={"postgres": postgres},
    )


def summarize(instance: DagsterInstance, run_id: str) -> RunSummary:
    """The run's outcome, step durations, check results, MV figures and first failure, read
    from the instance (the run may have been executed by another process)."""
    summary = RunSummary(run_id=run_id, status=instance.get_run_by_id(run_id).status.value)
    for stats in instance.get_run_step_stats(run_id):
        if stats.start_time and stats.end_time:
            summary.step_seconds[stats.step_key] = stats.end_time - stats.start_time
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None:
            continue
        if event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            severity = evaluation.severity.value if evaluation.severity else "ERROR"
            summary.checks[evaluation.check_name] = check_status(evaluation.passed, severity)
        if event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.step_materialization_data.materialization
            if "mode" in materialization.metadata:
                summary.mv_metadata[materialization.asset_key.to_user_string()] = {
                    name: value.value for name, value in materialization.metadata.items()
                }
        if event.event_type == DagsterEventType.STEP_FAILURE and summary.failure is None:
            summary.failure = f"{event.step_key}: {root_message(event.event_specific_data.error)}"
        if event.event_type == DagsterEventType.RUN_FAILURE and summary.failure is None:
            summary.failure = run_failure_reason(record)
        if event.event_type == DagsterEventType.RUN_CANCELED and summary.failure is None:
            summary.failure = "the run was terminated"
    return summary


def new_ephemeral_instance() -> DagsterInstance:
    """An in-memory instance, for runs nobody needs to see later (the benchmark's)."""
    return DagsterInstance.ephemeral()
