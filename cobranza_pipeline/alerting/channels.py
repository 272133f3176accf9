"""Where alerts go: the Dagster log always, plus each channel the settings configure.

A channel that is down or slow raises ChannelError within the alert timeout; the
caller keeps the alert and retries it on a later tick. A channel that is up but answers that
it will not take this message (a webhook's 400, 413, 415 or 422; an SMTP server's 5xx at the
end of the message's data) raises ChannelError with refused set: the caller keeps that alert too, without
holding the channel's other alerts behind it. Error text never carries a webhook token or an
SMTP password: URLs are reduced to scheme and host.
"""

import email.policy
import http.client
import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

from cobranza_pipeline.alerting.rules import Alert
from cobranza_pipeline.settings import AlertSettings, SmtpSettings

# Answers about the request itself. Every other status (401/403/404: a revoked or mistyped
# webhook; 408/429/5xx: busy or down) is about the channel, so its alerts wait for it in order.
REFUSED_HTTP_STATUSES = frozenset({400, 413, 415, 422})


class ChannelError(RuntimeError):
    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.refused = refused  # the channel is up and refused this message


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
            raise ChannelError(f"{self.name} ({safe_target(self.url)}) answered HTTP {exc.code}",
                               refused=exc.code in REFUSED_HTTP_STATUSES) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ChannelError(f"{self.name} ({safe_target(self.url)}) unreachable: {reason}") from None
        except http.client.HTTPException as exc:  # answered, but not with HTTP
            raise ChannelError(f"{self.name} ({safe_target(self.url)}) answered garbage: {type(exc).__name__}") from None


@dataclass(frozen=True)
class EmailChannel:
    name: str
    smtp: SmtpSettings
    timeout_s: float

    def send(self, alert: Alert) -> None:
        smtp = self.smtp
        message = EmailMessage()
        message["Subject"] = alert.title()
        message["From"] = smtp.sender
        message["To"] = ", ".join(smtp.recipients)
        message.set_content(alert.text())
        try:
            with smtplib.SMTP(smtp.host, smtp.port, timeout=self.timeout_s) as session:
                if smtp.starttls:
                    session.starttls()
                if smtp.user:
                    session.login(smtp.user, smtp.password or "")
                code, _ = hand_over(session, message, smtp)
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"{self.name} ({smtp.host}:{smtp.port}) failed: {type(exc).__name__}") from None
        if code != 250:
            raise ChannelError(f"{self.name} ({smtp.host}:{smtp.port}) answered {code} to the message",
                               refused=code >= 500)


def hand_over(session: smtplib.SMTP, message: EmailMessage, smtp: SmtpSettings) -> tuple[int, bytes]:
    """Envelope, then data, step by step; the server's reply at the end of the data. That reply
    is its verdict on this message; a refused sender, recipient or DATA command raises, because
    it would refuse any message (smtplib's send_message raises the same error for both)."""
    session.ehlo_or_helo_if_needed()
    code, reply = session.mail(smtp.sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, smtp.sender)
    for recipient in smtp.recipients:
        code, reply = session.rcpt(recipient)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    return session.data(message.as_bytes(policy=email.policy.SMTP))  # raises SMTPDataError unless 354


def configured_channels(settings: AlertSettings) -> list:
    """The channels the settings name, in a fixed order (slack, webhook, email)."""
    channels = []
    if settings.slack_webhook_url:
        channels.append(WebhookChannel("slack", settings.slack_webhook_url, True, settings.timeout_s))
    if settings.webhook_url:
        channels.append(WebhookChannel("webhook", settings.webhook_url, False, settings.timeout_s))
    if settings.smtp:
        channels.append(EmailChannel("email", settings.smtp, settings.timeout_s))
    return channels
