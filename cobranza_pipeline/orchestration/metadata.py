"""Plain values as Dagster metadata: numbers stay numbers (so the UI plots them), containers
become JSON with exact text for money and dates, anything else text."""

from decimal import Decimal

from dagster import MetadataValue

from cobranza_pipeline.quality.report import jsonable


def metadata_value(value):
    if isinstance(value, (dict, list, tuple)):
        return MetadataValue.json(jsonable(value))
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return MetadataValue.float(float(value))
    if value is None:
        return MetadataValue.null()
    return MetadataValue.text(str(value))
