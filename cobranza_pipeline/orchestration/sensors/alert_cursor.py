"""What both alert sensors keep between ticks, and how a tick ends.

The cursor holds each source's progress, the streak of each check or job, and the deliveries
still pending, so a daemon restart neither repeats nor loses an alert.
"""

import json

from dagster import SkipReason

from cobranza_pipeline.alerting.channels import configured_channels
from cobranza_pipeline.alerting.delivery import deliver
from cobranza_pipeline.alerting.rules import Alert
from cobranza_pipeline.settings import AlertSettings


def load_cursor(raw: str | None) -> dict:
    cursor = json.loads(raw) if raw else {}
    cursor.setdefault("progress", {})
    cursor.setdefault("streaks", {})
    cursor.setdefault("pending", [])
    return cursor


def run_url(settings: AlertSettings, run_id: str) -> str:
    return f"{settings.ui_base_url}/runs/{run_id}"


def end_tick(context, cursor: dict, alerts: list[Alert], settings: AlertSettings) -> SkipReason:
    """Deliver the pending alerts and the new ones, store the cursor, and say what the tick did.

    A sensor tick that requests no run is shown by Dagster as skipped whatever it did, so the
    reason is the tick's record in the UI: the alerts it found, and what is still pending.
    """
    cursor["pending"] = deliver(alerts, cursor["pending"], configured_channels(settings), context.log)
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    return SkipReason(tick_summary(alerts, cursor["pending"]))


def tick_summary(alerts: list[Alert], pending: list[dict]) -> str:
    found = "; ".join(f"{alert.kind} {alert.subject}" for alert in alerts) if alerts else "no new alert"
    if not pending:
        return f"{found}; every delivery done, none pending"
    oldest = max(entry["attempts"] for entry in pending)
    channels = sorted({entry["channel"] for entry in pending})
    summary = (f"{found}; {len(pending)} deliveries pending for {', '.join(channels)} "
               f"(the oldest tried {oldest} times; retried every tick)")
    refused = [entry for entry in pending if "refused" in entry]
    if refused:
        summary += (f"; {len(refused)} of them refused by the channel ({refused[0]['refused']}), "
                    "not holding its other subjects")
    return summary
