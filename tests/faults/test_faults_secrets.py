"""Secrets never leak (README "Reliability", item 11): a password in DATABASE_URL (URL and
keyword/value forms) and a token in the alert webhook URLs, through a full successful run, a
failing run, an unreachable database, `cobranza validate` and both alert sensors. Every place
a person or a tool can read afterwards is scanned: the terminal, every log record, the
sensors' log, Dagster's run records and event log (which holds all metadata, check results
and errors), the alert bodies, the sensors' cursors, ops.mv_refresh_log and the JSON report."""

import json
import logging
import os

import pytest
from dagster import DagsterInstance, build_sensor_context
from dagster._serdes import serialize_value
from psycopg.conninfo import make_conninfo

from cobranza_pipeline.cli.main import main
from cobranza_pipeline.definitions import defs
from cobranza_pipeline.orchestration.sensors.check_alerts import check_alerts
from cobranza_pipeline.orchestration.sensors.run_alerts import refresh_run_failures
from tests.support.alert_servers import WebhookServer, free_port
from tests.support.check_fixtures import add_fleet
from tests.support.instances import sqlalchemy_storage_url

DB_SECRET = "Pw-4f9c2e-db-secret"
TOKEN = "Tk-8d1a7b-hook-token"


def with_password(db_url: str) -> tuple[str, str]:
    """db_url carrying DB_SECRET, as a libpq URL and in keyword/value form (the servers under
    test trust local connections, so the password is sent along and ignored)."""
    keyword = make_conninfo(db_url, password=DB_SECRET)
    url = sqlalchemy_storage_url(keyword).replace("postgresql+psycopg2://", "postgresql://", 1)
    assert DB_SECRET in url and DB_SECRET in keyword
    return url, keyword


@pytest.fixture
def webhook(monkeypatch):
    """The JSON webhook with a token in its path, and a Slack webhook that is down (its error
    lines are scanned too)."""
    for name in [n for n in os.environ if n.startswith("COBRANZA_ALERT_")]:
        monkeypatch.delenv(name)
    server = WebhookServer().start()
    monkeypatch.setenv("COBRANZA_ALERT_WEBHOOK_URL", f"{server.url}/{TOKEN}")
    monkeypatch.setenv("COBRANZA_ALERT_SLACK_WEBHOOK_URL", f"http://hooks:{TOKEN}@127.0.0.1:{free_port()}/T0/{TOKEN}")
    monkeypatch.setenv("COBRANZA_ALERT_TIMEOUT_S", "1")
    yield server
    server.stop()


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def run_sensors(instance) -> tuple[list[str], list[str]]:
    """One tick of each alert sensor: (their log lines, their cursors)."""
    handler, cursors = Lines(), []
    for sensor_fn in (refresh_run_failures, check_alerts):
        context = build_sensor_context(instance=instance, repository_def=defs.get_repository_def())
        context.log.addHandler(handler)  # the sensor's logger is Dagster's own, outside the logging tree
        sensor_fn(context)
        cursors.append(context.cursor or "")
    return handler.lines, cursors


def dagster_records(instance) -> str:
    """Every run record and every event of every run, serialized as Dagster stores them."""
    parts = []
    for run in instance.get_runs():
        parts.append(serialize_value(run))
        parts += [serialize_value(record) for record in instance.all_logs(run.run_id)]
    return "\n".join(parts)


def test_no_secret_anywhere_after_a_full_run_a_failing_run_and_their_alerts(
        conn, db_url, tmp_path, monkeypatch, capfd, caplog, webhook):
    add_fleet(conn)
    url_form, keyword_form = with_password(db_url)
    monkeypatch.setenv("COBRANZA_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))  # restored after the test
    (tmp_path / "dagster_home").mkdir()
    report = tmp_path / "validation_report.json"
    caplog.set_level(logging.DEBUG)

    for form in (url_form, keyword_form):
        monkeypatch.setenv("DATABASE_URL", form)
        assert main(["db-url"]) == 0
    monkeypatch.setenv("DATABASE_URL", keyword_form)
    assert main(["materialize"]) == 0  # the full run: views, MV, 21 checks, report
    assert main(["validate", "--output", str(report)]) == 0
    monkeypatch.setenv("DATABASE_URL", url_form)
    conn.execute("alter table public.summary_daily rename column date_file to fecha")
    assert main(["materialize"]) == 1  # a failing run: the source contract
    monkeypatch.setenv("DATABASE_URL", f"postgresql://collector:{DB_SECRET}@127.0.0.1:1/prod")
    assert main(["materialize"]) == 1  # unreachable: fails before a run starts

    with DagsterInstance.get() as instance:
        sensor_lines, cursors = run_sensors(instance)
        records = dagster_records(instance)
        assert len(instance.get_runs()) == 2
    terminal = capfd.readouterr()
    places = {
        "terminal": terminal.out + terminal.err,
        "log records": caplog.text,
        "sensor log": "\n".join(sensor_lines),
        "dagster runs and event log": records,
        "alert bodies": json.dumps([body for _path, body, _status in webhook.requests]),
        "sensor cursors": "\n".join(cursors),
        "ops.mv_refresh_log": repr(conn.execute("select * from ops.mv_refresh_log").fetchall()),
        "validation report": report.read_text(encoding="utf-8"),
    }
    leaks = [(place, secret) for place, text in places.items() for secret in (DB_SECRET, TOKEN) if secret in text]
    assert leaks == []

    # What was scanned is the real thing: the secrets were in use and every place has content.
    assert all(path == f"/hook/{TOKEN}" for path, _body, _status in webhook.requests)
    kinds = sorted(body["kind"] for _path, body, _status in webhook.requests)
    assert kinds == ["DIGEST", "FAILING"]
    assert "public.summary_daily.date_file: missing column" in places["alert bodies"]
    assert places["terminal"].count(":***@") == 3  # db-url, the failing and the unreachable run (URL form)
    assert "password=***" in places["terminal"]  # db-url and materialize (keyword form)
    assert "dagster/row_count" in records and "missing column" in records
    assert "slack (http://127.0.0.1:" in places["sensor log"]  # the down channel's error, host only
