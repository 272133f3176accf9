"""The local Dagster instance used by `cobranza materialize` and `cobranza ui`.

It lives under COBRANZA_HOME (default ./.cobranza/dagster_home) so runs made from the CLI
show in the UI later. Production uses the repository's dagster.yaml (dagster-postgres).
"""

import fcntl
import os
from pathlib import Path

from cobranza_pipeline import settings
from cobranza_pipeline.assets import MV_REFRESH_POOL

LOCAL_INSTANCE_YAML = f"""\
# Written by cobranza for local use; production uses the repository's dagster.yaml.
telemetry:
  enabled: false
concurrency:
  pools:
    granularity: run
    default_limit: 1  # {MV_REFRESH_POOL}: never two MV refreshes at once
"""


def ensure_local_dagster_home() -> Path:
    """Set DAGSTER_HOME to the local instance unless the environment already names one."""
    if os.environ.get("DAGSTER_HOME"):
        return Path(os.environ["DAGSTER_HOME"])
    home = settings.cobranza_home() / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    # Two `cobranza materialize` started together on a new home would both create the
    # instance's sqlite tables, and one fails (UNIQUE constraint failed: alembic_version):
    # the first creates them under a file lock, the other waits and finds them.
    with open(home / ".init.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        config = home / "dagster.yaml"
        if not config.exists():
            config.write_text(LOCAL_INSTANCE_YAML, encoding="utf-8")
        if not (home / "history" / "runs.db").exists():  # a new home: create the storage now
            from dagster import DagsterInstance

            DagsterInstance.get().dispose()
    return home
