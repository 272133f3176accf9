"""Alerting as plain Python: when to alert (rules), where alerts go (channels), and delivery
that retries what a channel could not take. The Dagster sensors that feed it live in
orchestration/sensors/."""
