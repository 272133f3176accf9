"""The validation suite: what a check is (framework), the checks (measures, latency, suite),
and the suite run outside Dagster as a JSON report (report)."""
