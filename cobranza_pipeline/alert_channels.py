"""Where alerts go: the Dagster log always, plus each channel configured by environment.

A channel that is down or slow raises ChannelError within COBRANZA_ALERT_TIMEOUT_S; the
caller keeps the alert and retries it on a later tick. Error text never carries a webhook
token or an SMTP password: URLs are reduced to scheme and host.
"""

import http.client
import json
import os
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

from cobranza_pipeline.alert_rules import Alert


class ChannelError(RuntimeError):
    pass


def safe_target(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{':' + str(parts.port) if parts.port else ''}/***"


@dataclass(frozen=True)
class WebhookChannel:
    """Slack-compatible incoming webhook ({"text": ...}) or a generic JSON webhook (the alert)."""

    name: str
    url: str
    slack: bool
    timeout_s: float

    def send(self, alert: Alert) -> None:
        body = {"text": alert.text()} if self.slack else {"source": "cobranza-pipeline", **alert.as_dict()}
        request = urllib.request.Request(
            self.url, data=json.dumps(body, default=str).encode(), headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise ChannelError(f"{self.name} ({safe_target(self.url)}) answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ChannelError(f"{self.name} ({safe_target(self.url)}) unreachable: {reason}") from None
        except http.client.HTTPException as exc:  # answered, but not with HTTP
            raise ChannelError(f"{self.name} ({safe_target(self.url)}) answered garbage: {type(exc).__name__}") from None


@dataclass(frozen=True)
class EmailChannel:
    name: str
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None
    password: str | None
    starttls: bool
    timeout_s: float

    def send(self, alert: Alert) -> None:
        message = EmailMessage()
        message["Subject"] = alert.title()
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(alert.text())
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"{self.name} ({self.host}:{self.port}) failed: {type(exc).__name__}") from None


def channels_from_env(env=os.environ) -> list:
    timeout = float(env.get("COBRANZA_ALERT_TIMEOUT_S", "5"))
    channels = []
    if env.get("COBRANZA_ALERT_SLACK_WEBHOOK_URL"):
        channels.append(WebhookChannel("slack", env["COBRANZA_ALERT_SLACK_WEBHOOK_URL"], True, timeout))
    if env.get("COBRANZA_ALERT_WEBHOOK_URL"):
        channels.append(WebhookChannel("webhook", env["COBRANZA_ALERT_WEBHOOK_URL"], False, timeout))
    if env.get("COBRANZA_ALERT_SMTP_HOST") and env.get("COBRANZA_ALERT_EMAIL_TO"):
        channels.append(
            EmailChannel(
                name="email",
                host=env["COBRANZA_ALERT_SMTP_HOST"],
                port=int(env.get("COBRANZA_ALERT_SMTP_PORT", "587")),
                sender=env.get("COBRANZA_ALERT_EMAIL_FROM", "cobranza-pipeline@localhost"),
                recipients=tuple(a.strip() for a in env["COBRANZA_ALERT_EMAIL_TO"].split(",") if a.strip()),
                user=env.get("COBRANZA_ALERT_SMTP_USER") or None,
                password=env.get("COBRANZA_ALERT_SMTP_PASSWORD") or None,
                starttls=env.get("COBRANZA_ALERT_SMTP_STARTTLS", "true").lower() in ("1", "true", "yes"),
                timeout_s=timeout,
            )
        )
    return channels
