"""Stopping `cobranza materialize` before its run has a run worker (README "Commands"), on a
real local instance with a real launcher process (a `sleep` in its own process group standing
in for `dagster job launch`, which has not handed the run over yet): the launcher's group is
stopped, and a created run is recorded CANCELED instead of staying "canceling" for good."""

import subprocess
import uuid

from dagster import DagsterRunStatus

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.launch import stop_run
from cobranza_pipeline.orchestration.local_instance import local_instance
from tests.support.process import group_alive


def launcher() -> subprocess.Popen:
    return subprocess.Popen(["sleep", "60"], process_group=0)


def test_a_run_not_yet_started_is_canceled_and_its_launcher_stopped(tmp_path):
    instance = local_instance(tmp_path / "dagster_home")
    try:
        run = instance.create_run_for_job(defs.resolve_job_def(DAILY_JOB_NAME), run_id=str(uuid.uuid4()))
        assert run.status == DagsterRunStatus.NOT_STARTED
        process = launcher()
        stopped = stop_run(instance, run.run_id, process)
        assert stopped.status == DagsterRunStatus.CANCELED
        assert process.poll() is not None and not group_alive(process.pid)
    finally:
        instance.dispose()


def test_stopping_before_the_run_exists_stops_the_launcher_and_reports_no_run(tmp_path):
    instance = local_instance(tmp_path / "dagster_home")
    try:
        process = launcher()
        assert stop_run(instance, str(uuid.uuid4()), process) is None
        assert process.poll() is not None and not group_alive(process.pid)
    finally:
        instance.dispose()
