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


def end_tick(context, cursor: dict, alerts: list[Alert], settings: AlertSettings) -> SkipReason | None:
    """Deliver the new alerts and the pending ones, store the cursor, and say why a tick that
    found nothing new did nothing."""
    cursor["pending"] = deliver(alerts, cursor["pending"], configured_channels(settings), context.log,
                                settings.max_attempts)
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    if not alerts:
        return SkipReason(f"no new alert ({len(cursor['pending'])} deliveries pending)")
    return None
