"""README "Alerts", a channel that refuses one message: a webhook answering 400/413/415/422 to
one body, or a mail server answering 554 at the end of one message's data, is up. It gets the
alert's short form instead; when it refuses that too, the alert is kept and retried every tick,
the channel's alerts of other subjects still arrive in the same tick, and the later alerts of
the refused subject wait behind it (so a subject's order holds). Any other answer (401/403/404:
a revoked or mistyped hook; 408/429/5xx: busy or down) holds the whole channel, oldest first, as
an outage does. Real sockets (tests/support/alert_servers.py)."""

import logging

import pytest

from cobranza_pipeline.alerting.channels import ChannelError, EmailChannel, WebhookChannel
from cobranza_pipeline.alerting.delivery import deliver
from cobranza_pipeline.alerting.rules import Alert
from cobranza_pipeline.orchestration.sensors.alert_cursor import tick_summary
from cobranza_pipeline.settings import SmtpSettings
from tests.support.alert_servers import WebhookServer

LOG = logging.getLogger("tests.alert_refusals")
REFUSED = "ops/mv / scout_coverage"  # the subject the receivers refuse
OTHER = "ops/stg / unparseable_dates"


def alert(kind: str, subject: str, run: str) -> Alert:
    return Alert(kind, subject, "ERROR", f"{kind} of {subject} in {run}", run_id=run)


def kinds(bodies: list) -> list[tuple[str, str, str]]:
    return [(body["kind"], body["subject"], body["run_id"]) for body in bodies]


def webhook_channel(server: WebhookServer) -> WebhookChannel:
    return WebhookChannel("webhook", server.url, False, 2.0)


@pytest.mark.parametrize("status, refused", [
    (400, True), (413, True), (415, True), (422, True),
    (401, False), (403, False), (404, False), (408, False), (429, False), (500, False), (503, False)])
def test_which_webhook_answers_refuse_the_message_and_which_hold_the_channel(hook, status, refused):
    hook.status = status
    with pytest.raises(ChannelError) as raised:
        webhook_channel(hook).send(alert("FAILING", REFUSED, "r1"))
    assert raised.value.refused is refused
    assert str(raised.value) == f"webhook ({hook.url.rsplit('/', 1)[0]}/***) answered HTTP {status}"


def test_a_refused_alert_holds_only_its_own_subject_and_arrives_once_the_channel_takes_it(hook):
    channels = [webhook_channel(hook)]
    hook.refusing = {REFUSED: 422}
    pending = deliver([alert("FAILING", REFUSED, "r1"), alert("FAILING", OTHER, "r1")], [], channels, LOG)
    assert kinds(hook.received) == [("FAILING", OTHER, "r1")]  # sent in the same tick, after the refusal
    assert [(e["alert"]["kind"], e["attempts"], e["refused"]) for e in pending] == [
        ("FAILING", 1, f"webhook ({hook.url.rsplit('/', 1)[0]}/***) answered HTTP 422")]

    assert len(hook.requests) == 3  # the failure, its short form (refused as well), the other subject

    pending = deliver([alert("ESCALATION", REFUSED, "r2"), alert("RECOVERED", OTHER, "r2")], pending, channels, LOG)
    assert kinds(hook.received) == [("FAILING", OTHER, "r1"), ("RECOVERED", OTHER, "r2")]
    assert len(hook.requests) == 6  # the escalation was not tried: it waits behind its refused failure
    assert [(e["alert"]["kind"], e["attempts"], "refused" in e) for e in pending] == [
        ("FAILING", 2, True), ("ESCALATION", 0, False)]
    assert tick_summary([], pending) == (
        "no new alert; 2 deliveries pending for webhook (the oldest tried 2 times; retried every tick); "
        f"1 of them refused by the channel (webhook ({hook.url.rsplit('/', 1)[0]}/***) answered HTTP 422), "
        "not holding its other subjects")

    hook.refusing, hook.status = {}, 500  # now the channel is down: one attempt, and no longer 'refused'
    pending = deliver([], pending, channels, LOG)
    assert len(hook.requests) == 7
    assert [(e["alert"]["kind"], e["attempts"], "refused" in e) for e in pending] == [
        ("FAILING", 3, False), ("ESCALATION", 0, False)]

    hook.status = 200
    assert deliver([], pending, channels, LOG) == []
    assert kinds(hook.received) == [("FAILING", OTHER, "r1"), ("RECOVERED", OTHER, "r2"),
                                    ("FAILING", REFUSED, "r1"), ("ESCALATION", REFUSED, "r2")]
    assert deliver([], [], channels, LOG) == [] and len(hook.received) == 4  # nothing twice


