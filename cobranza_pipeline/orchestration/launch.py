"""Launching a job of the code location as an ordinary run of it, and following the run to its end.

`cobranza materialize` does not execute the job inside its own process: it asks Dagster to
launch it (`dagster job launch` on the repository's workspace.yaml), so the run carries the
code location's origin, as a run started from the UI or by the schedule does. The UI then lists
it under its job (Jobs -> cobranza_daily -> Runs), on the Overview timeline, and can re-execute
it (README "Schedule and manual refresh").

The run is executed by a run worker the launcher starts, not by the command: stopping the
command (Ctrl-C, SIGTERM) terminates the run through Dagster, as the UI's Terminate does; a
command that is killed outright leaves the run to finish on its own. The run worker gets the
resolved database in its environment, never in run config, so a password cannot reach the UI.
"""

import json
import logging
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus

from cobranza_pipeline.local.processes import stop_process_group
from cobranza_pipeline.orchestration.dead_runs import fail_if_its_process_is_gone
from cobranza_pipeline.orchestration.keys import FINISHED

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKSPACE_YAML = PROJECT_ROOT / "workspace.yaml"
NOT_YET_STARTED = {DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING}
POLL_S = 0.5
LAUNCHER_STOP_S = 10.0  # a launcher that has not handed its run over has nothing to wait for
STOP_WAIT_S = 120.0  # how long a terminated run may take to end (a statement's cancel, the step's cleanup)
log = logging.getLogger(__name__)


def dagster_environment(environ: Mapping[str, str], database_url: str, home: Path) -> dict[str, str]:
    """The environment of the Dagster processes the CLI starts (launcher, code server, run
    worker, dg dev): the database the CLI resolved and the instance it uses."""
    return {**environ, "DATABASE_URL": database_url, "DAGSTER_HOME": str(home)}


def launch_run(job_name: str, run_config: dict, environ: Mapping[str, str], home: Path) -> tuple[str, subprocess.Popen]:
    """Start `dagster job launch` for a new run of the job; the run's id and the launcher process.
    The launcher's exit says nothing about the run (it may end before the run does): the run is
    followed in the instance. Its own process group, which its code server and the run worker
    join: a Ctrl-C at the terminal reaches the command, which terminates the run through Dagster,
    and not the run worker directly."""
    run_id = str(uuid.uuid4())
    command = [sys.executable, "-m", "dagster", "job", "launch", "-w", str(WORKSPACE_YAML), "-j", job_name,
               "--run-id", run_id, "--config-json", json.dumps(run_config)]
    # Started in DAGSTER_HOME: a dagster.yaml in the folder the command was typed in (the
    # repository's production one) is not the instance's, and Dagster warns about it.
    return run_id, subprocess.Popen(command, env=dict(environ), cwd=home, process_group=0,
                                    stdin=subprocess.DEVNULL)


def follow_run(instance: DagsterInstance, run_id: str, launcher: subprocess.Popen,
               timeout_s: float | None = None) -> DagsterRun:
    """Wait for the run to end; the run as it ended. A run whose worker was killed is marked
    failed here (no daemon may be running to notice). Raises RuntimeError when the launcher
    ended without creating the run (its error is on the terminal already) or timeout_s passed."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    told_queued = False
    while True:
        run = instance.get_run_by_id(run_id)
        if run is not None and run.status in FINISHED:
            launcher.wait()
            return run
        if run is not None and fail_if_its_process_is_gone(instance, run, log):
            continue
        if run is None and launcher.poll() is not None:
            raise RuntimeError(f"dagster job launch failed (exit {launcher.returncode}); see its output above")
        if run is not None and run.status in NOT_YET_STARTED and launcher.poll() not in (None, 0):
            raise RuntimeError(f"dagster job launch failed (exit {launcher.returncode}) before run {run_id} started; "
                               "see its output above")
        if run is not None and run.status == DagsterRunStatus.QUEUED and not told_queued:
            print(f"run {run_id} is queued: the instance's daemon starts it when the queue allows", flush=True)
            told_queued = True
        if deadline is not None and time.monotonic() > deadline:
            raise RuntimeError(f"run {run_id} did not end within {timeout_s:.0f} s")
        time.sleep(POLL_S)


def stop_run(instance: DagsterInstance, run_id: str, launcher: subprocess.Popen) -> DagsterRun | None:
    """Terminate the run (or take it off the queue) as the UI's Terminate does, and wait for it
    to end; None when the run was never created. A run not yet handed to a run worker has no
    one to stop: the launcher (and what it started) is stopped and the run recorded canceled,
    so it does not stay "canceling" and hold the schedule."""
    run = instance.get_run_by_id(run_id)
    if run is None or run.status in NOT_YET_STARTED:
        stop_process_group(launcher, signal.SIGTERM, LAUNCHER_STOP_S)
        run = instance.get_run_by_id(run_id)  # it may have been created meanwhile
        if run is None:
            return None
    if run.status not in FINISHED and not cancel(instance, run_id):
        run = instance.get_run_by_id(run_id)
        if run.status not in FINISHED:
            instance.report_run_canceled(run, "stopped by `cobranza materialize` before its run worker started")
    return follow_run(instance, run_id, launcher, timeout_s=STOP_WAIT_S)


def cancel(instance: DagsterInstance, run_id: str) -> bool:
    """Ask the run coordinator to cancel the run; whether it reached someone who will end it."""
    try:
        return bool(instance.run_coordinator.cancel_run(run_id))
    except Exception as error:  # the code server it would tell is gone (e.g. killed with the launcher)
        log.warning(f"run {run_id}: could not reach its run worker to terminate it ({error})")
        return False
