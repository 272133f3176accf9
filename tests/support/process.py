"""Processes the tests start in their own session (start_new_session=True): stop the whole
group, and tell whether anything of it is still alive."""

import os
import signal
import subprocess
import time

from cobranza_pipeline.local.processes import stop_process_group as stop_group


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM the process group (a daemon's code server and run workers too), SIGKILL whatever
    is left after 20 s, then wait until init has reaped the killed members. Only this group: it
    was started with start_new_session=True."""
    stop_group(process, signal.SIGTERM, grace_s=20)
    deadline = time.monotonic() + 15
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def group_members(pgid: int) -> str:
    listing = subprocess.run(["ps", "-o", "pid,ppid,pgid,stat,cmd", "-e"], capture_output=True, text=True, check=False).stdout
    return "\n".join(line for line in listing.splitlines() if line.split()[2:3] == [str(pgid)])


def session_members(sid: int) -> str:
    """Processes of the session (a process started with start_new_session=True leads one; its
    descendants stay in it even in process groups of their own), one `ps` line each."""
    listing = subprocess.run(["ps", "-e", "-o", "pid=,sid=,cmd="], capture_output=True, text=True, check=False).stdout
    return "\n".join(line for line in listing.splitlines() if line.split()[1:2] == [str(sid)])


def stop_session(process: subprocess.Popen) -> None:
    """SIGKILL every process of the session, for a test's cleanup after a failure."""
    for line in session_members(process.pid).splitlines():
        try:
            os.kill(int(line.split()[0]), signal.SIGKILL)
        except ProcessLookupError:
            pass
    if process.poll() is None:
        process.wait(timeout=10)
