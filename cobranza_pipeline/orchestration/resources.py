"""Dagster resources: the PostgreSQL the pipeline reads and writes.

The URL is read from the environment when a run uses it (settings.py), never at import, and
is kept out of run config: a password in DATABASE_URL cannot reach the UI, the event log or
metadata.
"""

from dagster import ConfigurableResource
from pydantic import PrivateAttr

from cobranza_pipeline.local.embedded import resolve_database_url
from cobranza_pipeline.local.processes import process_identity
from cobranza_pipeline.orchestration.keys import PROCESS_TAG
from cobranza_pipeline.settings import Settings
from cobranza_pipeline.warehouse.sessions import Database, SessionSettings


class PostgresResource(ConfigurableResource):
    """The database named by DATABASE_URL, else the embedded default (started on demand).
    A process that resolved the URL already (the CLI, the benchmark) binds it with bound_to()."""

    application_name: str = "cobranza-pipeline"
    statement_timeout_s: float = 600.0
    lock_timeout_s: float = 30.0
    _bound_url: str | None = PrivateAttr(default=None)

    @classmethod
    def bound_to(cls, url: str) -> "PostgresResource":
        resource = cls()
        resource._bound_url = url
        return resource

    def database(self) -> Database:
        settings = Settings.from_env()
        return Database(self._bound_url or resolve_database_url(settings), SessionSettings(
            application_name=self.application_name,
            statement_timeout_s=self.statement_timeout_s,
            lock_timeout_s=self.lock_timeout_s,
            timezone=settings.timezone,
        ))

    def setup_for_execution(self, context) -> None:
        """Reach the database once when a run starts: an unreachable one fails the run before
        any step, with one message naming host, port and database (never the password),
        instead of one failure (and one connect timeout) per step.

        And record on the run which process executes it (host, pid, the pid's start time): if
        that process is killed, the run alert sensor marks the run failed instead of leaving it
        "started" forever (local/processes.py). Every job executes in one process (the
        definitions' in-process executor), so this is the run worker."""
        if context.instance is not None and context.run is not None:
            context.instance.add_run_tags(context.run.run_id, {PROCESS_TAG: process_identity()})
        self.database().connect().close()

    def connect(self):
        return self.database().connect()
