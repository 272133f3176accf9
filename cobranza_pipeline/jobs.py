"""Jobs: what runs together."""

from dagster import AssetSelection, define_asset_job

from cobranza_pipeline.assets import MV_GROUP, VIEWS_GROUP

DAILY_JOB_NAME = "cobranza_daily"

daily_job = define_asset_job(
    DAILY_JOB_NAME,
    selection=AssetSelection.groups(VIEWS_GROUP, MV_GROUP),
    description=(
        "Every ops view and function, then the cobranza MV (created, refreshed CONCURRENTLY "
        "or rebuilt as needed). The job the 02:00 schedule and `cobranza materialize` run."
    ),
)
