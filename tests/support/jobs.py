"""Running a job of the definitions in process, the way Dagster launches it: the resource finds
the database through DATABASE_URL (the db_url fixture sets it). Never raises for a failed step:
the tests assert on the result. And finding the run worker of a run someone else launched."""

from pathlib import Path

from dagster import AssetKey, DagsterInstance, DagsterRunStatus, ExecuteInProcessResult, RunsFilter

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.keys import PROCESS_TAG


def run_job(job_name: str = DAILY_JOB_NAME, instance: DagsterInstance | None = None, run_config=None,
            asset_selection: list[AssetKey] | None = None) -> ExecuteInProcessResult:
    return defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, run_config=run_config, asset_selection=asset_selection, raise_on_error=False)


def started_run_worker(dagster_home: Path) -> tuple[str, int] | None:
    """The id and the run worker's pid of a started run of the instance (the process a
    `cobranza materialize` had Dagster launch, recorded on the run as it starts), if any."""
    instance = DagsterInstance.from_config(str(dagster_home))
    try:
        for run in instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED])):
            if PROCESS_TAG in run.tags:
                return run.run_id, int(run.tags[PROCESS_TAG].split(":")[1])
        return None
    finally:
        instance.dispose()
