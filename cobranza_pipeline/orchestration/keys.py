"""Names the Dagster layer shares: asset keys, groups, the refresh pool, the run tag and the
statuses a run ends in."""

from dagster import AssetKey, DagsterRunStatus

from cobranza_pipeline.warehouse.catalog import COBRANZA_MV

RAW_GROUP = "raw_sources"
VIEWS_GROUP = "ops_views"
STAGE_GROUP = "ops_staged"
MV_GROUP = "ops_mv"
# Every run that refreshes an MV takes the one slot of this pool (dagster.yaml: counted per run).
MV_REFRESH_POOL = "cobranza_mv_refresh"


def asset_key(qualified_name: str) -> AssetKey:
    """'schema.name' -> AssetKey(["schema", "name"])."""
    return AssetKey(qualified_name.split("."))


MV_KEY = asset_key(COBRANZA_MV.qualified_name)
REPORT_KEY = asset_key("ops.validation_report")
# On every run, recorded by its run worker as it starts: which process runs it, so a run whose
# process died can be told apart from one still going (local/processes.py, dead_runs.py).
PROCESS_TAG = "cobranza/process"
FINISHED = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]
