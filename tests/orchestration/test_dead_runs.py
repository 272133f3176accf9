"""Runs whose process died are marked failed; a re-execution that still carries its parent's
process (its own run worker has not recorded itself yet) is left alone. On a real local
instance, with a real process that has exited."""

import logging
import subprocess

from dagster import DagsterRunStatus

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.local.processes import process_identity
from cobranza_pipeline.orchestration.dead_runs import fail_runs_of_dead_processes
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.keys import PROCESS_TAG
from cobranza_pipeline.orchestration.local_instance import local_instance

LOG = logging.getLogger(__name__)


def dead_identity() -> str:
    dead = subprocess.Popen(["sleep", "30"])
    identity = process_identity(dead.pid)
    dead.kill()
    dead.wait()
    return identity


def test_a_dead_runs_process_fails_it_but_an_inherited_process_does_not(tmp_path):
    instance = local_instance(tmp_path / "dagster_home")
    job = defs.resolve_job_def(DAILY_JOB_NAME)
    try:
        identity = dead_identity()
        parent = instance.create_run_for_job(job, tags={PROCESS_TAG: identity}, status=DagsterRunStatus.STARTED)
        rerun = instance.create_run_for_job(job, tags={PROCESS_TAG: identity}, status=DagsterRunStatus.STARTED,
                                            parent_run_id=parent.run_id, root_run_id=parent.run_id)
        fail_runs_of_dead_processes(instance, LOG)
        assert instance.get_run_by_id(parent.run_id).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(rerun.run_id).status == DagsterRunStatus.STARTED  # not its own process yet

        instance.add_run_tags(rerun.run_id, {PROCESS_TAG: dead_identity()})  # its own worker, then killed
        fail_runs_of_dead_processes(instance, LOG)
        assert instance.get_run_by_id(rerun.run_id).status == DagsterRunStatus.FAILURE
    finally:
        instance.dispose()
