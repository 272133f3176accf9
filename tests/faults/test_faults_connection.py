"""Fault injection on the connection to PostgreSQL (README "Reliability", items 1 and 9): the
database unreachable when a run starts, and the server restarted between two runs. The CLI's
side of item 1 (exit code 1, one line naming host and port) is
tests/cli/test_cli.py::test_materialize_fails_fast_when_the_database_is_unreachable."""

import json
import shutil
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterEventType, build_sensor_context

from cobranza_pipeline.definitions import defs
from cobranza_pipeline.local import embedded
from cobranza_pipeline.local.raw_tables import create_source_tables
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.run_errors import root_message
from cobranza_pipeline.orchestration.sensors.run_alerts import refresh_run_failures
from cobranza_pipeline.warehouse.admin import create_database
from cobranza_pipeline.warehouse.conninfo import describe_target
from tests.support.check_fixtures import TOTAL_DUE, add_fleet
from tests.support.faults import mv_checksum, refresh_log, report_figure
from tests.support.jobs import run_job

SECRET = "Pw-unreachable-7c1"
UNREACHABLE = f"postgresql://collector:{SECRET}@127.0.0.1:1/prod"


def run_daily(instance):
    started = time.monotonic()
    result = run_job(instance=instance)
    return result, time.monotonic() - started


def events_of(result, event_type) -> list:
    return [event for event in result.all_events if event.event_type == event_type]


def cannot_connect(target: str) -> str:
    """How the run's one message starts when nothing answers at target (libpq's reason follows)."""
    return f"ConnectionError: cannot connect to PostgreSQL at {target}: "


# ------------------------------------------------------------- 1. unreachable at start


def test_unreachable_database_fails_the_run_before_any_step_with_one_message_and_an_alert(
        monkeypatch, instance, webhook):
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    result, elapsed = run_daily(instance)
    assert not result.success
    assert events_of(result, DagsterEventType.STEP_START) == []  # no step tried (and timed out) on its own
    [init_failure] = events_of(result, DagsterEventType.RESOURCE_INIT_FAILURE)
    message = root_message(init_failure.event_specific_data.error)
    assert message.startswith(cannot_connect("127.0.0.1:1/prod"))
    assert message.endswith('connection to server at "127.0.0.1", port 1 failed: Connection refused')

    refresh_run_failures(build_sensor_context(instance=instance, repository_def=defs.get_repository_def()))
    [alert] = webhook.received
    assert (alert["kind"], alert["subject"], alert["severity"], alert["run_id"]) == (
        "FAILING", f"job {DAILY_JOB_NAME}", "ERROR", result.run_id)
    assert alert["summary"] == message
    assert SECRET not in json.dumps(webhook.requests) + message
    report_figure(1, "database unreachable at start", detect=elapsed)


# ------------------------------------------------------------- 9. server restarted


@pytest.fixture
def private_server():
    """A PostgreSQL of this test's own (on both CI passes: the shared service is never
    stopped); yields a dict holding the live server handle, which the test replaces when it
    restarts the server. Stopped and deleted at the end."""
    parent = Path(tempfile.mkdtemp(prefix="cobranza-fault-pg-"))
    holder = {"pgdata": parent / "pgdata"}
    holder["server"] = embedded.start_server(holder["pgdata"], cleanup_mode="stop")
    yield holder
    holder["server"].cleanup()
    shutil.rmtree(parent, ignore_errors=True)


def test_database_restart_between_two_runs_the_next_run_reconnects(private_server, monkeypatch, instance):
    server = private_server["server"]
    create_database(embedded.server_url(server, "postgres"), "cobranza")
    url = embedded.server_url(server, "cobranza")
    create_source_tables(url)
    with psycopg.connect(url, autocommit=True) as conn:
        add_fleet(conn)
    monkeypatch.setenv("DATABASE_URL", url)
    first, _ = run_daily(instance)
    assert first.success
    with psycopg.connect(url, autocommit=True) as conn:
        before = mv_checksum(conn)
        assert conn.execute("select sum(amount_due_yango) from ops.mv_yango_cabinet_cobranza_enriched_14d"
                            ).fetchone()[0] == TOTAL_DUE

    server.cleanup()  # pg_ctl stop: the server is down between the runs
    down, detect = run_daily(instance)
    assert not down.success
    [init_failure] = events_of(down, DagsterEventType.RESOURCE_INIT_FAILURE)
    message = root_message(init_failure.event_specific_data.error)
    assert message.startswith(cannot_connect(describe_target(url)))
    assert message.endswith(".s.PGSQL.5432\" failed: No such file or directory")  # the socket is gone

    restarted_at = time.monotonic()
    private_server["server"] = embedded.start_server(private_server["pgdata"], cleanup_mode="delete")
    assert embedded.server_url(private_server["server"], "cobranza") == url  # same socket, same URL
    second, _ = run_daily(instance)
    recover = time.monotonic() - restarted_at
    assert second.success
    with psycopg.connect(url, autocommit=True) as conn:
        assert mv_checksum(conn) == before
        assert [row[:3] for row in refresh_log(conn)] == [(1, "success", "create"), (1, "success", "concurrent")]
    report_figure(9, "server restarted between runs", detect_while_down=detect, recover_incl_restart=recover)
