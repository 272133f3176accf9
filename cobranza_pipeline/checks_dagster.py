"""Each CheckSpec as a Dagster asset check: same function, same numbers as `cobranza validate`."""

import datetime as dt
import uuid
from decimal import Decimal

from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

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


ASSET_CHECKS = [build_asset_check(spec) for spec in CHECKS]
