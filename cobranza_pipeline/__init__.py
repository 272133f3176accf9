"""cobranza-pipeline: the Yango cabinet collections MV as a Dagster asset graph."""
