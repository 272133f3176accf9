"""The validation report asset: the whole suite's JSON next to the MV in the UI."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from cobranza_pipeline.orchestration.asset_checks import evaluated_in_run
from cobranza_pipeline.orchestration.keys import MV_GROUP, MV_KEY, REPORT_KEY
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.quality.report import run_suite
from cobranza_pipeline.settings import Settings


@asset(key=REPORT_KEY, deps=[MV_KEY], group_name=MV_GROUP, kinds={"json"})
def validation_report(context: AssetExecutionContext, postgres: PostgresResource) -> MaterializeResult:
    """The whole validation suite as one JSON report (the same as `cobranza validate`), so the
    numbers of every check are in the UI next to the MV. It records failures, it does not fail.
    Checks this run already evaluated are taken from their evaluations, not run again."""
    evaluated = evaluated_in_run(context.instance, context.run.run_id)
    with postgres.connect() as conn:
        report = run_suite(conn, Settings.from_env().thresholds, evaluated=evaluated)
    return MaterializeResult(
        metadata={
            "status": report["status"],
            "checks_passed": report["counts"]["pass"],
            "checks_warned": report["counts"]["warn"],
            "checks_failed": report["counts"]["fail"],
            "report": MetadataValue.json(report),
        }
    )
