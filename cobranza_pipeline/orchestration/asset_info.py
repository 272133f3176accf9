"""What an operator reads on each asset page besides the data: who owns it, its tags, the
database relation it is, where the runbook is, and (for the MV) how fresh it must be.

Applied to every asset spec at the edge (definitions.py), from the settings, so the asset
factories stay about building the data.
"""

from datetime import timedelta

from dagster import AssetSpec, FreshnessPolicy, MetadataValue

from cobranza_pipeline.orchestration.keys import MV_GROUP, MV_KEY, RAW_GROUP, REPORT_KEY, STAGE_GROUP, VIEWS_GROUP
from cobranza_pipeline.settings import Settings
from cobranza_pipeline.warehouse.catalog import OPS_OBJECTS

OWNERS = ["team:cobranza-data"]
LAYER = {RAW_GROUP: "raw", VIEWS_GROUP: "ops", STAGE_GROUP: "staged", MV_GROUP: "serving"}
FUNCTIONS = {obj.qualified_name for obj in OPS_OBJECTS if obj.kind == "function"}
# README sections an operator of each layer needs first (GitHub-style anchors).
RUNBOOKS = {
    RAW_GROUP: ("source-contract", "runbook"),
    VIEWS_GROUP: ("the-asset-graph", "runbook"),
    STAGE_GROUP: ("incremental-pipeline", "runbook"),
    MV_GROUP: ("how-the-mv-is-materialized", "validation-suite", "alerts", "runbook"),
}


def operator_info(settings: Settings):
    """A map_asset_specs function adding owners, tags, table name, runbook links and, on the
    MV, a freshness policy (COBRANZA_FRESHNESS_HOURS, as the mv_freshness check)."""

    def _info(spec: AssetSpec) -> AssetSpec:
        group = spec.group_name or ""
        relation = ".".join(spec.key.path)
        metadata = {f"runbook/{section}": MetadataValue.url(f"{settings.docs_url}#{section}")
                    for section in RUNBOOKS.get(group, ("runbook",))}
        if relation not in FUNCTIONS and spec.key != REPORT_KEY:  # a relation readers can query
            metadata["dagster/table_name"] = relation
        spec = spec.merge_attributes(owners=OWNERS, metadata=metadata,
                                     tags={"domain": "cobranza", "layer": LAYER.get(group, "report")})
        if spec.key == MV_KEY:
            spec = spec.replace_attributes(freshness_policy=FreshnessPolicy.time_window(
                fail_window=timedelta(hours=settings.thresholds.freshness_hours)))
        return spec

    return _info
