"""Jobs: what runs together. The daily job is the schedule's; the others are launched by a
person from the UI (Jobs tab -> Launchpad) or by the change sensor."""

from dagster import AssetSelection, define_asset_job

from cobranza_pipeline.orchestration.keys import MV_GROUP, MV_KEY, REPORT_KEY, VIEWS_GROUP, asset_key

DAILY_JOB_NAME = "cobranza_daily"
SCOUT_JOB_NAME = "scout_attribution_changed"
CLAIMS_JOB_NAME = "claims_or_payments_changed"
CHECKS_JOB_NAME = "checks_only"

# Kill a run stuck longer than this (run monitoring must be enabled in dagster.yaml).
MAX_RUNTIME_TAGS = {"dagster/max_runtime": "3600"}


def _ops(*names: str) -> AssetSelection:
    return AssetSelection.assets(*(asset_key(f"ops.{name}") for name in names))


MV_AND_REPORT = AssetSelection.assets(MV_KEY, REPORT_KEY)

daily_job = define_asset_job(
    DAILY_JOB_NAME,
    selection=AssetSelection.groups(VIEWS_GROUP, MV_GROUP),
    description=(
        "Every ops view and function, the cobranza MV (created, refreshed CONCURRENTLY or rebuilt "
        "as needed), every check and the validation report, in one run. The job of the 02:00 "
        "schedule and of `cobranza materialize`; launch it by hand when an immediate full refresh "
        "is needed."
    ),
    tags=MAX_RUNTIME_TAGS,
)

scout_attribution_job = define_asset_job(
    SCOUT_JOB_NAME,
    selection=_ops("v_scout_attribution_raw", "v_scout_attribution", "v_scout_attribution_conflicts", "v_dim_scouts")
    | MV_AND_REPORT,
    description=(
        "Use after scout attribution changes (lead_ledger, lead_events, migrations, scouting "
        "registrations, scouts list): re-applies the attribution views, refreshes the MV and runs "
        "their checks."
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

ALL_JOBS = [daily_job, scout_attribution_job, claims_or_payments_job, checks_only_job]
