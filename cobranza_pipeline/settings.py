"""Configuration: every environment variable the product reads, read here and nowhere else.

`Settings.from_env()` is called at the edges (the CLI, a Dagster resource, the definitions
module) and the values are passed in from there; the layers below never look at the
environment. A malformed value is a ConfigError whose one line names the variable and what it
accepts (README "Configuration" lists them all).
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cobranza_pipeline.settings_reader import ConfigError, EnvReader

DEFAULT_TIMEZONE = "America/Lima"


@dataclass(frozen=True)
class Thresholds:
    """The validation suite's thresholds (README "Validation suite")."""

    scout_coverage_error_pct: Decimal = Decimal("90")
    scout_coverage_warn_pct: Decimal = Decimal("95")
    query_latency_ms: float = 300.0
    freshness_hours: float = 26.0
    stage_sample_drivers: int = 200  # drivers the stage reconciliation recomputes from raw per run


@dataclass(frozen=True)
class ApiSettings:
    """The HTTP API's limits (README "HTTP API")."""

    statement_timeout_s: float = 30.0  # per statement, like the old backend
    lock_timeout_s: float = 5.0  # an MV swap in progress: answer 503 soon rather than queue
    connect_timeout_s: int = 5
    max_sessions: int = 8  # concurrent database sessions the API opens at most
    session_wait_s: float = 10.0  # a request waits this long for a free session, then 503
    request_timeout_s: float = 60.0  # a session still open this long is cut (its server went silent): 503
    scout_kpi_cache_ttl_s: float = 60.0
    scout_kpi_cache_entries: int = 256
    export_max_rows: int = 200_000
    export_write_timeout_s: float = 30.0  # a download client that reads nothing this long is cut off


@dataclass(frozen=True)
class AccessSettings:
    """Who may use the page and the API (README "Web page and access"): a token, and the other
    origins whose browser pages may call the API (CORS). The token is kept out of repr()."""

    token: str | None = field(default=None, repr=False)
    cors_origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None
    password: str | None
    starttls: bool


@dataclass(frozen=True)
class AlertSettings:
    """Where alerts go and how hard delivery tries (README "Alerts")."""

    slack_webhook_url: str | None = None
    webhook_url: str | None = None
    smtp: SmtpSettings | None = None
    timeout_s: float = 5.0
    sensor_interval_s: int = 30  # the alert sensors' minimum interval between ticks
    ui_base_url: str = "http://127.0.0.1:3000"
    digest: bool = True


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None  # None: the embedded default (local/embedded.py)
    # The HTTP API's own database, e.g. a streaming replica of database_url (README "Scaling").
    api_database_url: str | None = None
    home: Path = field(default_factory=lambda: (Path.cwd() / ".cobranza").resolve())
    dagster_home: Path | None = None  # None: <home>/dagster_home
    demo_drivers: int = 5000
    timezone: str = DEFAULT_TIMEZONE
    schedule_cron: str = "0 2 * * *"
    change_sensor_interval_s: int = 120
    docs_url: str = (Path(__file__).resolve().parents[1] / "README.md").as_uri()  # the runbook links' base
    thresholds: Thresholds = Thresholds()
    api: ApiSettings = ApiSettings()
    alerts: AlertSettings = AlertSettings()
    access: AccessSettings = AccessSettings()

    @property
    def local_dagster_home(self) -> Path:
        return self.dagster_home or self.home / "dagster_home"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "Settings":
        read = EnvReader(env)
        home = read.directory("COBRANZA_HOME") or (Path.cwd() / ".cobranza").resolve()
        return cls(
            database_url=read.conninfo("DATABASE_URL"),
            api_database_url=read.conninfo("COBRANZA_API_DATABASE_URL"),
            home=home,
            dagster_home=read.directory("DAGSTER_HOME"),
            demo_drivers=read.integer("COBRANZA_DEMO_DRIVERS", 5000, low=1),
            timezone=read.timezone("COBRANZA_TIMEZONE", DEFAULT_TIMEZONE),
            schedule_cron=read.cron("COBRANZA_SCHEDULE_CRON", "0 2 * * *"),
            change_sensor_interval_s=read.integer("COBRANZA_CHANGE_SENSOR_INTERVAL_S", 120, low=1),
            docs_url=read.text("COBRANZA_DOCS_URL") or cls.docs_url,
            thresholds=Thresholds(
                scout_coverage_error_pct=read.decimal("COBRANZA_SCOUT_COVERAGE_ERROR_PCT", Decimal("90")),
                scout_coverage_warn_pct=read.decimal("COBRANZA_SCOUT_COVERAGE_WARN_PCT", Decimal("95")),
                query_latency_ms=read.number("COBRANZA_QUERY_LATENCY_MS", 300.0),
                freshness_hours=read.number("COBRANZA_FRESHNESS_HOURS", 26.0),
                stage_sample_drivers=read.integer("COBRANZA_STAGE_SAMPLE_DRIVERS", 200, low=0),
            ),
            api=ApiSettings(
                statement_timeout_s=read.number("COBRANZA_API_STATEMENT_TIMEOUT_S", 30.0),
                max_sessions=read.integer("COBRANZA_API_MAX_SESSIONS", 8, low=1),
                request_timeout_s=read.number("COBRANZA_API_REQUEST_TIMEOUT_S", 60.0),
                scout_kpi_cache_ttl_s=read.number("COBRANZA_API_SCOUT_KPI_CACHE_S", 60.0),
                export_max_rows=read.integer("COBRANZA_API_EXPORT_MAX_ROWS", 200_000, low=1),
                export_write_timeout_s=read.number("COBRANZA_API_EXPORT_WRITE_TIMEOUT_S", 30.0),
            ),
            alerts=_alert_settings(read),
            access=_access_settings(read),
        )


