"""Each CheckSpec as a Dagster asset check: same function, same numbers as `cobranza validate`."""

import datetime as dt
import uuid
from decimal import Decimal

from dagster import AssetCheckResult, AssetCheckSeverity, DagsterEventType, MetadataValue, asset_check

from cobranza_pipeline.assets import asset_key
from cobranza_pipeline.check_framework import CheckSpec, Thresholds
from cobranza_pipeline.checks import CHECKS
from cobranza_pipeline.resources import PostgresResource


def jsonable(value):
    """Exact and JSON-safe: Decimal and dates as text, containers recursively."""
    if isinstance(value, (Decimal, dt.date, dt.datetime, uuid.UUID)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def metadata_entry(value):
    if isinstance(value, (dict, list, tuple)):
        return MetadataValue.json(jsonable(value))
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return value
    if value is None:
        return MetadataValue.null()
    return MetadataValue.text(str(jsonable(value)))


def build_asset_check(spec: CheckSpec):
    @asset_check(
        asset=asset_key(spec.asset),
        name=spec.name,
        description=f"{spec.doc}\n\nWhen it fails: {spec.runbook}",
        blocking=spec.blocking,
    )
    def _check(postgres: PostgresResource) -> AssetCheckResult:
        with postgres.connect() as conn:
            outcome = spec.run(conn, Thresholds.from_env())
        metadata = {name: metadata_entry(value) for name, value in outcome.metadata.items()}
        metadata.update(
            value=metadata_entry(outcome.value),
            threshold=metadata_entry(outcome.threshold),
            runbook=MetadataValue.text(spec.runbook),
        )
        return AssetCheckResult(
            passed=outcome.passed,
            severity=AssetCheckSeverity[outcome.severity],
            description=outcome.description,
            metadata=metadata,
        )

    return _check


def evaluated_in_run(instance, run_id: str) -> dict[str, dict]:
    """The report entries (validate.run_suite's format) of the checks this run has already
    evaluated, so the validation report does not compute them a second time."""
    from cobranza_pipeline.validate import result_of_evaluation

    specs = {(asset_key(spec.asset), spec.name): spec for spec in CHECKS}
    entries = {}
    for record in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.dagster_event.event_specific_data
        spec = specs.get((evaluation.asset_key, evaluation.check_name))
        if spec is not None:
            metadata = {name: value.value for name, value in evaluation.metadata.items()}
            entries[spec.name] = result_of_evaluation(
                spec, evaluation.passed, evaluation.severity.value, evaluation.description or "", metadata)
    return entries


ASSET_CHECKS = [build_asset_check(spec) for spec in CHECKS]
