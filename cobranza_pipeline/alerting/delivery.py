"""Delivery that survives any outage: every alert goes to the Dagster log and to each
configured channel, and an alert a channel could not take is kept (in the sensor cursor) and
retried on every later tick until the channel takes it. Nothing is given up.

Per channel the queue is sent oldest first and a channel that is down (fails once in a tick,
other than by refusing a message) is not tried again in that tick: a dead channel costs at most one timeout per tick, never blocks the others,
and never receives a later alert before an earlier one (so a recovery never arrives before its
failure). A channel that refuses one alert (channels.py: it is up, and answers that it will
not take that message) gets the alert's short form instead. When it refuses that too, the alert
is kept like any other, the channel still gets the alerts of other subjects in the same tick,
and only the later alerts of the refused alert's own subject wait behind it, so the order per
subject holds. The queue stays bounded however long the outage lasts, because what piles up for one
subject (a check or a job) is folded:
- a newer alert of a kind that states the latest news (DIGEST, NEW_CAUSE, WORSENED) replaces
  a pending one of the same kind and subject, counting it in details["folded"];
- a recovery whose failure was never delivered is not sent alone: the failure's pending alerts
  and the recovery become one FAILED_AND_RECOVERED alert that tells both (earlier such
  episodes still pending are folded into it).
So a subject holds at most a handful of entries per channel, whatever the number of ticks.
"""

from cobranza_pipeline.alerting.channels import ChannelError
from cobranza_pipeline.alerting.rules import Alert

REPLACED_KINDS = ("DIGEST", "NEW_CAUSE", "WORSENED")


def deliver(new_alerts: list[Alert], pending: list[dict], channels, log) -> list[dict]:
    """Send earlier undelivered alerts, then the new ones; return what is still undelivered."""
    for alert in new_alerts:
        log_alert(log, alert)
    queue = list(pending)
    for alert in new_alerts:
        for channel in channels:
            enqueue(queue, alert.as_dict(), channel.name)
    by_name = {channel.name: channel for channel in channels}
    down: set[str] = set()
    held: set[tuple[str, str]] = set()  # (channel, subject) behind an alert refused this tick
    still_pending = []
    for entry in queue:
        channel = by_name.get(entry["channel"])
        alert = Alert(**entry["alert"])
        if channel is None:
            log.warning(f"alert {alert.key} not sent: channel {entry['channel']} is no longer configured")
            continue
        if channel.name in down:  # no news from the channel this tick: not known to refuse
            still_pending.append(without_verdict(entry))
            continue
        if (channel.name, alert.subject) in held:
            still_pending.append(entry)
            continue
        try:
            send_or_shorten(channel, alert, log)
        except Exception as exc:  # noqa: BLE001 - no channel failure may crash the sensor
            exc = exc if isinstance(exc, ChannelError) else ChannelError(f"{channel.name}: {type(exc).__name__}")
            still_pending.append(failed_attempt(entry, exc))
            if exc.refused:
                held.add((channel.name, alert.subject))
                log.error(f"alert {alert.key} refused: {exc}, attempt {entry['attempts'] + 1}; "
                          "kept, retried next tick; the channel's alerts of other subjects are still sent")
            else:
                down.add(channel.name)
                log.warning(f"alert {alert.key} to {channel.name} failed ({exc}), attempt {entry['attempts'] + 1}; "
                            "kept, retried next tick")
    return still_pending


def send_or_shorten(channel, alert: Alert, log) -> None:
    """Send the alert; when the channel refuses it whole, send its short form (rules.py) in its
    place. Raises ChannelError when that fails too."""
    try:
        channel.send(alert)
    except ChannelError as exc:
        if not exc.refused:
            raise
        channel.send(alert.shortened(str(exc)))
        log.error(f"alert {alert.key}: {exc}; sent shortened instead (the whole alert is in this sensor's log "
                  "of the tick that raised it)")


def without_verdict(entry: dict) -> dict:
    """The entry without the channel's last refusal: that verdict holds only until the channel
    is tried again, or is found down."""
    return {key: value for key, value in entry.items() if key != "refused"}


def failed_attempt(entry: dict, exc: ChannelError) -> dict:
    """The entry after one more failed attempt; "refused" holds the channel's answer while the
    channel refuses it (and is dropped once the channel is merely down)."""
    entry = without_verdict(entry)
    entry["attempts"] += 1
    if exc.refused:
        entry["refused"] = str(exc)
    return entry


def enqueue(queue: list[dict], alert: dict, channel: str) -> None:
    """Append one delivery of alert to channel, folding what it makes obsolete (module docstring)."""
    mine = [entry for entry in queue if entry["channel"] == channel and entry["alert"]["subject"] == alert["subject"]]
    folded = []
    if alert["kind"] in REPLACED_KINDS:
        folded = [entry for entry in mine if entry["alert"]["kind"] == alert["kind"]]
    elif alert["kind"] == "RECOVERED":
        opening = next((entry for entry in mine if entry["alert"]["kind"] == "FAILING"), None)
        if opening is not None:
            # Everything of this subject from the undelivered failure on, and earlier folded episodes.
            folded = [entry for entry in mine if entry["alert"]["kind"] == "FAILED_AND_RECOVERED"]
            folded += mine[mine.index(opening):]
            alert = failed_and_recovered(opening["alert"], alert)
    count = sum(entry["alert"]["details"].get("folded", 0) + 1 for entry in folded)
    if alert["kind"] == "FAILED_AND_RECOVERED":
        count -= 1  # its own failure is told, not folded
    if count:
        alert = {**alert, "details": {**alert["details"], "folded": count}}
    for entry in folded:
        queue.remove(entry)
    queue.append({"alert": alert, "channel": channel, "attempts": 0})


def failed_and_recovered(failure: dict, recovery: dict) -> dict:
    return {
        **recovery,
        "kind": "FAILED_AND_RECOVERED",
        "severity": failure["severity"],
        "summary": f"failed (run {failure['run_id']}): {failure['summary']}; then recovered: {recovery['summary']}",
        "details": {**failure["details"], "failed_run_id": failure["run_id"]},
    }


def log_alert(log, alert: Alert) -> None:
    line = alert.text().replace("\n", " | ")
    if alert.kind in ("RECOVERED", "DIGEST"):
        log.info(line)
    elif alert.severity == "WARN" and alert.kind != "ESCALATION":
        log.warning(line)
    else:
        log.error(line)
