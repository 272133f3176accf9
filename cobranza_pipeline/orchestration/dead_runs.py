"""Runs whose process died: marked failed instead of left "started" forever.

A run worker killed outright (SIGKILL, the OOM killer) cannot report its end. The run carries
its process's identity (resources.py records it as the run starts); on the same host, a run
whose process is gone is marked failed, with the identity in the message, so that it is
alerted on, the schedule stops waiting for it and `cobranza materialize` stops following it.
"""

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

from cobranza_pipeline.local.processes import process_is_gone
from cobranza_pipeline.orchestration.keys import PROCESS_TAG


def fail_if_its_process_is_gone(instance: DagsterInstance, run: DagsterRun, log) -> bool:
    """Mark the started run failed when its process is known to be dead; whether it was."""
    identity = run.tags.get(PROCESS_TAG)
    if run.status != DagsterRunStatus.STARTED or not identity or inherited(instance, run):
        return False
    if not process_is_gone(identity):
        return False
    # Read again now that the process is known gone: a run worker records its run's end before
    # it exits, so a run that still says "started" was never ended by it (and one that ended in
    # between is left alone).
    run = instance.get_run_by_id(run.run_id)
    if run.status != DagsterRunStatus.STARTED:
        return False
    log.warning(f"run {run.run_id}: its process {identity} is gone; marking the run failed")
    instance.report_run_failed(run, f"the process that ran it ({identity}) died before the run ended")
    return True


def inherited(instance: DagsterInstance, run: DagsterRun) -> bool:
    """A re-execution or a retry starts with its parent's tags, the parent's process among them,
    until its own run worker records itself: that identity is not this run's."""
    parent = instance.get_run_by_id(run.parent_run_id) if run.parent_run_id else None
    return parent is not None and parent.tags.get(PROCESS_TAG) == run.tags.get(PROCESS_TAG)


def fail_runs_of_dead_processes(instance: DagsterInstance, log) -> None:
    for run in instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED]), limit=100):
        fail_if_its_process_is_gone(instance, run, log)
