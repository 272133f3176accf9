"""The Dagster layer: assets, checks, jobs, schedules, sensors and resources built from the
plain declarations below it. The only package that imports dagster (besides the CLI)."""
