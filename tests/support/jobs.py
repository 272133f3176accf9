"""Running a job of the definitions in process, the way Dagster launches it: the resource finds
the database through DATABASE_URL (the db_url fixture sets it). Never raises for a failed step:
the tests assert on the result."""

from dagster import AssetKey, DagsterInstance, ExecuteInProcessResult

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME


def run_job(job_name: str = DAILY_JOB_NAME, instance: DagsterInstance | None = None, run_config=None,
            asset_selection: list[AssetKey] | None = None) -> ExecuteInProcessResult:
    return defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, run_config=run_config, asset_selection=asset_selection, raise_on_error=False)
