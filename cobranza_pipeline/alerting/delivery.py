"""At-least-once delivery: every alert goes to the Dagster log and to each configured channel.

An alert a channel could not take stays in the sensor cursor and is retried on the next tick;
after max_attempts failed tries (COBRANZA_ALERT_MAX_ATTEMPTS) it is logged as given up (never dropped
silently). A channel that fails once in a tick is not tried again in that tick, so a slow or
dead channel costs at most one timeout per tick and never blocks the others.
"""

from cobranza_pipeline.alerting.channels import ChannelError
from cobranza_pipeline.alerting.rules import Alert


def deliver(new_alerts: list[Alert], pending: list[dict], channels, log, max_attempts: int) -> list[dict]:
    """Send new alerts and earlier undelivered ones; return what is still undelivered."""
    for alert in new_alerts:
        log_alert(log, alert)
    queue = pending + [
        {"alert": alert.as_dict(), "channel": channel.name, "attempts": 0} for alert in new_alerts for channel in channels
    ]
    by_name = {channel.name: channel for channel in channels}
    down: set[str] = set()
    still_pending = []
    for entry in queue:
        channel = by_name.get(entry["channel"])
        alert = Alert(**entry["alert"])
        if channel is None:
            log.warning(f"alert {alert.key} not sent: channel {entry['channel']} is no longer configured")
            continue
        if channel.name in down:
            still_pending.append(entry)
            continue
        try:
            channel.send(alert)
        except Exception as exc:  # noqa: BLE001 - no channel failure may crash the sensor
            exc = exc if isinstance(exc, ChannelError) else ChannelError(f"{channel.name}: {type(exc).__name__}")
            down.add(channel.name)
            entry = {**entry, "attempts": entry["attempts"] + 1}
            if entry["attempts"] >= max_attempts:
                log.error(f"gave up on alert {alert.key} to {channel.name} after {entry['attempts']} attempts: {exc}")
            else:
                log.warning(f"alert {alert.key} to {channel.name} failed ({exc}); retrying next tick")
                still_pending.append(entry)
    return still_pending


def log_alert(log, alert: Alert) -> None:
    line = alert.text().replace("\n", " | ")
    if alert.kind in ("RECOVERED", "DIGEST"):
        log.info(line)
    elif alert.severity == "WARN" and alert.kind != "ESCALATION":
        log.warning(line)
    else:
        log.error(line)
