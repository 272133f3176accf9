"""README "Alerts", the rules and the delivery guarantee as plain logic: severity escalation,
a new cause of failure, and delivery across an outage of any length (a real webhook answering
500 for many ticks), with the queue bounded and nothing sent twice."""

import logging

from cobranza_pipeline.alerting.channels import WebhookChannel
from cobranza_pipeline.alerting.delivery import deliver
from cobranza_pipeline.alerting.rules import Alert, StreakState, apply_result, cause_of

LOG = logging.getLogger("tests.alert_rules")
CHECK = "ops/mv / scout_coverage"


def results(state, steps, cause=lambda step: ""):
    """[(passed, severity)] -> the kinds alerted, one list per step."""
    sent = []
    for index, (passed, severity) in enumerate(steps):
        alerts = apply_result(state, passed, lambda kind, i=index: Alert(kind, CHECK, severity, f"step {i}", run_id=f"r{i}"),
                              severity, cause((passed, severity, index)))
        sent.append([alert.kind for alert in alerts])
    return sent


def test_warn_getting_worse_to_error_alerts_once_and_a_better_warn_is_grouped():
    steps = [(False, "WARN"), (False, "WARN"), (False, "ERROR"), (False, "ERROR"), (False, "WARN"), (False, "ERROR"),
             (True, "ERROR")]
    assert results(StreakState(), steps) == [
        ["FAILING"], [], ["WORSENED", "ESCALATION"], [], [], ["WORSENED"], ["RECOVERED"]]


def test_an_error_from_the_start_is_not_a_worsening():
    assert results(StreakState(), [(False, "ERROR"), (False, "ERROR")]) == [["FAILING"], []]


def test_a_failure_for_another_cause_alerts_and_the_same_cause_with_other_numbers_is_grouped():
    messages = ["lock timeout after 30 s (pid 4711)", "lock timeout after 31 s (pid 99)", "missing column date_file",
                "missing column date_file"]
    state = StreakState()
    sent = results(state, [(False, "ERROR")] * 4, cause=lambda step: cause_of(messages[step[2]]))
    assert sent == [["FAILING"], [], ["NEW_CAUSE", "ESCALATION"], []]
    assert state.cause == "missing column date_file"


def test_a_cursor_written_before_severity_was_kept_still_loads():
    state = StreakState(**{"failing": True, "consecutive_failures": 1, "escalated": False})
    assert results(state, [(False, "ERROR")]) == [[]]


def alert(kind, subject, run, severity="ERROR"):
    return Alert(kind, subject, severity, f"{kind} in {run}", run_id=run)


def test_an_outage_of_200_ticks_loses_nothing_stays_bounded_and_sends_each_alert_once(hook):
    channels = [WebhookChannel("webhook", hook.url, False, 2.0)]
    hook.status = 500
    pending = deliver([alert("FAILING", "job daily", "r0")], [], channels, LOG)
    sizes = []
    for tick in range(1, 201):
        new = [alert("DIGEST", "daily validation", f"r{tick}", "INFO")]
        if tick % 2:  # a check flapping every tick, and a job failing for ever-new causes
            new.append(alert("FAILING", CHECK, f"r{tick}"))
            new.append(alert("NEW_CAUSE", "job daily", f"r{tick}"))
        else:
            new.append(alert("RECOVERED", CHECK, f"r{tick}"))
        pending = deliver(new, pending, channels, LOG)
        sizes.append(len(pending))
    assert len(hook.requests) == 201 and hook.received == []  # one attempt per tick, the oldest first
    assert max(sizes) == 5  # bounded: it does not grow with the outage
    assert [(e["alert"]["kind"], e["alert"]["subject"], e["attempts"]) for e in pending] == [
        ("FAILING", "job daily", 201),
        ("NEW_CAUSE", "job daily", 0),
        ("DIGEST", "daily validation", 0),
        ("FAILED_AND_RECOVERED", CHECK, 0)]
    hook.status = 200
    assert deliver([], pending, channels, LOG) == []
    got = [(b["kind"], b["subject"], b["run_id"], b["details"].get("folded")) for b in hook.received]
    assert got == [
        ("FAILING", "job daily", "r0", None),
        ("NEW_CAUSE", "job daily", "r199", 99),
        ("DIGEST", "daily validation", "r200", 199),
        ("FAILED_AND_RECOVERED", CHECK, "r200", 99)]  # 100 episodes: the last told, 99 folded in
    assert hook.received[3]["summary"] == "failed (run r199): FAILING in r199; then recovered: RECOVERED in r200"
    assert deliver([], [], channels, LOG) == [] and len(hook.received) == 4  # nothing twice


def test_a_recovery_is_sent_alone_only_after_its_failure_was_delivered(hook):
    channels = [WebhookChannel("webhook", hook.url, False, 2.0)]
    pending = deliver([alert("FAILING", CHECK, "r1")], [], channels, LOG)
    hook.status = 500
    pending = deliver([alert("RECOVERED", CHECK, "r2")], pending, channels, LOG)
    hook.status = 200
    assert deliver([], pending, channels, LOG) == []
    assert [b["kind"] for b in hook.received] == ["FAILING", "RECOVERED"]
