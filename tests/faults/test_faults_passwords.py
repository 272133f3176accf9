"""Passwords with URL-reserved characters (README "Reliability", item 18): every form libpq
accepts is masked by `cobranza db-url` and by the "database:" line of `materialize` and `serve`,
as libpq itself reads the string; a string libpq rejects (an invalid percent escape) is one line
naming the variable, never a traceback quoting the token. The commands run against a role that
has the password, and libpq is shown to send it."""

import os
import signal
import subprocess
import sys

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from cobranza_pipeline.warehouse.conninfo import mask_conninfo, mask_url

SECRET = "Pw#7?q@x:y/z s&w%41"  # every character that means something in a URL or a keyword string


def forms(host: str, port: str, dbname: str) -> dict[str, tuple[str, str]]:
    """name -> (connection string, what `db-url` must print) for SECRET-like passwords."""
    return {
        "url, # ? : raw": (f"postgresql://u:p#1?2:3@{host}:{port}/{dbname}", f"postgresql://u:***@{host}:{port}/{dbname}"),
        "url, percent-encoded @ and space": (f"postgresql://u:p%40w%20x@{host}:{port}/{dbname}",
                                             f"postgresql://u:***@{host}:{port}/{dbname}"),
        "url, password parameter": (f"postgresql://u@{host}:{port}/{dbname}?password=x%23y&sslmode=disable",
                                    f"postgresql://u@{host}:{port}/{dbname}?password=***&sslmode=disable"),
        "keyword, escaped space": (f"host={host} port={port} dbname={dbname} password=a\\ b\\ c user=u",
                                   f"host={host} port={port} dbname={dbname} password=*** user=u"),
        "keyword, quoted": (f"host={host} password='a b \\' c' port={port} dbname={dbname}",
                            f"host={host} password=*** port={port} dbname={dbname}"),
        "keyword, spaces around =": (f"password = s3cr3t host={host} port={port} dbname={dbname}",
                                     f"password = *** host={host} port={port} dbname={dbname}"),
    }


@pytest.mark.parametrize("name", list(forms("h", "1", "d")))
def test_every_form_is_masked_as_libpq_reads_it(name):
    conninfo, shown = forms("db.example", "5432", "prod")[name]
    password = conninfo_to_dict(conninfo)["password"]
    assert mask_conninfo(conninfo) == shown
    assert conninfo_to_dict(shown) == {**conninfo_to_dict(conninfo), "password": "***"}
    assert password not in mask_url(f"error: could not use {conninfo}: refused")


def test_a_password_libpq_splits_at_its_first_at_sign_shows_what_libpq_would_use():
    # libpq reads user info up to the first '@': password 'p', host 'ss@h'. Shown as libpq reads it.
    assert mask_conninfo("postgresql://u:p@ss@h/db") == "postgresql://u:***@ss@h/db"


def run_cli(args: list[str], url: str, timeout_s: float = 120, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cobranza_pipeline.cli", *args], capture_output=True, text=True,
                          timeout=timeout_s, env={**os.environ, "DATABASE_URL": url, **env})


@pytest.fixture
def password_role(db_url):
    """A role whose password is SECRET, on the test database's server (roles are per server:
    the name is this process's own)."""
    name = f"cobranza_pw_test_{os.getpid()}"
    role = sql.Identifier(name)
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(sql.SQL("create role {} login superuser password {}").format(role, sql.Literal(SECRET)))
    yield make_conninfo(db_url, user=name, password=SECRET)
    with psycopg.connect(db_url, autocommit=True) as conn:  # the run made it the owner of the ops layer
        conn.execute(sql.SQL("reassign owned by {} to current_user").format(role))
        conn.execute(sql.SQL("drop role {}").format(role))


def test_db_url_materialize_and_serve_never_print_the_password(password_role, tmp_path):
    keyword = password_role
    info = conninfo_to_dict(keyword)
    with psycopg.connect(keyword) as conn:  # SECRET is the password libpq sends
        assert conn.info.password == SECRET
    env = {"COBRANZA_HOME": str(tmp_path), "DAGSTER_HOME": str(tmp_path)}
    shown = run_cli(["db-url"], keyword, **env)
    assert shown.returncode == 0 and SECRET not in shown.stdout
    assert conninfo_to_dict(shown.stdout.strip()) == {**info, "password": "***"}

    materialize = run_cli(["materialize"], keyword, timeout_s=300, **env)
    assert materialize.stdout.splitlines()[0] == f"database: {shown.stdout.strip()}"
    assert SECRET not in materialize.stdout + materialize.stderr
    assert materialize.returncode == 0, materialize.stderr[-2000:]

    serve = subprocess.Popen([sys.executable, "-m", "cobranza_pipeline.cli", "serve", "--port", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "DATABASE_URL": keyword, **env})
    try:
        first = serve.stdout.readline()
    finally:
        serve.send_signal(signal.SIGTERM)
        out, err = serve.communicate(timeout=60)
    assert first == f"database: {shown.stdout.strip()}\n"
    assert SECRET not in first + out + err


@pytest.mark.parametrize("variable", ["DATABASE_URL", "COBRANZA_API_DATABASE_URL"])
def test_an_invalid_percent_escape_is_one_line_without_the_token(variable):
    bad = "postgresql://u:pa%zzTOKEN@db.example/prod"
    for command in (["db-url"], ["materialize"], ["serve"]):
        done = run_cli(command, "postgresql://u@db.example/prod", **{variable: bad})
        assert (done.returncode, done.stdout) == (1, "")
        assert done.stderr == (
            f"error: {variable} must be a libpq connection string (postgresql://user:password@host:port/dbname or "
            "host=... dbname=...; reserved characters percent-encoded in a URL), but libpq rejects it: "
            "invalid percent-encoded token (the value is not shown)\n")