def test_a_body_too_large_arrives_shortened_at_once(hook, caplog):
    hook.max_body_bytes = 2000
    long_error = "refresh failed: " + "x" * 5000
    with caplog.at_level(logging.ERROR, logger=LOG.name):
        failing = Alert("FAILING", REFUSED, "ERROR", long_error, run_id="r1", details={"value": "0.00"})
        pending = deliver([failing], [], [webhook_channel(hook)], LOG)
    assert pending == [] and [status for _, _, status in hook.requests] == [413, 200]
    [body] = hook.received
    assert body["summary"] == ("refresh failed: " + "x" * 184 + f"... [shortened: webhook ({hook.url.rsplit('/', 1)[0]}"
                               "/***) answered HTTP 413; the whole alert is in the alert sensor's log]")
    assert (body["kind"], body["run_id"], body["details"]) == ("FAILING", "r1", {"shortened": "true"})
    assert long_error in caplog.text  # the whole alert, in the sensor's log
    assert "sent shortened instead" in caplog.text


def test_an_alert_refused_earlier_is_not_called_refused_while_the_channel_is_down(hook):
    channels = [webhook_channel(hook)]
    hook.refusing = {REFUSED: 422}
    [refused] = deliver([alert("FAILING", REFUSED, "r1")], [], channels, LOG)
    assert "refused" in refused
    hook.refusing, hook.status = {}, 500
    earlier = {"alert": alert("FAILING", OTHER, "r0").as_dict(), "channel": "webhook", "attempts": 0}
    pending = deliver([], [earlier, refused], channels, LOG)  # the earlier entry finds the channel down
    assert [(e["alert"]["subject"], e["attempts"], "refused" in e) for e in pending] == [
        (OTHER, 1, False), (REFUSED, 1, False)]  # not tried this tick: its count stays, its verdict goes
    assert "refused" not in tick_summary([], pending)


# Regression guards: these held before refusals were told apart, and must go on holding.
def test_a_recovery_of_a_refused_failure_is_told_with_it_not_before_it(hook):
    channels = [webhook_channel(hook)]
    hook.refusing = {'"kind": "FAILING"': 400}  # the failure's body only
    pending = deliver([alert("FAILING", REFUSED, "r1")], [], channels, LOG)
    pending = deliver([alert("RECOVERED", REFUSED, "r2")], pending, channels, LOG)
    assert pending == []
    assert kinds(hook.received) == [("FAILED_AND_RECOVERED", REFUSED, "r2")]
    assert hook.received[0]["summary"] == (
        f"failed (run r1): FAILING of {REFUSED} in r1; then recovered: RECOVERED of {REFUSED} in r2")


def test_a_hook_that_is_gone_holds_every_alert_in_order(hook):
    channels = [webhook_channel(hook)]
    hook.status = 404
    pending = deliver([alert("FAILING", REFUSED, "r1"), alert("FAILING", OTHER, "r1")], [], channels, LOG)
    assert len(hook.requests) == 1  # one attempt per tick for the whole channel
    assert [(e["alert"]["subject"], e["attempts"], "refused" in e) for e in pending] == [
        (REFUSED, 1, False), (OTHER, 0, False)]


def test_an_email_the_server_refuses_does_not_hold_the_next_one(smtp):
    smtp.handler.refusing = REFUSED
    settings = SmtpSettings(host="127.0.0.1", port=smtp.port, user=None, password=None, starttls=False,
                            sender="alerts@cobranza.pe", recipients=("ops@cobranza.pe",))
    channels = [EmailChannel("email", settings, 2.0)]
    pending = deliver([alert("FAILING", REFUSED, "r1"), alert("FAILING", OTHER, "r1")], [], channels, LOG)
    assert [m["subject"] for m in smtp.messages] == [f"[cobranza FAILING ERROR] {OTHER}"]
    assert [(e["alert"]["subject"], e["attempts"], e["refused"]) for e in pending] == [
        (REFUSED, 1, f"email (127.0.0.1:{smtp.port}) answered 554 to the message")]
    smtp.handler.refusing = None
    assert deliver([], pending, channels, LOG) == []
    assert [m["subject"] for m in smtp.messages] == [f"[cobranza FAILING ERROR] {OTHER}",
                                                     f"[cobranza FAILING ERROR] {REFUSED}"]
