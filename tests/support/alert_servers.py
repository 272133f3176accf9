"""Local endpoints for the alert tests: real sockets on 127.0.0.1, no mocks.

WebhookServer records every JSON body posted to it and answers as told (200, 500, a sleep
longer than the client's timeout, bytes that are not HTTP, or a status for the bodies that
mention a given text or are too large). SmtpServer is an aiosmtpd server that records each message it accepts
and can refuse the messages whose subject mentions a given text. Both run in threads and are stopped by the
fixture that started them. The fixtures (a plugin of conftest.py): `hook` and `smtp`, the bare
servers; `webhook`, the only channel configured by environment, and `instance`, for the sensor
tests.
"""

import email
import email.policy
import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from dagster import DagsterInstance


class WebhookServer:
    def __init__(self):
        self.requests = []  # (path, body, status answered) for every request, answered or not
        self.status = 200
        self.delay_s = 0.0
        self.garbage = False  # answer with bytes that are not an HTTP response
        self.refusing: dict[str, int] = {}  # a text -> the status for the bodies mentioning it
        self.max_body_bytes: int | None = None  # larger bodies are answered 413
        self._release = threading.Event()  # set at stop: a sleeping handler returns at once
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                status = next((code for text, code in owner.refusing.items() if text in json.dumps(body)), owner.status)
                if owner.max_body_bytes is not None and length > owner.max_body_bytes:
                    status = 413
                owner.requests.append((self.path, body, "garbage" if owner.garbage else status))
                if owner.delay_s:
                    owner._release.wait(owner.delay_s)
                try:
                    if owner.garbage:
                        self.wfile.write(b"NOT-HTTP garbage\r\n\r\n")
                        return
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the client gave up (timeout): nothing to answer

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    @property
    def received(self) -> list:
        """Bodies the server accepted (answered 2xx)."""
        return [body for _path, body, status in self.requests if status in (200, 201, 204)]

    def start(self) -> "WebhookServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class _Recorder:
    def __init__(self):
        self.messages = []
        self.refusing: str | None = None  # refuse (554) the messages whose subject mentions this

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        if self.refusing and self.refusing in str(message["Subject"]):
            return "554 5.6.0 Message content rejected"
        self.messages.append({
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "subject": str(message["Subject"]).strip(),  # a long subject is folded
            "body": message.get_body(("plain",)).get_content(),
        })
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.handler = _Recorder()
        self.port = free_port()  # aiosmtpd's Controller cannot be given port 0
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list:
        return self.handler.messages

    def start(self) -> "SmtpServer":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


class SilentServer:
    """Accepts TCP connections (kernel backlog) and never says a word: a hung SMTP server."""

    def __init__(self):
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(8)
        self.port = self._sock.getsockname()[1]

    def stop(self) -> None:
        self._sock.close()


UI = "http://dagster.example:3000"  # COBRANZA_UI_BASE_URL in the alert tests: the runs' links


@pytest.fixture
def hook():
    """A JSON webhook receiver on 127.0.0.1, for channels a test builds itself."""
    server = WebhookServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    """An SMTP server on 127.0.0.1 that records the messages it accepts."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def webhook(monkeypatch):
    """The only alert channel: a JSON webhook on 127.0.0.1 (other COBRANZA_ALERT_* unset)."""
    for name in [n for n in os.environ if n.startswith("COBRANZA_ALERT_")]:
        monkeypatch.delenv(name)
    server = WebhookServer().start()
    monkeypatch.setenv("COBRANZA_ALERT_WEBHOOK_URL", server.url)
    monkeypatch.setenv("COBRANZA_ALERT_TIMEOUT_S", "2")
    monkeypatch.setenv("COBRANZA_UI_BASE_URL", UI)
    yield server
    server.stop()


@pytest.fixture
def instance():
    """An ephemeral Dagster instance: runs and check history for the sensors to read."""
    instance = DagsterInstance.ephemeral()
    yield instance
    instance.dispose()
