"""The local Dagster instance used by `cobranza materialize` and `cobranza ui`.

It lives under COBRANZA_HOME (default ./.cobranza/dagster_home) so runs made from the CLI
show in the UI later. Production uses the repository's dagster.yaml (dagster-postgres).
"""

import fcntl
from pathlib import Path

from dagster import DagsterInstance

from cobranza_pipeline.orchestration.jobs import MAX_RUNTIME_S
from cobranza_pipeline.orchestration.keys import MV_REFRESH_POOL

LOCAL_INSTANCE_YAML = f"""\
# Written by cobranza for local use; production uses the repository's dagster.yaml.
telemetry:
  enabled: false
concurrency:
  pools:
    granularity: run
    default_limit: 1  # {MV_REFRESH_POOL}: never two MV refreshes at once
# Every run is bounded, however it was started (a Materialize click, a backfill, a job): one
# that runs longer than its dagster/max_runtime tag, else max_runtime_seconds, is stopped.
run_monitoring:
  enabled: true
  poll_interval_seconds: 30
  max_runtime_seconds: {MAX_RUNTIME_S}
"""


def local_instance(home: Path) -> DagsterInstance:
    """The Dagster instance in `home` (the settings' DAGSTER_HOME, else COBRANZA_HOME's
    dagster_home), created on first use with a local dagster.yaml unless one is there."""
    home.mkdir(parents=True, exist_ok=True)
    # Two `cobranza materialize` started together on a new home would both create the
    # instance's sqlite tables, and one fails (UNIQUE constraint failed: alembic_version):
    # the first creates them under a file lock, the other waits and finds them.
    with open(home / ".init.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        config = home / "dagster.yaml"
        if not config.exists():
            config.write_text(LOCAL_INSTANCE_YAML, encoding="utf-8")
        return DagsterInstance.from_config(str(home))
