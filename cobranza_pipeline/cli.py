"""`cobranza`: run the pipeline, load demo data, show the database in use, start the UI, serve the API."""

import argparse
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from cobranza_pipeline import database, settings

log = logging.getLogger("cobranza_pipeline")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


UI_STOP_S = 150  # dagster dev waits up to 60 s for its webserver, then 60 s for its daemon


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


def cmd_materialize(args) -> int:
    """Run the daily job (all views, the MV) in process and print a summary."""
    from cobranza_pipeline.local_instance import ensure_local_dagster_home
    from cobranza_pipeline.run_summary import run_daily_job

    ensure_local_dagster_home()
    url = database.resolve_database_url()
    os.environ["DATABASE_URL"] = url  # the job's resource uses the same (embedded) server
    print(f"database: {database.mask_url(url)}")
    database.connect(url).close()  # fail fast, with one clear line, before a run starts
    summary = run_daily_job()
    print(summary.render())
    return 0 if summary.success else 1


def cmd_demo_data(args) -> int:
    """Replace the raw tables' rows with generated demo data."""
    from cobranza_pipeline import embedded
    from cobranza_pipeline.demo_data import DemoConfig, load_demo_data

    url = database.resolve_database_url()
    if not embedded.is_embedded_url(url) and not args.force:
        print(
            f"refusing to write demo data into {database.mask_url(url)}: it is not the embedded "
            "database. Pass --force if this database is yours to overwrite.",
            file=sys.stderr,
        )
        return 2
    embedded.reset_source_tables(url)
    config = DemoConfig(drivers=args.drivers, seed=args.seed, scout_coverage=args.scout_coverage)
    counts = load_demo_data(url, config)
    for table, rows in counts.items():
        print(f"{table:40s} {rows:>10,d} rows")
    return 0


def cmd_db_url(args) -> int:
    """Print the database URL in use (password masked)."""
    print(database.mask_url(database.resolve_database_url()))
    return 0


def cmd_validate(args) -> int:
    """Run the validation suite outside Dagster; write a JSON report; exit 1 if an ERROR check failed."""
    from cobranza_pipeline.validate import render, run_suite, write_report

    url = database.resolve_database_url()
    with database.connect(url) as conn:
        report = run_suite(conn)
    report["database"] = database.describe_target(url)
    print(render(report))
    write_report(report, args.output)
    print(f"report: {args.output}")
    return 1 if report["status"] == "failed" else 0


def cmd_bench(args) -> int:
    """Benchmark the pipeline at several sizes, each on a fresh database; print, write JSON, update the README."""
    from cobranza_pipeline import bench_report, embedded
    from cobranza_pipeline.bench import bench_size

    if args.admin_url:
        admin_url = args.admin_url
    else:
        server = embedded.start_server(settings.cobranza_home() / "pgdata")
        admin_url = embedded.database_url(server, "postgres")
    report = {"machine": bench_report.machine(admin_url), "sizes": []}
    for drivers in args.sizes:
        print(f"benchmarking {drivers:,} drivers ...", flush=True)
        report["sizes"].append(bench_size(admin_url, drivers, args.seed, keep=args.keep))
        bench_report.write_json(report, args.output)  # partial results survive a later failure
    table = bench_report.markdown_table(report)
    print(table)
    print(f"results: {args.output}")
    if args.readme and bench_report.update_readme(args.readme, table):
        print(f"updated the results table in {args.readme}")
    return 0


def cmd_ui(args) -> int:
    """Start the Dagster UI (dagster dev) on this project, against the database in use."""
    from cobranza_pipeline.local_instance import ensure_local_dagster_home

    home = ensure_local_dagster_home()
    os.environ["DATABASE_URL"] = database.resolve_database_url()
    print(f"Dagster UI on http://{args.host}:{args.port}  (DAGSTER_HOME={home}); Ctrl-C stops it")
    command = [
        sys.executable, "-m", "dagster", "dev",
        "-w", str(PROJECT_ROOT / "workspace.yaml"),
        "--host", args.host, "--port", str(args.port),
    ]
    # Its own process group, so that stopping it reaches its webserver, daemon and code server
    # too (they do not shut down when dagster dev itself is killed).
    ui = subprocess.Popen(command, process_group=0)
    try:
        return ui.wait()
    except KeyboardInterrupt:
        stop_process_group(ui, signal.SIGINT)
        return 0
    except SystemExit:
        stop_process_group(ui, signal.SIGTERM)
        raise


