"""README "Alerts", the channels: Slack-compatible webhook, JSON webhook and SMTP over real
sockets (tests/support/alert_servers.py), configured by environment as in production; a channel that
is down or slow fails fast with ChannelError, never blocks the others, never leaks a secret."""

import json
import logging
import os
import time

import pytest

from cobranza_pipeline.alerting.channels import ChannelError, configured_channels
from cobranza_pipeline.alerting.delivery import deliver
from cobranza_pipeline.alerting.rules import Alert
from cobranza_pipeline.settings import Settings
from tests.support.alert_servers import (
    SilentServer,
    WebhookServer,
    free_port,
)

RUNBOOK = "Look at missing_identity and no_source_match, then re-run the refresh."
ALERT = Alert(
    kind="FAILING", subject="ops/mv_yango_cabinet_cobranza_enriched_14d / scout_coverage", severity="ERROR",
    summary="0.00 % of 1 rows have a scout (threshold 90 %)", runbook=RUNBOOK, run_id="run-1",
    run_url="http://dagster.example:3000/runs/run-1", details={"value": "0.00", "threshold": "90"},
)
OTHER = Alert(kind="FAILING", subject="ops/stg_driver_trips_14d / unparseable_dates", severity="WARN",
              summary="1 summary_daily rows with an unparseable date_file (threshold 0)", run_id="run-1")
TITLE = "[cobranza FAILING ERROR] ops/mv_yango_cabinet_cobranza_enriched_14d / scout_coverage"
LOG = logging.getLogger("tests.alert_channels")


