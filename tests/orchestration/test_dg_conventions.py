"""Dagster's `dg` CLI works in the repository (README "Commands"): `dg check defs` loads the
definitions, `dg list defs` lists what the definitions module defines, and `dg dev` serves the
code location, all from the [tool.dg] table of pyproject.toml. They run in the checkout with
DAGSTER_HOME set (otherwise Dagster reads the production dagster.yaml of the working folder as
its instance)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import ALL_JOBS
from cobranza_pipeline.orchestration.local_instance import local_instance
from tests.orchestration.test_daemon_e2e import REPO_ROOT
from tests.support.alert_servers import free_port
from tests.support.faults import wait_until
from tests.support.graphql import post_graphql
from tests.support.process import stop_process_group

DG = [str(Path(sys.executable).parent / "dg")]


LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"


def dg_env(home: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("DAGSTER_")}
    env["DAGSTER_HOME"] = str(home)
    return env


def dg(*arguments: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*DG, *arguments], cwd=REPO_ROOT, env=dg_env(home), capture_output=True, text=True,
                          timeout=300)


def test_dg_checks_and_lists_the_definitions_in_the_repository(tmp_path):
    home = tmp_path / "dagster_home"
    local_instance(home).dispose()

    checked = dg("check", "defs", home=home)
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "All definitions loaded successfully" in checked.stdout + checked.stderr

    listed = dg("list", "defs", "--json", home=home)
    assert listed.returncode == 0, listed.stderr[-3000:]
    found = json.loads(listed.stdout)
    graph = defs.resolve_asset_graph()
    assert {a["asset_key"] for a in found["assets"]} == {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert len(found["asset_checks"]) == len(graph.asset_check_keys) == 21
    assert {job["name"] for job in found["jobs"]} == {job.name for job in ALL_JOBS}
    assert [s["name"] for s in found["schedules"]] == ["daily_refresh_schedule"]
    assert {s["name"] for s in found["sensors"]} == {"check_alerts", "refresh_run_failures", "raw_tables_changed"}


@pytest.mark.slow
def test_dg_dev_in_the_repository_serves_the_code_location(tmp_path, db_url):
    home = tmp_path / "dagster_home"
    local_instance(home).dispose()
    port = free_port()
    env = {**dg_env(home), "DATABASE_URL": db_url, "COBRANZA_HOME": str(tmp_path)}
    dev = subprocess.Popen([*DG, "dev", "-p", str(port), "-h", "127.0.0.1"], cwd=REPO_ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        locations = wait_until(lambda: loaded_locations(port), timeout_s=120, interval_s=0.5)
    finally:
        stop_process_group(dev)
    assert locations == [("cobranza_pipeline", "LOADED")]


def loaded_locations(port: int) -> list[tuple[str, str]] | None:
    """The webserver's code locations once every one has loaded; None before."""
    try:
        entries = post_graphql(port, LOCATIONS, {})["data"]["workspaceOrError"]["locationEntries"]
    except (OSError, KeyError, TypeError, ValueError):
        return None
    found = [(entry["name"], entry["loadStatus"]) for entry in entries]
    return found if found and all(status == "LOADED" for _, status in found) else None
