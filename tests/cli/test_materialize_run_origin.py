"""A run made by `cobranza materialize` is an ordinary run of the job in the code location
(README "Schedule and manual refresh"): a real dagster-webserver on the same instance lists it
under Jobs -> cobranza_daily -> Runs, with the code location's origin, and re-executes it (the
UI's Re-execute, through the same GraphQL mutation). A run executed in process (the way the
command ran before) is the counter-example: the job's runs leave it out, and it has no origin to
re-execute from."""

import os
import re
import subprocess
import sys
import urllib.request

import pytest

from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.keys import PROCESS_TAG
from cobranza_pipeline.orchestration.launch import WORKSPACE_YAML
from cobranza_pipeline.orchestration.local_instance import local_instance
from tests.support.alert_servers import free_port
from tests.support.faults import load_demo, wait_until
from tests.support.graphql import graphql, post_graphql
from tests.support.jobs import run_job
from tests.support.process import stop_process_group

LOCATION = "cobranza_pipeline"  # workspace.yaml
JOB_RUNS = """
query ($run: ID!) {
  pipelineOrError(params: {pipelineName: "%s", repositoryName: "__repository__", repositoryLocationName: "%s"}) {
    __typename
    ... on Pipeline { runs { runId } }
  }
  runOrError(runId: $run) {
    __typename
    ... on Run { status repositoryOrigin { repositoryLocationName repositoryName } }
  }
}
""" % (DAILY_JOB_NAME, LOCATION)
REEXECUTE = """
mutation ($parent: String!) {
  launchPipelineReexecution(reexecutionParams: {parentRunId: $parent, strategy: ALL_STEPS}) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
  }
}
"""
RUN_STATUS = """query ($run: ID!) { runOrError(runId: $run) { ... on Run { status } } }"""


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.slow
def test_a_cli_run_is_listed_under_its_job_with_the_code_locations_origin(tmp_path, db_url, monkeypatch):
    load_demo(db_url, drivers=200)
    dagster_home = tmp_path / "dagster_home"
    env = {name: value for name, value in os.environ.items() if name != "DAGSTER_HOME"}
    env.update(DATABASE_URL=db_url, COBRANZA_HOME=str(tmp_path))
    cli = subprocess.Popen([sys.executable, "-m", "cobranza_pipeline.cli", "materialize"], env=env, cwd=tmp_path,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = cli.communicate(timeout=300)
    assert cli.returncode == 0, stdout[-3000:] + stderr[-3000:]
    [cli_run] = re.findall(r"^run (\S+): SUCCESS$", stdout, re.MULTILINE)

    instance = local_instance(dagster_home)
    try:
        run = instance.get_run_by_id(cli_run)
        assert run.remote_job_origin.location_name == LOCATION
        assert run.tags[PROCESS_TAG].split(":")[1] not in (str(cli.pid), str(os.getpid()))  # by a run worker
        monkeypatch.setenv("DATABASE_URL", db_url)
        in_process = run_job(DAILY_JOB_NAME, instance).run_id
    finally:
        instance.dispose()

    port = free_port()
    ui_env = {**env, "DAGSTER_HOME": str(dagster_home)}
    ui = subprocess.Popen([sys.executable, "-m", "dagster_webserver", "-w", str(WORKSPACE_YAML), "-h", "127.0.0.1",
                           "-p", str(port)], env=ui_env, cwd=dagster_home, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_until(lambda: answers(port), timeout_s=120, interval_s=0.5)
        listed = graphql(port, JOB_RUNS, {"run": cli_run})
        unlisted = graphql(port, JOB_RUNS, {"run": in_process})
        again = graphql(port, REEXECUTE, {"parent": cli_run})["launchPipelineReexecution"]
        assert again["__typename"] == "LaunchRunSuccess", again
        rerun = again["run"]["runId"]
        assert wait_until(lambda: graphql(port, RUN_STATUS, {"run": rerun})["runOrError"]["status"]
                          in ("SUCCESS", "FAILURE", "CANCELED"), timeout_s=120, interval_s=0.5)
        rerun_status = graphql(port, RUN_STATUS, {"run": rerun})["runOrError"]["status"]
        refused = post_graphql(port, REEXECUTE, {"parent": in_process})
    finally:
        stop_process_group(ui)

    job = listed["pipelineOrError"]
    assert job["__typename"] == "Pipeline"
    job_runs = [r["runId"] for r in job["runs"]]
    assert cli_run in job_runs and in_process not in job_runs
    shown = listed["runOrError"]
    assert shown["status"] == "SUCCESS"
    assert shown["repositoryOrigin"] == {"repositoryLocationName": LOCATION, "repositoryName": "__repository__"}
    assert unlisted["runOrError"]["repositoryOrigin"] is None
    assert rerun_status == "SUCCESS"
    # what the UI's Re-execute hit: the run names no code location to re-execute in
    assert refused["data"]["launchPipelineReexecution"]["__typename"] == "PythonError"
