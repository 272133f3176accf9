"""The `cobranza` command, including the quickstart path on a fresh embedded database."""

import os
import shlex
import subprocess
import sys

import pytest
from dagster import DagsterInstance

from cobranza_pipeline.cli.main import build_parser, main
from cobranza_pipeline.cli.servers import cmd_serve
from cobranza_pipeline.orchestration.launch import PROJECT_ROOT
from cobranza_pipeline.serving.server import access_refusal


@pytest.mark.parametrize("command", ["materialize", "demo-data", "db-url", "validate", "ui", "serve", "bench"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "usage: cobranza " + command in capsys.readouterr().out


def test_db_url_masks_the_password(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://collector:s3cr3t-pw@db.example:5432/prod")
    assert main(["db-url"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "postgresql://collector:***@db.example:5432/prod"
    assert "s3cr3t" not in out


def test_demo_data_refuses_a_database_that_is_not_embedded(db_url, conn, capsys):
    assert main(["demo-data", "--drivers", "50"]) == 2
    assert "refusing to write demo data" in capsys.readouterr().err
    assert conn.execute("select count(*) from public.drivers").fetchone()[0] == 0

    assert main(["demo-data", "--drivers", "50", "--force"]) == 0
    # 50 drivers, plus the duplicated driver rows the generator adds on purpose.
    assert conn.execute("select count(distinct driver_id) from public.drivers").fetchone()[0] == 50


@pytest.mark.slow
def test_materialize_on_a_fresh_embedded_database(tmp_path):
    """The README's first command: no DATABASE_URL, a new COBRANZA_HOME."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DAGSTER_HOME")}
    env.update(COBRANZA_HOME=str(tmp_path / "home"), COBRANZA_DEMO_DRIVERS="300")
    command = [sys.executable, "-m", "cobranza_pipeline.cli", "materialize"]

    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Fresh embedded PostgreSQL" in first.stderr
    assert "Filled the embedded database with demo data (300 drivers" in first.stderr
    assert "SUCCESS" in first.stdout and "mode create" in first.stdout
    assert "ops__mv_yango_cabinet_cobranza_enriched_14d" in first.stdout

    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "Fresh embedded PostgreSQL" not in second.stderr  # data directory reused
    assert "mode concurrent" in second.stdout

    # Both runs are in the local instance the UI reads.
    instance = DagsterInstance.from_config(str(tmp_path / "home" / "dagster_home"))
    assert len(instance.get_runs()) == 2


def test_materialize_fails_fast_when_the_database_is_unreachable(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://collector:s3cr3t-pw@127.0.0.1:1/prod")
    monkeypatch.setenv("COBRANZA_HOME", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))  # restored after the test
    assert main(["materialize"]) == 1
    captured = capsys.readouterr()
    assert "error: cannot connect to PostgreSQL at 127.0.0.1:1/prod" in captured.err
    assert "s3cr3t" not in captured.out + captured.err


def test_the_api_unit_runs_a_valid_serve_command_on_loopback():
    """deploy/cobranza-api.service: its ExecStart parses as `cobranza serve` on 127.0.0.1, and it
    reads the same env file as the Dagster units."""
    units = {path.name: path.read_text() for path in (PROJECT_ROOT / "deploy").glob("*.service")}
    exec_start = next(line for line in units["cobranza-api.service"].splitlines() if line.startswith("ExecStart="))
    program, *arguments = shlex.split(exec_start.removeprefix("ExecStart="))
    assert program.endswith("/.venv/bin/cobranza")
    args = build_parser().parse_args(arguments)
    assert (args.handler, args.host, args.port) == (cmd_serve, "127.0.0.1", 8000)
    env_files = {name: line for name, text in units.items() for line in text.splitlines()
                 if line.startswith("EnvironmentFile=")}
    assert set(env_files.values()) == {"EnvironmentFile=/etc/cobranza/cobranza.env"} and len(env_files) == 3


def test_serve_refuses_a_non_loopback_host_without_a_token(monkeypatch, capsys):
    """Checked before anything starts (no database is reached: DATABASE_URL points nowhere)."""
    monkeypatch.delenv("COBRANZA_API_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert main(["serve", "--host", "0.0.0.0", "--port", "8000"]) == 2
    err = capsys.readouterr().err
    assert err == ("error: refusing to listen on 0.0.0.0 without a token: set COBRANZA_API_TOKEN, or pass "
                   "--no-auth to serve the page and the API to anyone who can reach it\n")


@pytest.mark.parametrize("host, token, no_auth, refused", [
    ("0.0.0.0", False, False, True), ("192.0.2.10", False, False, True), ("::", False, False, True),
    ("0.0.0.0", True, False, False), ("0.0.0.0", False, True, False),
    ("127.0.0.1", False, False, False), ("127.0.0.2", False, False, False), ("::1", False, False, False),
    ("localhost", False, False, False),
])
def test_which_hosts_need_a_token(host, token, no_auth, refused):
    assert (access_refusal(host, token, no_auth) is not None) == refused
