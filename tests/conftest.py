"""Every test talks to a real PostgreSQL: a private embedded server started once per session,
or the server named by TEST_DATABASE_URL. Each test gets its own database, cloned from a
template that holds the empty source-contract tables."""

import itertools
import os

import psycopg
import pytest
from psycopg import sql

from cobranza_pipeline import embedded

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    server = embedded.start_server(tmp_path_factory.mktemp("embedded") / "pgdata", cleanup_mode="delete")
    yield server.get_uri(database="postgres")
    server.cleanup()


def url_for(admin_url: str, dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(admin_url, dbname=dbname)


def drop_database(admin_url: str, dbname: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname)))


@pytest.fixture(scope="session")
def template_db(pg_admin_url):
    name = f"cobranza_test_template_{os.getpid()}"
    drop_database(pg_admin_url, name)
    embedded.create_database(pg_admin_url, name)
    embedded.create_source_tables(url_for(pg_admin_url, name))
    yield name
    drop_database(pg_admin_url, name)


@pytest.fixture
def db_url(pg_admin_url, template_db, monkeypatch):
    """A fresh database with empty raw tables; DATABASE_URL points at it for the test."""
    name = f"cobranza_test_{os.getpid()}_{next(_counter)}"
    embedded.create_database(pg_admin_url, name, template=template_db)
    url = url_for(pg_admin_url, name)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    drop_database(pg_admin_url, name)


@pytest.fixture
def conn(db_url):
    with psycopg.connect(db_url, autocommit=True) as connection:
        yield connection