@pytest.fixture(autouse=True)
def alert_env(monkeypatch):
    """No channel but the ones a test configures; short timeouts."""
    for name in [n for n in os.environ if n.startswith("COBRANZA_ALERT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COBRANZA_ALERT_TIMEOUT_S", "0.5")
    return monkeypatch


@pytest.fixture
def http_server():
    servers = []

    def start() -> WebhookServer:
        servers.append(WebhookServer().start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.stop()


def channels() -> list:
    """The channels the environment configures now (the sensors' reading of it)."""
    return configured_channels(Settings.from_env().alerts)


def use_smtp(env, port, to="ops@cobranza.pe, lead@cobranza.pe"):
    env.setenv("COBRANZA_ALERT_SMTP_HOST", "127.0.0.1")
    env.setenv("COBRANZA_ALERT_SMTP_PORT", str(port))
    env.setenv("COBRANZA_ALERT_EMAIL_TO", to)
    env.setenv("COBRANZA_ALERT_EMAIL_FROM", "alerts@cobranza.pe")
    env.setenv("COBRANZA_ALERT_SMTP_STARTTLS", "false")


def only_channel():
    [channel] = channels()
    return channel


def test_slack_channel_posts_text_with_title_summary_runbook_and_link(alert_env, http_server):
    server = http_server()
    alert_env.setenv("COBRANZA_ALERT_SLACK_WEBHOOK_URL", server.url)
    only_channel().send(ALERT)
    [(path, body, _status)] = server.requests
    assert path == "/hook" and list(body) == ["text"]
    assert body["text"] == "\n".join([
        TITLE, "0.00 % of 1 rows have a scout (threshold 90 %)", f"What to do: {RUNBOOK}",
        "Run: http://dagster.example:3000/runs/run-1"])


def test_json_webhook_posts_the_alert_fields(alert_env, http_server):
    server = http_server()
    alert_env.setenv("COBRANZA_ALERT_WEBHOOK_URL", server.url)
    only_channel().send(ALERT)
    assert server.received == [{
        "source": "cobranza-pipeline", "kind": "FAILING", "subject": ALERT.subject, "severity": "ERROR",
        "summary": "0.00 % of 1 rows have a scout (threshold 90 %)", "runbook": RUNBOOK, "run_id": "run-1",
        "run_url": "http://dagster.example:3000/runs/run-1", "details": {"value": "0.00", "threshold": "90"},
    }]


def test_email_arrives_with_the_title_as_subject_and_the_runbook_in_the_body(alert_env, smtp):
    use_smtp(alert_env, smtp.port)
    only_channel().send(ALERT)
    [message] = smtp.messages
    assert message["subject"] == TITLE
    assert (message["mail_from"], message["rcpt_tos"]) == ("alerts@cobranza.pe", ["ops@cobranza.pe", "lead@cobranza.pe"])
    assert f"What to do: {RUNBOOK}" in message["body"]
    assert "0.00 % of 1 rows have a scout (threshold 90 %)" in message["body"]
    assert "Run: http://dagster.example:3000/runs/run-1" in message["body"]


def test_an_email_keeps_accents_and_a_line_that_is_a_lone_dot(alert_env, smtp):
    """The message is handed over step by step (channels.py): its data still arrives whole."""
    use_smtp(alert_env, smtp.port)
    summary = "Conductor José Peña: 0.00 % con scout (umbral 90 %)\n.\nla línea tras el punto"
    only_channel().send(Alert("FAILING", ALERT.subject, "ERROR", summary, run_id="run-1"))
    [message] = smtp.messages
    assert message["body"].splitlines() == [TITLE, *summary.splitlines()]  # as send_message handed it over


def _dead_webhook(env, http_server, silent):
    env.setenv("COBRANZA_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{free_port()}/hook")


def _slow_webhook(env, http_server, silent):
    server = http_server()
    server.delay_s = 3  # six times the 0.5 s timeout
    env.setenv("COBRANZA_ALERT_WEBHOOK_URL", server.url)


def _webhook_500(env, http_server, silent):
    server = http_server()
    server.status = 500
    env.setenv("COBRANZA_ALERT_WEBHOOK_URL", server.url)


def _webhook_not_http(env, http_server, silent):
    server = http_server()
    server.garbage = True  # e.g. the URL points at a port that speaks another protocol
    env.setenv("COBRANZA_ALERT_WEBHOOK_URL", server.url)


def _dead_smtp(env, http_server, silent):
    use_smtp(env, free_port())


def _hung_smtp(env, http_server, silent):
    use_smtp(env, silent.port)  # accepts the connection, never greets


@pytest.mark.parametrize("broken", [_dead_webhook, _slow_webhook, _webhook_500, _webhook_not_http, _dead_smtp, _hung_smtp])
def test_a_down_or_slow_channel_raises_channel_error_quickly(alert_env, http_server, silent, broken):
    broken(alert_env, http_server, silent)
    started = time.monotonic()
    with pytest.raises(ChannelError):
        only_channel().send(ALERT)
    assert time.monotonic() - started < 1.5


def test_down_and_slow_channels_do_not_stop_email_in_the_same_tick(alert_env, http_server, smtp):
    slow = http_server()
    slow.delay_s = 3
    alert_env.setenv("COBRANZA_ALERT_SLACK_WEBHOOK_URL", f"http://127.0.0.1:{free_port()}/services/x")
    alert_env.setenv("COBRANZA_ALERT_WEBHOOK_URL", slow.url)
    use_smtp(alert_env, smtp.port)
    started = time.monotonic()
    pending = deliver([ALERT, OTHER], [], channels(), LOG)
    assert time.monotonic() - started < 2.5  # one timeout per broken channel, not one per alert
    assert [m["subject"] for m in smtp.messages] == [
        TITLE, "[cobranza FAILING WARN] ops/stg_driver_trips_14d / unparseable_dates"]
    # both alerts stay pending for the two broken channels; only the first try of each counts
    assert sorted((e["channel"], e["alert"]["subject"], e["attempts"]) for e in pending) == [
        ("slack", ALERT.subject, 1), ("slack", OTHER.subject, 0),
        ("webhook", ALERT.subject, 1), ("webhook", OTHER.subject, 0)]
    assert len(slow.requests) == 1


def test_a_down_mail_server_does_not_stop_the_webhooks(alert_env, http_server):
    slack, hook = http_server(), http_server()
    alert_env.setenv("COBRANZA_ALERT_SLACK_WEBHOOK_URL", slack.url)
    alert_env.setenv("COBRANZA_ALERT_WEBHOOK_URL", hook.url)
    use_smtp(alert_env, free_port())
    pending = deliver([ALERT], [], channels(), LOG)
    assert [b["text"].splitlines()[0] for b in slack.received] == [TITLE]
    assert [(b["kind"], b["subject"]) for b in hook.received] == [("FAILING", ALERT.subject)]
    assert [(e["channel"], e["attempts"]) for e in pending] == [("email", 1)]


def test_a_webhook_answering_garbage_is_a_channel_error_in_delivery(alert_env, http_server):
    broken, slack = http_server(), http_server()
    broken.garbage = True
    alert_env.setenv("COBRANZA_ALERT_WEBHOOK_URL", broken.url)
    alert_env.setenv("COBRANZA_ALERT_SLACK_WEBHOOK_URL", slack.url)
    pending = deliver([ALERT], [], channels(), LOG)  # must not raise: the sensor would crash
    assert len(slack.received) == 1
    assert [(e["channel"], e["attempts"]) for e in pending] == [("webhook", 1)]


def test_no_secret_in_log_lines_or_errors(alert_env, http_server, smtp, caplog):
    refusing = http_server()
    refusing.status = 500
    alert_env.setenv("COBRANZA_ALERT_WEBHOOK_URL", refusing.url + "?token=S3CRET")
    alert_env.setenv("COBRANZA_ALERT_SLACK_WEBHOOK_URL", f"http://hook:S3CRET@127.0.0.1:{free_port()}/T0/B0/S3CRET")
    use_smtp(alert_env, smtp.port)
    alert_env.setenv("COBRANZA_ALERT_SMTP_USER", "alerts")
    alert_env.setenv("COBRANZA_ALERT_SMTP_PASSWORD", "S3CRET")  # the server offers no AUTH: login fails
    configured = channels()
    errors = []
    for channel in configured:
        with pytest.raises(ChannelError) as raised:
            channel.send(ALERT)
        errors.append(str(raised.value))
    with caplog.at_level(logging.DEBUG, logger=LOG.name):
        pending = deliver([ALERT], [], configured, LOG)  # first try: warnings
        assert sorted(e["channel"] for e in pending) == ["email", "slack", "webhook"]
        pending = deliver([], pending, configured, LOG)  # second try: still kept, never given up
    assert sorted((e["channel"], e["attempts"]) for e in pending) == [("email", 2), ("slack", 2), ("webhook", 2)]
    assert len([r for r in caplog.records if r.levelno == logging.WARNING and "kept" in r.getMessage()]) == 6
    assert refusing.requests and refusing.requests[0][0] == "/hook?token=S3CRET"  # the token was used
    assert smtp.messages == []
    assert all("S3CRET" not in error for error in errors), errors
    assert "S3CRET" not in caplog.text
    assert "S3CRET" not in json.dumps(pending)
