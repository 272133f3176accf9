"""The `cobranza` command line: its commands, their options and help. Importing it loads the
Dagster definitions (the commands run them), so main.py imports it only once the
configuration has been read and found valid."""

import argparse

from cobranza_pipeline.bench.run import Shape
from cobranza_pipeline.cli import commands, servers


def _command(commands_, name: str, handler, **options):
    parser = commands_.add_parser(name, help=handler.__doc__, description=handler.__doc__)
    parser.set_defaults(handler=handler)
    for flag, kwargs in options.items():
        parser.add_argument(flag, **kwargs)
    return parser


def _shapes(text: str) -> list[Shape]:
    """'100000:5000:180,...' -> shapes (park drivers in all, recruited, days of history)."""
    shapes = []
    for item in filter(None, text.split(",")):
        try:
            park, recruited, days = (int(part) for part in item.split(":"))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{item!r} is not PARK:RECRUITED:DAYS") from None
        if not 0 < recruited <= park or days < 1:
            raise argparse.ArgumentTypeError(f"{item!r}: need 0 < RECRUITED <= PARK and DAYS >= 1")
        shapes.append(Shape(recruited=recruited, park=park - recruited, history_days=days))
    return shapes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cobranza",
        description="Build and refresh the Yango cabinet collections MV (DATABASE_URL, else an embedded PostgreSQL).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _command(sub, "materialize", commands.cmd_materialize, **{
        "--full-refresh": {"action": "store_true",
                           "help": "rebuild the staged trips from every raw row instead of following the change"},
    })
    _command(sub, "demo-data", commands.cmd_demo_data, **{
        "--drivers": {"type": int, "default": 5000, "help": "number of drivers (default 5000)"},
        "--seed": {"type": int, "default": 42, "help": "random seed; same seed, same data (default 42)"},
        "--scout-coverage": {"type": float, "default": 0.92,
                             "help": "share of persons with scout evidence (default 0.92)"},
        "--park": {"type": int, "default": 0,
                   "help": "the park's other drivers, never recruited, with a row per day worked (default 0)"},
        "--history-days": {"type": int, "default": 180, "help": "days of the park's history (default 180)"},
        "--force": {"action": "store_true", "help": "allow writing into a database that is not the embedded one"},
    })
    _command(sub, "db-url", commands.cmd_db_url)
    _command(sub, "validate", commands.cmd_validate, **{
        "--output": {"default": "validation_report.json", "help": "JSON report path (default validation_report.json)"},
    })
    _command(sub, "bench", commands.cmd_bench, **{
        "--shapes": {"type": _shapes, "default": _shapes("100000:5000:60,100000:5000:180"),
                     "help": "production shapes PARK:RECRUITED:DAYS, comma-separated: the park's drivers (recruited "
                             "ones included), the recruited ones and the days of history (default "
                             "100000:5000:60,100000:5000:180; add 100000:5000:730 for the long history)"},
        "--sizes": {"type": lambda text: [int(n) for n in text.split(",") if n], "default": [],
                    "help": "shapes where every driver is recruited, as numbers of drivers (e.g. 100000,1000000 for "
                            "the dashboard's targets; none by default)"},
        "--dashboard-sizes": {"type": lambda text: [int(n) for n in text.split(",") if n], "default": [],
                              "help": "like --sizes, measuring only the first build and the dashboard's requests "
                                      "(e.g. 1000000: the steady days would take an hour there)"},
        "--seed": {"type": int, "default": 42, "help": "demo data seed (default 42)"},
        "--admin-url": {"help": "a server where the benchmark may create and drop databases (default: the embedded one)"},
        "--output": {"default": "bench_results.json", "help": "JSON results (default bench_results.json)"},
        "--readme": {"default": None, "help": "README to update between the bench markers (e.g. README.md)"},
        "--keep": {"action": "store_true", "help": "keep the benchmark databases"},
    })
    listen = {"--host": {"default": "127.0.0.1", "help": "interface to listen on (default 127.0.0.1)"}}
    _command(sub, "ui", servers.cmd_ui, **listen, **{"--port": {"type": int, "default": 3000, "help": "port (default 3000)"}})
    _command(sub, "serve", servers.cmd_serve, **listen, **{
        "--port": {"type": int, "default": 8000, "help": "port (default 8000)"},
        "--no-auth": {"action": "store_true",
                      "help": "allow a non-loopback --host without COBRANZA_API_TOKEN (no authentication)"},
    })
    return parser
