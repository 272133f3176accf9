"""The local Dagster instance used by `cobranza materialize` and `cobranza ui`.

It lives under COBRANZA_HOME (default ./.cobranza/dagster_home) so runs made from the CLI
show in the UI later. Production uses the repository's dagster.yaml (dagster-postgres, runs
queued for the daemon).

Runs start at once here (no queue): `cobranza materialize` needs no daemon running to get its
run started. Two refreshes still never overlap: each takes the MV's lock in PostgreSQL first
(README "Reliability").
"""

import fcntl
from pathlib import Path

from dagster import DagsterInstance

from cobranza_pipeline.orchestration.jobs import MAX_RUNTIME_S

WRITTEN_BY_COBRANZA = "# Written by cobranza for local use; production uses the repository's dagster.yaml."
LOCAL_INSTANCE_YAML = f"""\
{WRITTEN_BY_COBRANZA}
telemetry:
  enabled: false
# Runs start when launched, without waiting for a daemon to take them off a queue.
run_coordinator:
  module: dagster.core.run_coordinator
  class: DefaultRunCoordinator
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
        # Ours (first line) and from an earlier version: replaced; anyone else's: kept.
        written = config.read_text(encoding="utf-8") if config.exists() else None
        if written is None or (written.startswith(WRITTEN_BY_COBRANZA) and written != LOCAL_INSTANCE_YAML):
            config.write_text(LOCAL_INSTANCE_YAML, encoding="utf-8")
        return DagsterInstance.from_config(str(home))
