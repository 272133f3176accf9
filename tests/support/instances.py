"""Helpers for the tests that give Dagster its own storage in the test PostgreSQL."""

import itertools
import os

import psycopg
from sqlalchemy.engine import URL

from cobranza_pipeline.warehouse.admin import create_database, drop_database

_storage_counter = itertools.count()


def sqlalchemy_storage_url(conninfo: str) -> str:
    """The dagster-postgres form of a libpq URL or conninfo string.

    dagster-postgres needs the psycopg2 driver spelled out (README "Production deployment": storage URLs). A unix-socket
    host (the embedded server) goes into the query string; a TCP host stays in the netloc.
    """
    parts = psycopg.conninfo.conninfo_to_dict(conninfo)
    host = parts.get("host") or None
    on_socket = host is not None and host.startswith("/")
    url = URL.create(
        "postgresql+psycopg2",
        username=parts.get("user"),
        password=parts.get("password") or "",
        host=None if on_socket else host,
        port=int(parts["port"]) if parts.get("port") and not on_socket else None,
        database=parts.get("dbname"),
        query={"host": host} if on_socket else {},
    )
    return url.render_as_string(hide_password=False)


class StorageDatabases:
    """Creates empty `dagster_storage_*` databases on the admin server and drops them after."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.created: list[str] = []

    def create(self) -> str:
        """libpq conninfo of a new, empty database."""
        name = f"dagster_storage_{os.getpid()}_{next(_storage_counter)}"
        self._drop(name)
        create_database(self.admin_url, name)
        self.created.append(name)
        return psycopg.conninfo.make_conninfo(self.admin_url, dbname=name)

    def drop_all(self) -> None:
        for name in self.created:
            self._drop(name)

    def _drop(self, name: str) -> None:
        drop_database(self.admin_url, name)  # WITH (FORCE): the instance's pool may still hold sessions
