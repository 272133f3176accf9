"""SIGTERM (kill, systemd stop) on the `cobranza` commands, on a fresh embedded database: the
command shuts down through its cleanup, so the embedded PostgreSQL it started stops (a clean
shutdown removes postmaster.pid) and, for the UI, every dagster dev process stops too. A first
start interrupted while seeding the demo data is seeded again by the next start."""

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.support.alert_servers import free_port
from tests.support.faults import wait_until
from tests.support.process import session_members, stop_session

STARTUP_S = 120  # a fresh data directory (initdb, demo data), then uvicorn or dagster dev


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # an HTTP answer, whatever its status: the server is up
    except OSError:
        return False


class Cobranza:
    """One `cobranza` command in its own session, its output in a file under the test's folder."""

    def __init__(self, tmp_path, *arguments: str, drivers: int = 100):
        self.home = tmp_path / "home"
        self.log = tmp_path / f"{arguments[0]}-{len(list(tmp_path.glob('*.log')))}.log"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DAGSTER_HOME")}
        env.update(COBRANZA_HOME=str(self.home), COBRANZA_DEMO_DRIVERS=str(drivers), PYTHONUNBUFFERED="1")
        with open(self.log, "w") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "cobranza_pipeline.cli", *arguments], env=env,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.log.read_text()

    def wait_for(self, predicate, timeout_s: float = STARTUP_S) -> None:
        assert wait_until(lambda: predicate() or self.process.poll() is not None, timeout_s), self.output()[-3000:]
        assert self.process.poll() is None, f"exited early:\n{self.output()[-3000:]}"

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)  # to the command only, as `kill PID` does
        return self.process.wait(timeout=STARTUP_S + 60)

    def server_stopped(self) -> bool:
        return wait_until(lambda: not (self.home / "pgdata" / "postmaster.pid").exists(), timeout_s=30)

    def cleanup(self) -> None:
        stop_session(self.process)
        try:  # the server is in a session of its own: a failed test must not leave it running
            os.kill(int((self.home / "pgdata" / "postmaster.pid").read_text().split()[0]), signal.SIGINT)
        except (OSError, ValueError, IndexError):
            pass


@pytest.mark.parametrize("command", ["serve", "ui"])
def test_sigterm_stops_the_command_and_everything_it_started(tmp_path, command):
    port = free_port()
    run = Cobranza(tmp_path, command, "--port", str(port))
    try:
        run.wait_for(lambda: answers(port))
        assert (run.home / "pgdata" / "postmaster.pid").exists()
        assert run.terminate() == 128 + signal.SIGTERM
        assert run.server_stopped(), run.output()[-3000:]
        assert wait_until(lambda: not session_members(run.process.pid), timeout_s=30), session_members(run.process.pid)
        assert not answers(port)
        # first start without noise: the repository's production dagster.yaml in the working
        # folder is not mistaken for the instance's
        assert "Found a dagster instance configuration" not in run.output()
        assert "superseded" not in run.output()  # dg's dev, not the `dagster dev` it replaces
    finally:
        run.cleanup()


@pytest.mark.slow
def test_materialize_interrupted_while_seeding_then_while_refreshing_then_completes(tmp_path):
    seeding = Cobranza(tmp_path, "materialize", drivers=10_000)
    try:
        seeding.wait_for(lambda: "Fresh embedded PostgreSQL" in seeding.output())
        assert seeding.terminate() == 128 + signal.SIGTERM
        assert "Filled the embedded database" not in seeding.output()
        assert seeding.server_stopped(), seeding.output()[-3000:]
    finally:
        seeding.cleanup()

    refreshing = Cobranza(tmp_path, "materialize", drivers=10_000)
    try:  # seeded again from the start, then stopped during the MV's creation
        refreshing.wait_for(lambda: "refreshing ops.mv_yango_cabinet_cobranza_enriched_14d" in refreshing.output())
        assert "Filled the embedded database with demo data (10000 drivers" in refreshing.output()
        assert refreshing.terminate() == 1  # the run was terminated through Dagster, recorded as such
        assert re.search(r"^run \S+: CANCELED$", refreshing.output(), re.MULTILINE), refreshing.output()[-3000:]
        assert "DagsterExecutionInterruptedError" in refreshing.output()
        assert refreshing.server_stopped(), refreshing.output()[-3000:]
    finally:
        refreshing.cleanup()

    complete = Cobranza(tmp_path, "materialize", drivers=10_000)
    try:
        assert complete.process.wait(timeout=STARTUP_S) == 0, complete.output()[-3000:]
        assert "Fresh embedded PostgreSQL" not in complete.output()  # the seeded data is reused
        assert "SUCCESS" in complete.output() and "mode create" in complete.output()
        assert complete.server_stopped()
    finally:
        complete.cleanup()
