"""`cobranza`: run the pipeline, load demo data, show the database in use, start the UI, serve
the API, benchmark. The edge of the product: settings are read here once and passed in."""

import argparse
import logging
import signal
import sys

from cobranza_pipeline.settings import ConfigError, Settings
from cobranza_pipeline.warehouse.conninfo import mask_url


def exit_through_cleanup_on_sigterm() -> None:
    """SIGTERM (kill, systemd stop) ends any command through SystemExit, as Ctrl-C ends it
    through KeyboardInterrupt, so finally blocks and atexit handlers run: a run's server
    statement is cancelled, the embedded PostgreSQL this process started is stopped. Otherwise
    the default action kills the process on the spot (uvicorn re-raises the SIGTERM it handled
    once it has shut down) and the server is left running. One-shot: a second SIGTERM does not
    cut the cleanup short."""

    def handler(signum, _frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def build_parser() -> argparse.ArgumentParser:
    from cobranza_pipeline.cli.parser import build_parser as build  # after the settings: see main()

    return build()


def main(argv: list[str] | None = None) -> int:
    # Our own progress at INFO; libraries (alembic under Dagster's storage) only when they warn.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("cobranza_pipeline").setLevel(logging.INFO)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:  # before the parser: it loads the definitions, which read the settings too
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args = build_parser().parse_args(argv)
    exit_through_cleanup_on_sigterm()
    try:
        return args.handler(args, settings)
    except (ConnectionError, RuntimeError, ConfigError) as exc:
        print(f"error: {mask_url(str(exc))}", file=sys.stderr)
        return 1
