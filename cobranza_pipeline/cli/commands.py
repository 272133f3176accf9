"""The pipeline's commands: materialize, demo-data, db-url, validate, bench."""

import os
import sys

from cobranza_pipeline.bench import report as bench_report
from cobranza_pipeline.bench.run import Shape, bench_shape
from cobranza_pipeline.local import embedded
from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.local.raw_tables import reset_source_tables
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.launch import dagster_environment, follow_run, launch_run, stop_run
from cobranza_pipeline.orchestration.local_instance import local_instance
from cobranza_pipeline.orchestration.runner import run_config, summarize
from cobranza_pipeline.quality.report import render, run_suite, write_report
from cobranza_pipeline.settings import Settings
from cobranza_pipeline.warehouse.conninfo import describe_target, mask_conninfo
from cobranza_pipeline.warehouse.sessions import Database, connect


def cmd_materialize(args, settings: Settings) -> int:
    """Launch the daily job (all views, the MV) as a run of the code location, follow it to its
    end and print a summary. Ctrl-C or SIGTERM terminates the run."""
    home = settings.local_dagster_home
    instance = local_instance(home)
    url = embedded.resolve_database_url(settings)
    print(f"database: {mask_conninfo(url)}", flush=True)
    connect(url).close()  # fail fast, with one clear line, before a run starts
    run_id, launcher = launch_run(DAILY_JOB_NAME, run_config(full_refresh=args.full_refresh),
                                  dagster_environment(os.environ, url, home), home)
    try:
        follow_run(instance, run_id, launcher)
    except (KeyboardInterrupt, SystemExit):
        print(f"stopping: terminating run {run_id}", flush=True)
        if stop_run(instance, run_id, launcher) is None:
            print("stopped before the run was created")
        else:
            print(summarize(instance, run_id).render())
        return 1
    summary = summarize(instance, run_id)
    print(summary.render())
    return 0 if summary.success else 1


def cmd_demo_data(args, settings: Settings) -> int:
    """Replace the raw tables' rows with generated demo data."""
    url = embedded.resolve_database_url(settings)
    if not embedded.is_embedded_url(url, settings.home) and not args.force:
        print(
            f"refusing to write demo data into {mask_conninfo(url)}: it is not the embedded "
            "database. Pass --force if this database is yours to overwrite.",
            file=sys.stderr,
        )
        return 2
    reset_source_tables(url)
    config = DemoConfig(drivers=args.drivers, seed=args.seed, scout_coverage=args.scout_coverage,
                        park_drivers=args.park, history_days=args.history_days)
    counts = load_demo_data(url, config)
    for table, rows in counts.items():
        print(f"{table:40s} {rows:>10,d} rows")
    return 0


def cmd_db_url(args, settings: Settings) -> int:
    """Print the database URL in use (password masked)."""
    print(mask_conninfo(embedded.resolve_database_url(settings)))
    return 0


def cmd_validate(args, settings: Settings) -> int:
    """Run the validation suite outside Dagster; write a JSON report; exit 1 if an ERROR check failed."""
    url = embedded.resolve_database_url(settings)
    db = Database(url).with_session(timezone=settings.timezone)
    with db.connect() as conn:
        report = run_suite(conn, settings.thresholds)
    report["database"] = describe_target(url)
    print(render(report))
    write_report(report, args.output)
    print(f"report: {args.output}")
    return 1 if report["status"] == "failed" else 0


def cmd_bench(args, settings: Settings) -> int:
    """Benchmark the pipeline on several data shapes, each on a fresh database; print, write JSON, update the README."""
    if args.admin_url:
        admin_url = args.admin_url
    else:
        server = embedded.start_server(settings.home / "pgdata")
        admin_url = embedded.server_url(server, "postgres")
    report = {"machine": bench_report.machine(admin_url), "sizes": []}
    shapes = [*args.shapes, *(Shape(recruited=n) for n in args.sizes),
              *(Shape(recruited=n, steady=False) for n in args.dashboard_sizes)]
    for shape in shapes:
        print(f"benchmarking {shape.label} ...", flush=True)
        report["sizes"].append(bench_shape(admin_url, shape, args.seed, keep=args.keep))
        bench_report.write_json(report, args.output)  # partial results survive a later failure
    table = bench_report.markdown_table(report)
    print(table)
    print(f"results: {args.output}")
    if args.readme and bench_report.update_readme(args.readme, table):
        print(f"updated the results table in {args.readme}")
    return 0
