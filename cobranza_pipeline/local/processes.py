"""Telling whether the process that executes a Dagster run is still alive.

A run worker killed outright (SIGKILL, the OOM killer) leaves its run "started" forever unless
something notices: the local instance runs no daemon when only `cobranza materialize` is used.
The run carries its process's identity (host, pid and the pid's start time, so a reused pid is
not mistaken for it); the alert sensor and `cobranza materialize` (for the run it follows), on
the same host, mark a run whose process is gone as failed.

And stopping a child that leads its own process group (dg dev, a run's launcher) with all it
started.
"""

import os
import signal
import socket
import subprocess
from pathlib import Path


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); None
    when there is no such process or it is a zombie (dead, not yet reaped by its parent)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the fields after the parenthesised command name
    return None if fields[0] == "Z" else fields[19]


def process_identity(pid: int | None = None) -> str:
    pid = pid or os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or ''}"


def process_is_gone(identity: str) -> bool:
    """True only when the process is known to be dead: same host, and the pid is gone or now
    belongs to a process started at another time. Another host's process cannot be seen from
    here (False: run monitoring's max runtime covers it)."""
    host, _, rest = identity.partition(":")
    pid, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    return _start_ticks(int(pid)) != (started or None)


def stop_process_group(process: subprocess.Popen, signum: int, grace_s: float) -> None:
    """Signal the child's process group (it leads one), give it grace_s to shut down, then kill
    what is left of the group."""
    try:
        os.killpg(process.pid, signum)
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
