"""Stopping `cobranza materialize` before its run has a run worker (README "Commands"), on a
real local instance with a real launcher process (a `sleep` in its own process group standing
in for `dagster job launch`, which has not handed the run over yet): the launcher's group is
stopped, and a created run is recorded CANCELED instead of staying "canceling" for good. On an
instance with a queued run coordinator (production's) and no daemon, a real `dagster job
launch` leaves the run QUEUED: stopping takes it off the queue."""

import os
import subprocess
import uuid

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.launch import dagster_environment, launch_run, stop_run
from cobranza_pipeline.orchestration.local_instance import local_instance
from cobranza_pipeline.orchestration.runner import run_config
from tests.support.faults import wait_until
from tests.support.process import group_alive

QUEUED_INSTANCE = """run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
"""


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


def test_a_queued_run_is_taken_off_the_queue(tmp_path, db_url):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(QUEUED_INSTANCE)
    instance = DagsterInstance.from_config(str(home))
    try:
        run_id, process = launch_run(DAILY_JOB_NAME, run_config(), dagster_environment(os.environ, db_url, home), home)
        queued = wait_until(lambda: (run := instance.get_run_by_id(run_id)) and run.status == DagsterRunStatus.QUEUED,
                            timeout_s=120, interval_s=0.2)
        assert queued and process.wait(timeout=60) == 0  # the launcher's part is done: nobody dequeues it
        stopped = stop_run(instance, run_id, process)
        assert stopped.status == DagsterRunStatus.CANCELED
        assert instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.QUEUED])) == []
    finally:
        instance.dispose()
