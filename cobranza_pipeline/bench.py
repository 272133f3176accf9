"""`cobranza bench`: the pipeline at several data sizes, each on a fresh database.

Per size: demo data generation, the first daily job (create), the daily job with no raw
change, the daily job after a realistic daily delta, the MV refresh by mode (machinery
CONCURRENTLY, bare CONCURRENTLY, bare plain REFRESH, CREATE TABLE AS of the same SELECT as the
floor), the Dagster overhead (job wall time vs the same steps called bare), every check, the
dashboard queries' latency percentiles, reader latency during a refresh vs idle, peak Python
memory and database size.
"""

import os
import resource
import time
from pathlib import Path

import psycopg
from dagster import DagsterInstance
from psycopg import sql

from cobranza_pipeline import embedded
from cobranza_pipeline.bench_measure import median_seconds, query_latency, reader_session, readers_during, timed
from cobranza_pipeline.bench_queries import dashboard_probes
from cobranza_pipeline.catalog import COBRANZA_MV, OPS_OBJECTS
from cobranza_pipeline.check_framework import Thresholds
from cobranza_pipeline.checks import CHECKS
from cobranza_pipeline.demo_data import DemoConfig, load_demo_data
from cobranza_pipeline.jobs import DAILY_JOB_NAME
from cobranza_pipeline.refresh import RefreshSettings, refresh_materialized_view
from cobranza_pipeline.sqlfiles import read_sql
from cobranza_pipeline.validate import run_check, run_suite
from cobranza_pipeline.views import apply_sql_object

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
QUERY_RUNS = 30
LARGE = 500_000  # from this size each refresh mode is timed once, not as the median of 3


def run_daily_job(instance) -> float:
    from cobranza_pipeline.definitions import defs

    seconds, result = timed(defs.resolve_job_def(DAILY_JOB_NAME).execute_in_process, instance=instance, run_config=QUIET)
    if not result.success:
        raise RuntimeError(f"the daily job failed during the benchmark (run {result.run_id})")
    return seconds


def bare_pipeline(url: str) -> None:
    """The daily job's work without Dagster: views, refresh, every check once, and the report
    built from those results (as the job's report takes its checks' evaluations)."""
    with psycopg.connect(url, autocommit=True) as conn:
        for obj in OPS_OBJECTS:
            apply_sql_object(conn, obj)
    refresh_materialized_view(url, COBRANZA_MV)
    with psycopg.connect(url, autocommit=True) as conn:
        results = {spec.name: run_check(conn, spec, Thresholds.from_env()) for spec in CHECKS}
        run_suite(conn, evaluated=results)


def refresh_modes(url: str, runs: int = 3) -> dict[str, float]:
    """Median of `runs` of each way of recomputing the MV."""
    mv = mv_relation()
    select = sql.SQL(COBRANZA_MV.select_sql)
    work_mem = f"{RefreshSettings().work_mem_mb}MB"

    def bare(statement):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("select set_config('work_mem', %s, false)", (work_mem,))
            conn.execute(statement)

    def ctas_floor():
        with psycopg.connect(url) as conn:
            conn.execute("select set_config('work_mem', %s, true)", (work_mem,))
            conn.execute(sql.SQL("create temporary table bench_floor as {}").format(select))
            conn.rollback()

    return {
        "machinery_concurrent_s": median_seconds(lambda: refresh_materialized_view(url, COBRANZA_MV), runs),
        "bare_concurrent_s": median_seconds(lambda: bare(sql.SQL("refresh materialized view concurrently {}").format(mv)), runs),
        "bare_plain_s": median_seconds(lambda: bare(sql.SQL("refresh materialized view {}").format(mv)), runs),
        "create_table_as_floor_s": median_seconds(ctas_floor, runs),
    }


def check_durations(url: str) -> dict[str, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        durations = {spec.name: timed(spec.run, conn, Thresholds.from_env())[0] for spec in CHECKS}
    durations["whole_suite_s"] = round(sum(durations.values()), 3)
    return durations


def dashboard_latency(url: str) -> dict[str, dict]:
    with reader_session(url) as conn:
        return {name: query_latency(conn, probe, QUERY_RUNS) for name, probe in dashboard_probes(conn).items()}


def reader_latency(url: str) -> dict[str, object]:
    with reader_session(url) as conn:
        table = dashboard_probes(conn)["table_only_with_debt"]
    idle, idle_errors, _ = readers_during(url, table, lambda: time.sleep(3))
    busy, busy_errors, _ = readers_during(url, table, lambda: refresh_materialized_view(url, COBRANZA_MV))
    return {"idle": idle, "during_refresh": busy, "errors": idle_errors + busy_errors}


def mv_relation() -> sql.Identifier:
    return sql.Identifier(COBRANZA_MV.schema, COBRANZA_MV.name)


def peak_rss_mb(reset: bool = False) -> float:
    """Peak resident memory of this process in MB (Linux: VmHWM, which reset=True clears after
    reading, so the next call covers only what ran since); elsewhere the lifetime peak."""
    status, clear_refs = Path("/proc/self/status"), Path("/proc/self/clear_refs")
    if not status.exists():
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    peak_kb = next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM"))
    if reset:
        try:
            clear_refs.write_text("5")
        except OSError:
            pass
    return round(peak_kb / 1024, 1)


def bench_size(admin_url: str, drivers: int, seed: int, keep: bool = False) -> dict:
    dbname = f"cobranza_bench_{drivers}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname)))
    embedded.create_database(admin_url, dbname)
    url = psycopg.conninfo.make_conninfo(admin_url, dbname=dbname)
    embedded.create_source_tables(url)
    previous_url = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        result = {"drivers": drivers}
        result["demo_data_s"], counts = timed(load_demo_data, url, DemoConfig(drivers=drivers, seed=seed))
        result["summary_daily_rows"] = counts["public.summary_daily"]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("vacuum (analyze)")  # as autovacuum leaves a loaded table: statistics, visibility map
        result["python_peak_generation_mb"] = peak_rss_mb(reset=True)
        instance = DagsterInstance.ephemeral()
        result["first_job_s"] = run_daily_job(instance)
        result["no_change_job_s"] = run_daily_job(instance)
        result["bare_pipeline_s"] = timed(bare_pipeline, url)[0]
        result["dagster_overhead_ratio"] = round(result["no_change_job_s"] / result["bare_pipeline_s"], 2)
        with psycopg.connect(url, autocommit=True) as conn:
            result["delta_rows"] = {
                path: conn.execute(read_sql(f"bench/{path}.sql"), {"share_pct": 1, "salt": str(seed)}).rowcount
                for path in ("daily_delta_trips", "daily_delta_payments")
            }
        result["delta_job_s"] = run_daily_job(instance)
        result["refresh"] = refresh_modes(url, runs=3 if drivers < LARGE else 1)
        result["checks"] = check_durations(url)
        result["queries_ms"] = dashboard_latency(url)
        result["readers_ms"] = reader_latency(url)
        with psycopg.connect(url, autocommit=True) as conn:
            result["database_mb"] = round(conn.execute("select pg_database_size(current_database())").fetchone()[0] / 2**20, 1)
            result["mv_rows"] = conn.execute(sql.SQL("select count(*) from {}").format(mv_relation())).fetchone()[0]
        result["python_peak_mb"] = peak_rss_mb()
        return result
    finally:
        if previous_url is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous_url
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname)))
