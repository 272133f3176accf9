"""SIGTERM (kill, systemd stop) on the long-running commands, `cobranza serve` and `cobranza ui`,
on a fresh embedded database: the command shuts down, stops the embedded PostgreSQL it started
(a clean shutdown removes postmaster.pid) and, for the UI, its dagster dev processes; nothing of
it is left running."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.alert_servers import free_port
from tests.process_support import group_alive, group_members, stop_process_group

STARTUP_S = 120  # a fresh data directory (initdb, demo data), then uvicorn or dagster dev


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # an HTTP answer, whatever its status: the server is up
    except OSError:
        return False


def stop_leftover_postmaster(postmaster_pid) -> None:
    """When the test fails the server may outlive the command (it is not in its process group):
    fast shutdown (SIGINT), so a failure does not leave a PostgreSQL running."""
    try:
        os.kill(int(postmaster_pid.read_text().split()[0]), signal.SIGINT)
    except (OSError, ValueError, IndexError):
        pass


def wait_until(predicate, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


@pytest.mark.parametrize("command", ["serve", "ui"])
def test_sigterm_stops_the_command_and_the_embedded_server_it_started(tmp_path, command):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DAGSTER_HOME")}
    env.update(COBRANZA_HOME=str(home), COBRANZA_DEMO_DRIVERS="100", PYTHONUNBUFFERED="1")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cobranza_pipeline.cli", command, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    postmaster_pid = home / "pgdata" / "postmaster.pid"
    try:
        assert wait_until(lambda: answers(port), STARTUP_S), f"{command} did not start"
        assert postmaster_pid.exists()

        process.send_signal(signal.SIGTERM)  # to the command only, as `kill PID` does
        assert process.wait(timeout=90) == 128 + signal.SIGTERM

        assert wait_until(lambda: not postmaster_pid.exists(), 30), "the embedded PostgreSQL is still running"
        assert wait_until(lambda: not group_alive(process.pid), 30), group_members(process.pid)
        assert not answers(port)
    finally:
        stop_process_group(process)
        stop_leftover_postmaster(postmaster_pid)
