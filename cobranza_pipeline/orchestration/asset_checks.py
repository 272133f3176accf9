"""Each CheckSpec as a Dagster asset check: same function, same numbers as `cobranza validate`."""

from decimal import Decimal

from dagster import AssetCheckResult, AssetCheckSeverity, DagsterEventType, MetadataValue, asset_check

from cobranza_pipeline.orchestration.keys import asset_key
from cobranza_pipeline.orchestration.metadata import metadata_value
from cobranza_pipeline.orchestration.resources import PostgresResource
from cobranza_pipeline.quality.framework import CheckSpec
from cobranza_pipeline.quality.report import check_status, jsonable, result_of_evaluation
from cobranza_pipeline.quality.suite import CHECKS
from cobranza_pipeline.settings import Settings


def build_asset_check(spec: CheckSpec):
    @asset_check(
        asset=asset_key(spec.asset),
        name=spec.name,
        description=f"{spec.doc}\n\nWhen it fails: {spec.runbook}",
        blocking=spec.blocking,
    )
    def _check(postgres: PostgresResource) -> AssetCheckResult:
        with postgres.connect() as conn:
            outcome = spec.run(conn, Settings.from_env().thresholds)
        # Measured values as the report writes them (money and percentages exact, as text),
        # plus numeric twins the UI plots, and the outcome in words (the UI says "Failed" for a
        # WARN as for an ERROR).
        metadata = {name: metadata_value(jsonable(value)) for name, value in outcome.metadata.items()}
        metadata.update(
            value=metadata_value(jsonable(outcome.value)),
            threshold=metadata_value(jsonable(outcome.threshold)),
            runbook=MetadataValue.text(spec.runbook),
            outcome=MetadataValue.text(check_status(outcome.passed, outcome.severity).upper()),
            **plotted(outcome),
        )
        return AssetCheckResult(
            passed=outcome.passed,
            severity=AssetCheckSeverity[outcome.severity],
            description=outcome.description,
            metadata=metadata,
        )

    return _check


PLOTTED = ("value_number", "threshold_number")


def plotted(outcome) -> dict:
    """Numeric value and threshold as float metadata (plots only; the exact text stays)."""
    pairs = zip(PLOTTED, (outcome.value, outcome.threshold))
    return {name: MetadataValue.float(float(number)) for name, number in pairs
            if isinstance(number, (int, float, Decimal)) and not isinstance(number, bool)}


def evaluated_in_run(instance, run_id: str) -> dict[str, dict]:
    """The report entries (quality.report's format) of the checks this run has already
    evaluated, so the validation report does not compute them a second time."""
    specs = {(asset_key(spec.asset), spec.name): spec for spec in CHECKS}
    entries = {}
    for record in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.dagster_event.event_specific_data
        spec = specs.get((evaluation.asset_key, evaluation.check_name))
        if spec is not None:
            metadata = {name: value.value for name, value in evaluation.metadata.items()
                        if name not in PLOTTED and name != "outcome"}
            entries[spec.name] = result_of_evaluation(
                spec, evaluation.passed, evaluation.severity.value, evaluation.description or "", metadata)
    return entries


ASSET_CHECKS = [build_asset_check(spec) for spec in CHECKS]