def _alert_settings(read: EnvReader) -> AlertSettings:
    smtp = None
    recipients = tuple(a.strip() for a in (read.text("COBRANZA_ALERT_EMAIL_TO") or "").split(",") if a.strip())
    if read.text("COBRANZA_ALERT_SMTP_HOST") and recipients:
        smtp = SmtpSettings(
            host=read.text("COBRANZA_ALERT_SMTP_HOST"),
            port=read.integer("COBRANZA_ALERT_SMTP_PORT", 587, low=1, high=65535),
            sender=read.text("COBRANZA_ALERT_EMAIL_FROM") or "cobranza-pipeline@localhost",
            recipients=recipients,
            user=read.text("COBRANZA_ALERT_SMTP_USER"),
            password=read.text("COBRANZA_ALERT_SMTP_PASSWORD"),
            starttls=read.flag("COBRANZA_ALERT_SMTP_STARTTLS", True),
        )
    return AlertSettings(
        slack_webhook_url=read.text("COBRANZA_ALERT_SLACK_WEBHOOK_URL"),
        webhook_url=read.text("COBRANZA_ALERT_WEBHOOK_URL"),
        smtp=smtp,
        timeout_s=read.number("COBRANZA_ALERT_TIMEOUT_S", 5.0),
        sensor_interval_s=read.integer("COBRANZA_ALERT_SENSOR_INTERVAL_S", 30, low=1),
        ui_base_url=(read.text("COBRANZA_UI_BASE_URL") or "http://127.0.0.1:3000").rstrip("/"),
        digest=read.flag("COBRANZA_ALERT_DIGEST", True),
    )


_ORIGIN = re.compile(r"^https?://[^/\s?#]+$")


def _access_settings(read: EnvReader) -> AccessSettings:
    listed = (read.text("COBRANZA_API_CORS_ORIGINS") or "").split(",")
    origins = tuple(origin.strip().rstrip("/") for origin in listed if origin.strip())
    for origin in origins:
        if not _ORIGIN.match(origin):
            raise ConfigError("COBRANZA_API_CORS_ORIGINS must be comma-separated origins such as "
                              f"http://localhost:5173 (scheme://host[:port], no path), got {origin!r}")
    token = read.text("COBRANZA_API_TOKEN")
    if token is not None and (len(token) < 16 or not token.isascii() or not token.isprintable() or " " in token):
        # The message never echoes the value: it is a secret.
        raise ConfigError("COBRANZA_API_TOKEN must be at least 16 printable ASCII characters without spaces")
    return AccessSettings(token=token, cors_origins=origins)
