"""SIGKILL leaves no residue (README "Reliability", item 19), with a real SIGKILL: the run
worker of a `cobranza materialize` killed while its REFRESH runs leaves a 'running' row in
ops.mv_refresh_log, which the next refresh closes as 'abandoned' with what is known; a `cobranza
serve` killed on the embedded PostgreSQL stays on the server's handle list, which the next
command prunes, so the server stops when the last live `cobranza` exits."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.matview.refresh import RefreshSettings, refresh_materialized_view
from cobranza_pipeline.warehouse.matview.refresh_log import ensure_refresh_log
from tests.support.alert_servers import free_port
from tests.support.faults import load_demo, refresh_log, report_figure, wait_until
from tests.support.fixtures import build_all, database
from tests.support.jobs import started_run_worker

REFRESH_APP = f"cobranza-refresh {COBRANZA_MV.qualified_name}"


def refreshing_pid(url: str) -> int | None:
    """The backend of a REFRESH of the MV in progress, if any."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("select pid from pg_stat_activity where application_name = %s and state = 'active' "
                           "and query ilike 'refresh materialized view%%' and datname = current_database()",
                           (REFRESH_APP,)).fetchone()  # tests on other databases of a shared server refresh too
    return row[0] if row else None


def kill_materialize_mid_refresh(db_url: str, env: dict) -> tuple[int, int, str]:
    """Starts `cobranza materialize` and SIGKILLs the Dagster processes of its run (the run
    worker, the code server and the launcher: one process group) while its REFRESH is in flight;
    the refresh's backend, the command's exit code and its output. Only the command is left to
    notice that the run's process is gone, mark the run failed and end.

    A REFRESH of the small fixture takes a few milliseconds, less than one poll, so a DBA's index
    build on the MV in an open transaction holds it: its SHARE lock makes REFRESH ...
    CONCURRENTLY wait, active, until the kill has landed; then the build is rolled back and the
    orphaned backend runs on, finds its client gone and rolls back."""
    holder, run = psycopg.connect(db_url), None  # closed without a commit: the index build is rolled back
    try:
        holder.execute(sql.SQL("create index dba_extra on {} (lead_date)").format(
            sql.Identifier(COBRANZA_MV.schema, COBRANZA_MV.name)))
        run = subprocess.Popen([sys.executable, "-m", "cobranza_pipeline.cli", "materialize"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        worker = wait_until(lambda: started_run_worker(Path(env["DAGSTER_HOME"])), timeout_s=120, interval_s=0.2)
        assert worker, "no started run with its worker's process"
        backend = wait_until(lambda: refreshing_pid(db_url), timeout_s=120)
        assert backend, "the refresh never started"
        os.killpg(os.getpgid(worker[1]), signal.SIGKILL)
        output = run.communicate(timeout=60)[0]
        return backend, run.returncode, output
    finally:
        holder.close()
        if run is not None:
            run.kill()
            run.wait()


def test_a_killed_refresh_is_closed_as_abandoned_by_the_next_one(conn, db_url, tmp_path):
    load_demo(db_url, drivers=3000)
    build_all(conn, db_url)
    env = {**os.environ, "DATABASE_URL": db_url, "COBRANZA_HOME": str(tmp_path),
           "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    (tmp_path / "dagster_home").mkdir()
    conn.execute("update public.summary_daily set count_orders_completed = count_orders_completed + 1")
    backend, exit_code, output = kill_materialize_mid_refresh(db_url, env)
    assert refresh_log(conn)[-1][:2] == (1, "running")  # left behind by the killed process
    assert exit_code == 1, output[-3000:]  # the command did not wait for a run nobody runs any more
    assert "died before the run ended" in output  # marked failed by the command itself

    started = time.monotonic()
    outcome = refresh_materialized_view(database(db_url), COBRANZA_MV, RefreshSettings(lock_wait_s=60, attempts=1))
    reconciled = time.monotonic() - started
    assert outcome.mode == "concurrent"
    rows = conn.execute("select status, backend_pid, error from ops.mv_refresh_log order by id").fetchall()
    assert [status for status, _, _ in rows] == ["success", "abandoned", "success"]
    _, killed_backend, error = rows[1]
    assert killed_backend == backend
    assert error == (f"abandoned: the process running this attempt ended without closing it (killed, or its host "
                     f"was lost); its session (pid {backend}) was gone when the next refresh started; no sign the "
                     "server finished it (the MV was not analyzed since it started)")
    assert conn.execute("select count(*) from ops.mv_refresh_log where status = 'running'").fetchone()[0] == 0
    report_figure(19, "materialize SIGKILLed mid-refresh", next_refresh_incl_reconcile=reconciled)


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def test_a_killed_command_does_not_keep_the_embedded_server_running(tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DAGSTER_HOME")}
    env.update(COBRANZA_HOME=str(home), COBRANZA_DEMO_DRIVERS="50")
    pid_file = home / "pgdata" / "postmaster.pid"
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "cobranza_pipeline.cli", "serve", "--port", str(port)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_until(lambda: _answers(port) or serve.poll() is not None, timeout_s=120) and serve.poll() is None
        serve.send_signal(signal.SIGKILL)
        serve.wait()
        assert pid_file.exists()  # the server outlives the killed command, its pid still on the list
        started = time.monotonic()
        shown = subprocess.run([sys.executable, "-m", "cobranza_pipeline.cli", "db-url"], env=env,
                               capture_output=True, text=True, timeout=120)
        assert shown.returncode == 0, shown.stderr
        stopped = wait_until(lambda: not pid_file.exists(), timeout_s=30)
        elapsed = time.monotonic() - started
        assert stopped, "the embedded server kept running after the last live cobranza exited"
        assert f"no longer exist: {serve.pid}" in shown.stderr
    finally:
        try:
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)  # never leave the server behind
        except (OSError, ValueError, IndexError):
            pass
    report_figure(19, "serve SIGKILLed on the embedded server", next_command_and_server_stopped=elapsed)


def test_an_older_refresh_log_is_upgraded_in_place(conn, db_url):
    """Production's ops.mv_refresh_log predates the session columns and the 'abandoned' status."""
    conn.execute("create schema if not exists ops")
    conn.execute("""create table ops.mv_refresh_log (
        id bigint generated always as identity primary key, mv_name text not null, run_id text,
        attempt integer not null, started_at timestamptz not null default clock_timestamp(),
        finished_at timestamptz,
        status text not null default 'running' check (status in ('running', 'success', 'failed')),
        mode text check (mode in ('create', 'concurrent', 'plain', 'rebuild')), duration_ms bigint,
        rows_after_refresh bigint, error text)""")
    conn.execute("insert into ops.mv_refresh_log (mv_name, attempt, status) values ('ops.old', 1, 'success')")
    ensure_refresh_log(database(db_url))
    ensure_refresh_log(database(db_url))  # a second time: nothing left to do
    conn.execute("update ops.mv_refresh_log set status = 'abandoned', backend_pid = 1, backend_start = now()")
    assert conn.execute("select mv_name, status, backend_pid from ops.mv_refresh_log").fetchall() == [
        ("ops.old", "abandoned", 1)]
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("update ops.mv_refresh_log set status = 'lost'")
