"""The daily schedule and what each job selects (the production dagster.yaml is tested in
test_instance_storage.py)."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dagster import (
    AssetCheckKey,
    AssetKey,
    DagsterInstance,
    DagsterRunStatus,
    DefaultScheduleStatus,
    RunRequest,
    build_schedule_context,
    instance_for_test,
    validate_run_config,
)

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.quality.suite import CHECKS

DAILY = "cobranza_daily"
SCOUT = "scout_attribution_changed"
CLAIMS = "claims_or_payments_changed"
CHECKS_ONLY = "checks_only"

MV = "ops/mv_yango_cabinet_cobranza_enriched_14d"
REPORT = "ops/validation_report"
STAGE = "ops/stg_driver_trips_14d"
OPS = [
    "ops/business_date", "ops/normalize_name", "ops/parse_date_file", STAGE, "ops/stg_normalized_names",
    "ops/v_cabinet_financial_14d",
    "ops/v_claims_14d", "ops/v_dim_scouts", "ops/v_driver_identity", "ops/v_lead_dates", "ops/v_milestone_amounts",
    "ops/v_scout_attribution", "ops/v_scout_attribution_conflicts", "ops/v_scout_attribution_raw",
    "ops/v_yango_payments",
]
SCOUT_ASSETS = [
    "ops/v_scout_attribution_raw", "ops/v_scout_attribution", "ops/v_scout_attribution_conflicts",
    "ops/v_dim_scouts", "ops/v_lead_dates", STAGE, MV, REPORT,
]
CLAIMS_ASSETS = ["ops/v_yango_payments", "ops/v_claims_14d", "ops/v_cabinet_financial_14d", MV, REPORT]

TICK_0200_LIMA = datetime(2026, 11, 25, 2, 0, tzinfo=ZoneInfo("America/Lima"))


def asset_keys(names) -> set[AssetKey]:
    return {AssetKey.from_user_string(name) for name in names}


def every_ops_asset() -> set[AssetKey]:
    """Every asset of the ops schema in the definitions (views, functions, the MV, the report):
    what the daily job must select. The raw tables are the only other assets."""
    everything = defs.resolve_asset_graph().get_all_asset_keys()
    ops = {key for key in everything if key.path[0] == "ops"}
    # Not vacuous: at least the views and functions known when this test was written.
    assert asset_keys(OPS + [MV, REPORT]) <= ops
    assert all(key.path[0] in ("public", "observational", "canon") for key in everything - ops)
    return ops


def check_key(spec) -> AssetCheckKey:
    return AssetCheckKey(AssetKey(spec.asset.split(".")), spec.name)


def checks_on(names) -> set[AssetCheckKey]:
    """The check keys of CHECKS whose asset is one of names ("ops/v_x" form)."""
    wanted = asset_keys(names)
    return {check_key(spec) for spec in CHECKS if AssetKey(spec.asset.split(".")) in wanted}


ALL_CHECKS = {check_key(spec) for spec in CHECKS}


def selected_check_keys(job) -> set[AssetCheckKey]:
    layer = job.asset_layer
    from_graph = set(layer.asset_graph.asset_check_keys)
    # The same set seen from the executable nodes (a subset of a multi-check definition would show
    # here first).
    from_nodes = set().union(*(data.assets_def.check_keys for data in layer.data))
    assert from_graph == from_nodes
    return from_graph


# --- schedule ---------------------------------------------------------------------------------


def schedule_def():
    return defs.resolve_schedule_def("daily_refresh_schedule")


def daily_job_origin():
    """Where a queued run would be launched from (Dagster requires one for QUEUED runs)."""
    from dagster._core.remote_origin import (
        InProcessCodeLocationOrigin,
        RemoteJobOrigin,
        RemoteRepositoryOrigin,
    )
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

    location = InProcessCodeLocationOrigin(
        loadable_target_origin=LoadableTargetOrigin(module_name="cobranza_pipeline.definitions")
    )
    return RemoteJobOrigin(
        repository_origin=RemoteRepositoryOrigin(code_location_origin=location, repository_name="__repository__"),
        job_name=DAILY,
    )


def add_run(instance: DagsterInstance, job_name: str, status: DagsterRunStatus) -> str:
    run_id = str(uuid.uuid4())
    instance.create_run_for_job(
        job_def=defs.resolve_job_def(job_name),
        run_id=run_id,
        status=status,
        remote_job_origin=daily_job_origin() if status == DagsterRunStatus.QUEUED else None,
    )
    assert instance.get_run_by_id(run_id).status == status
    return run_id


def tick(instance: DagsterInstance):
    return schedule_def().evaluate_tick(
        build_schedule_context(instance=instance, scheduled_execution_time=TICK_0200_LIMA)
    )


def test_schedule_definition():
    schedule = schedule_def()
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "America/Lima"
    assert schedule.default_status == DefaultScheduleStatus.RUNNING
    assert schedule.job_name == DAILY


def test_ephemeral_instance_is_not_handed_to_the_schedule():
    """Dagster 1.13 only passes a persistent instance to a schedule context: with
    DagsterInstance.ephemeral() the schedule's run lookup cannot work, so the tick tests below use
    instance_for_test() (a temporary sqlite instance)."""
    context = build_schedule_context(instance=DagsterInstance.ephemeral(), scheduled_execution_time=TICK_0200_LIMA)
    assert context.instance_ref is None


def test_tick_at_0200_lima_requests_the_daily_job_with_valid_config():
    with instance_for_test() as instance:
        result = tick(instance)
    assert result.skip_message is None
    [run_request] = result.run_requests
    assert isinstance(run_request, RunRequest)
    assert run_request.job_name in (None, DAILY)  # None: the schedule's own job
    assert run_request.run_key == "daily-2026-11-25"
    assert run_request.tags["cobranza/trigger"] == "schedule"
    validated = validate_run_config(defs.resolve_job_def(DAILY), run_request.run_config)
    assert "ops__mv_yango_cabinet_cobranza_enriched_14d" in validated["ops"]


def test_run_key_uses_the_lima_date_not_the_utc_date():
    """02:00 in Lima on the 25th is 07:00 UTC on the 25th; 21:00 in Lima on the 25th is already the
    26th in UTC: the run key follows the business day."""
    late = datetime(2026, 11, 25, 21, 0, tzinfo=ZoneInfo("America/Lima"))
    with instance_for_test() as instance:
        result = schedule_def().evaluate_tick(build_schedule_context(instance=instance, scheduled_execution_time=late))
    assert [r.run_key for r in result.run_requests] == ["daily-2026-11-25"]


@pytest.mark.parametrize(
    "status",
    [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
     DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING],
)
def test_tick_skips_while_a_daily_run_is_in_progress(status):
    with instance_for_test() as instance:
        run_id = add_run(instance, DAILY, status)
        result = tick(instance)
    assert result.run_requests == []
    assert result.skip_message is not None
    assert run_id in result.skip_message
    assert DAILY in result.skip_message


@pytest.mark.parametrize("status", [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED])
def test_finished_daily_run_does_not_block_the_tick(status):
    with instance_for_test() as instance:
        add_run(instance, DAILY, status)
        result = tick(instance)
    assert result.skip_message is None
    assert [r.run_key for r in result.run_requests] == ["daily-2026-11-25"]


def test_in_progress_run_of_another_job_does_not_block_the_tick():
    with instance_for_test() as instance:
        add_run(instance, CHECKS_ONLY, DagsterRunStatus.STARTED)
        result = tick(instance)
    assert [r.run_key for r in result.run_requests] == ["daily-2026-11-25"]


# --- job selections ---------------------------------------------------------------------------


def test_checks_catalogue_has_21_checks():
    assert len(ALL_CHECKS) == len(CHECKS) == 21


@pytest.mark.parametrize(
    ("job_name", "assets", "checks"),
    [
        (DAILY, None, ALL_CHECKS),
        (SCOUT, SCOUT_ASSETS, checks_on(SCOUT_ASSETS)),
        (CLAIMS, CLAIMS_ASSETS, checks_on(CLAIMS_ASSETS)),
        (CHECKS_ONLY, [], ALL_CHECKS),
    ],
)
def test_job_selection_is_exact(job_name, assets, checks):
    job = defs.resolve_job_def(job_name)
    expected = every_ops_asset() if assets is None else asset_keys(assets)
    assert job.asset_layer.selected_asset_keys == expected
    assert selected_check_keys(job) == checks


def test_expected_check_sets_by_name():
    """The same selections spelled out by check name, so a check moving to another asset shows."""
    mv_checks = {spec.name for spec in CHECKS if spec.asset == "ops.mv_yango_cabinet_cobranza_enriched_14d"}
    assert len(mv_checks) == 13  # paid_without_achievement reads the MV (the financial view's rows)

    def names(job_name):
        return {(key.asset_key.to_user_string(), key.name) for key in selected_check_keys(defs.resolve_job_def(job_name))}

    mv = {(MV, name) for name in mv_checks}
    stage = {(STAGE, "stage_matches_full_recomputation"), (STAGE, "unparseable_dates"),
             ("ops/v_lead_dates", "out_of_range_dates"), ("ops/v_lead_dates", "future_lead_dates"),
             ("ops/v_lead_dates", "driver_linked_to_two_persons")}
    assert names(SCOUT) == mv | stage | {
        ("ops/v_scout_attribution", "one_row_per_person"),
        ("ops/v_scout_attribution_conflicts", "attribution_conflicts"),
    }
    assert names(CLAIMS) == mv | {
        ("ops/v_claims_14d", "one_row_per_driver_milestone"),
    }
    assert names(DAILY) == names(CHECKS_ONLY) == mv | stage | {
        ("ops/v_scout_attribution", "one_row_per_person"),
        ("ops/v_scout_attribution_conflicts", "attribution_conflicts"),
        ("ops/v_claims_14d", "one_row_per_driver_milestone"),
    }


@pytest.mark.parametrize("job_name", [DAILY, SCOUT, CLAIMS, "full_rebuild"])
def test_refresh_jobs_carry_the_max_runtime_tag(job_name):
    assert defs.resolve_job_def(job_name).tags.get("dagster/max_runtime") == "3600"


def test_mv_asset_is_in_the_refresh_pool():
    mv_key = AssetKey.from_user_string(MV)
    assert defs.resolve_assets_def(mv_key).op.pool == "cobranza_mv_refresh"
    assert defs.resolve_asset_graph().get(mv_key).pools == {"cobranza_mv_refresh"}
