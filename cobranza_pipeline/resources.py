"""Dagster resources: the PostgreSQL the pipeline reads and writes."""

import psycopg
from dagster import ConfigurableResource

from cobranza_pipeline import database


class PostgresResource(ConfigurableResource):
    """The database named by DATABASE_URL, else the embedded default (started on demand).

    The URL is read from the environment at run time and never stored in run config, so a
    password in it cannot reach the UI, the event log or metadata.
    """

    application_name: str = "cobranza-pipeline"
    statement_timeout_s: float = 600.0
    lock_timeout_s: float = 30.0

    def url(self) -> str:
        return database.resolve_database_url()

    def session_settings(self) -> database.SessionSettings:
        return database.SessionSettings(
            application_name=self.application_name,
            statement_timeout_s=self.statement_timeout_s,
            lock_timeout_s=self.lock_timeout_s,
        )

    def setup_for_execution(self, context) -> None:
        """Reach the database once when a run starts: an unreachable one fails the run before
        any step, with one message naming host, port and database (never the password),
        instead of one failure (and one connect timeout) per step."""
        self.connect().close()

    def connect(self) -> psycopg.Connection:
        return database.connect(self.url(), self.session_settings())
