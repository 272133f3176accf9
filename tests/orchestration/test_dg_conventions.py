"""Dagster's `dg` CLI works in the repository (README "Commands"): `dg check defs` loads the
definitions, `dg list defs` lists what the definitions module defines, from the [tool.dg]
table of pyproject.toml. Both run in the checkout with DAGSTER_HOME set (otherwise Dagster
reads the production dagster.yaml of the working folder as its instance)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import ALL_JOBS
from cobranza_pipeline.orchestration.local_instance import local_instance
from tests.orchestration.test_daemon_e2e import REPO_ROOT

DG = [str(Path(sys.executable).parent / "dg")]


def dg(*arguments: str, home: Path) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if not name.startswith("DAGSTER_")}
    env["DAGSTER_HOME"] = str(home)
    return subprocess.run([*DG, *arguments], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)


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
