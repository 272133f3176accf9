"""Jobs: what runs together. The daily job is the schedule's; the others are launched by a
person from the UI (Jobs tab -> Launchpad) or by the change sensor."""

from dagster import AssetSelection, define_asset_job

from cobranza_pipeline.orchestration.keys import MV_GROUP, MV_KEY, REPORT_KEY, STAGE_GROUP, VIEWS_GROUP, asset_key
from cobranza_pipeline.warehouse.catalog import TRIP_STAGE

DAILY_JOB_NAME = "cobranza_daily"
SCOUT_JOB_NAME = "scout_attribution_changed"
CLAIMS_JOB_NAME = "claims_or_payments_changed"
CHECKS_JOB_NAME = "checks_only"
FULL_REBUILD_JOB_NAME = "full_rebuild"

# Kill a run stuck longer than this (run monitoring must be enabled in dagster.yaml). The
# instances' run_monitoring.max_runtime_seconds is the same, for runs without the tag (the UI's
# asset job, backfills).
MAX_RUNTIME_S = 3600
MAX_RUNTIME_TAGS = {"dagster/max_runtime": str(MAX_RUNTIME_S)}


def _ops(*names: str) -> AssetSelection:
    return AssetSelection.assets(*(asset_key(f"ops.{name}") for name in names))


MV_AND_REPORT = AssetSelection.assets(MV_KEY, REPORT_KEY)
STAGE_KEY = asset_key(TRIP_STAGE.qualified_name)
STAGE_OP = "__".join(STAGE_KEY.path)  # the staged trips' step, whose config asks for a full rebuild
EVERYTHING = AssetSelection.groups(VIEWS_GROUP, STAGE_GROUP, MV_GROUP)

daily_job = define_asset_job(
    DAILY_JOB_NAME,
    selection=EVERYTHING,
    description=(
        "Every ops view and function, the staged trips (following the raw tables' change since the "
        "last run), the cobranza MV (created, refreshed CONCURRENTLY or rebuilt as needed), every "
        "check and the validation report, in one run. The job of the 02:00 schedule, of the change "
        "sensor and of `cobranza materialize`."
    ),
    tags=MAX_RUNTIME_TAGS,
)

full_rebuild_job = define_asset_job(
    FULL_REBUILD_JOB_NAME,
    selection=EVERYTHING,
    config={"ops": {STAGE_OP: {"config": {"full_refresh": True}}}},
    description=(
        "The daily job with the staged trips rebuilt from every raw row instead of followed from "
        "the change: after the stage reconciliation check failed, or a raw table was repaired by "
        "hand. The MV is refreshed CONCURRENTLY as usual, so readers keep reading."
    ),
    tags=MAX_RUNTIME_TAGS,
)

scout_attribution_job = define_asset_job(
    SCOUT_JOB_NAME,
    selection=_ops("v_scout_attribution_raw", "v_scout_attribution", "v_scout_attribution_conflicts", "v_dim_scouts",
                   "v_lead_dates")
    | AssetSelection.assets(STAGE_KEY) | MV_AND_REPORT,
    description=(
        "Use after scout attribution changes (lead_ledger, lead_events, migrations, scouting "
        "registrations, scouts list, identity links): re-applies the attribution views and the lead "
        "dates, follows the staged trips (a changed link can recruit a driver), refreshes the MV and "
        "runs their checks."
    ),
    tags=MAX_RUNTIME_TAGS,
)

claims_or_payments_job = define_asset_job(
    CLAIMS_JOB_NAME,
    selection=_ops("v_yango_payments", "v_claims_14d", "v_cabinet_financial_14d") | MV_AND_REPORT,
    description=(
        "Use after bulk claim or payment updates (Yango's payment report loaded, claims "
        "corrected): re-applies payments, claims and the financial view, refreshes the MV and runs "
        "their checks."
    ),
    tags=MAX_RUNTIME_TAGS,
)

checks_only_job = define_asset_job(
    CHECKS_JOB_NAME,
    selection=AssetSelection.all_asset_checks(),
    description="Runs every check against what is in the database now, without refreshing anything.",
)

ALL_JOBS = [daily_job, full_rebuild_job, scout_attribution_job, claims_or_payments_job, checks_only_job]