def stop_process_group(process: subprocess.Popen, signum: int, grace_s: float = UI_STOP_S) -> None:
    """Signal the child's process group (it leads one), give it grace_s to shut down, then kill
    what is left of the group."""
    try:
        os.killpg(process.pid, signum)
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def cmd_serve(args) -> int:
    """Serve the dashboard's HTTP API (table, CSV export, scout and weekly KPIs) on the MV."""
    from cobranza_pipeline.api.server import is_loopback, mv_missing_note, serve

    url = database.resolve_database_url()
    print(f"database: {database.mask_url(url)}")
    note = mv_missing_note(url)  # fails fast, with one clear line, when the database is unreachable
    if note:
        print(note)
    if not is_loopback(args.host):
        print(f"warning: listening on {args.host}: the API has no authentication; put it behind your proxy")
    print(f"API on http://{args.host}:{args.port}  (OpenAPI: /docs, /openapi.json); Ctrl-C stops it", flush=True)
    return serve(url, args.host, args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cobranza",
        description="Build and refresh the Yango cabinet collections MV (DATABASE_URL, else an embedded PostgreSQL).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    materialize = commands.add_parser("materialize", help=cmd_materialize.__doc__, description=cmd_materialize.__doc__)
    materialize.set_defaults(handler=cmd_materialize)

    demo = commands.add_parser("demo-data", help=cmd_demo_data.__doc__, description=cmd_demo_data.__doc__)
    demo.add_argument("--drivers", type=int, default=5000, help="number of drivers (default 5000)")
    demo.add_argument("--seed", type=int, default=42, help="random seed; same seed, same data (default 42)")
    demo.add_argument("--scout-coverage", type=float, default=0.92, help="share of persons with scout evidence (default 0.92)")
    demo.add_argument("--force", action="store_true", help="allow writing into a database that is not the embedded one")
    demo.set_defaults(handler=cmd_demo_data)

    db_url = commands.add_parser("db-url", help=cmd_db_url.__doc__, description=cmd_db_url.__doc__)
    db_url.set_defaults(handler=cmd_db_url)

    validate = commands.add_parser("validate", help=cmd_validate.__doc__, description=cmd_validate.__doc__)
    validate.add_argument("--output", default="validation_report.json", help="JSON report path (default validation_report.json)")
    validate.set_defaults(handler=cmd_validate)

    bench = commands.add_parser("bench", help=cmd_bench.__doc__, description=cmd_bench.__doc__)
    bench.add_argument("--sizes", type=lambda text: [int(n) for n in text.split(",")], default=[10_000, 100_000],
                       help="comma-separated numbers of drivers (default 10000,100000; 1000000 on request)")
    bench.add_argument("--seed", type=int, default=42, help="demo data seed (default 42)")
    bench.add_argument("--admin-url", help="a server where the benchmark may create and drop databases (default: the embedded one)")
    bench.add_argument("--output", default="bench_results.json", help="JSON results (default bench_results.json)")
    bench.add_argument("--readme", default=None, help="README to update between the bench markers (e.g. README.md)")
    bench.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    bench.set_defaults(handler=cmd_bench)

    ui = commands.add_parser("ui", help=cmd_ui.__doc__, description=cmd_ui.__doc__)
    ui.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    ui.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    ui.set_defaults(handler=cmd_ui)

    serve = commands.add_parser("serve", help=cmd_serve.__doc__, description=cmd_serve.__doc__)
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.set_defaults(handler=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Our own progress at INFO; libraries (alembic under Dagster's storage) only when they warn.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("cobranza_pipeline").setLevel(logging.INFO)
    args = build_parser().parse_args(argv)
    exit_through_cleanup_on_sigterm()
    try:
        return args.handler(args)
    except (ConnectionError, RuntimeError) as exc:
        print(f"error: {database.mask_url(str(exc))}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
