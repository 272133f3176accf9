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

import psycopg
from dagster import DagsterInstance
from psycopg import sql

from cobranza_pipeline import embedded
from cobranza_pipeline.bench_measure import median_seconds, query_latency, readers_during, timed
from cobranza_pipeline.catalog import COBRANZA_MV, OPS_OBJECTS
from cobranza_pipeline.check_framework import Thresholds
from cobranza_pipeline.check_functions import latency_probes
from cobranza_pipeline.checks import CHECKS
from cobranza_pipeline.demo_data import DemoConfig, load_demo_data
from cobranza_pipeline.jobs import DAILY_JOB_NAME
from cobranza_pipeline.refresh import RefreshSettings, refresh_materialized_view
from cobranza_pipeline.sqlfiles import read_sql
from cobranza_pipeline.validate import run_suite
from cobranza_pipeline.views import apply_sql_object

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
QUERY_RUNS = 30


def run_daily_job(instance) -> float:
    from cobranza_pipeline.definitions import defs

    seconds, result = timed(defs.resolve_job_def(DAILY_JOB_NAME).execute_in_process, instance=instance, run_config=QUIET)
    if not result.success:
        raise RuntimeError(f"the daily job failed during the benchmark (run {result.run_id})")
    return seconds


def bare_pipeline(url: str) -> None:
    """The daily job's work without Dagster: views, refresh, checks, the report's suite."""
    with psycopg.connect(url, autocommit=True) as conn:
        for obj in OPS_OBJECTS:
            apply_sql_object(conn, obj)
    refresh_materialized_view(url, COBRANZA_MV)
    with psycopg.connect(url, autocommit=True) as conn:
        for spec in CHECKS:
            spec.run(conn, Thresholds.from_env())
        run_suite(conn)


def refresh_modes(url: str) -> dict[str, float]:
    mv = sql.Identifier(COBRANZA_MV.schema, COBRANZA_MV.name)
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
        "machinery_concurrent_s": median_seconds(lambda: refresh_materialized_view(url, COBRANZA_MV)),
        "bare_concurrent_s": median_seconds(lambda: bare(sql.SQL("refresh materialized view concurrently {}").format(mv))),
        "bare_plain_s": median_seconds(lambda: bare(sql.SQL("refresh materialized view {}").format(mv))),
        "create_table_as_floor_s": median_seconds(ctas_floor),
    }


def check_durations(url: str) -> dict[str, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        durations = {spec.name: timed(spec.run, conn, Thresholds.from_env())[0] for spec in CHECKS}
    durations["whole_suite_s"] = round(sum(durations.values()), 3)
    return durations


def dashboard_latency(url: str) -> dict[str, dict]:
    with psycopg.connect(url, autocommit=True) as conn:
        return {name: query_latency(conn, path, params, QUERY_RUNS) for name, path, params in latency_probes(conn)}


def reader_latency(url: str) -> dict[str, object]:
    with psycopg.connect(url, autocommit=True) as conn:
        table = next(p for p in latency_probes(conn) if p[0] == "table_only_with_debt")
    idle, idle_errors, _ = readers_during(url, table[1], table[2], lambda: time.sleep(2))
    busy, busy_errors, _ = readers_during(url, table[1], table[2], lambda: refresh_materialized_view(url, COBRANZA_MV))
    return {"idle": idle, "during_refresh": busy, "errors": idle_errors + busy_errors}


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
            conn.execute("analyze")
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
        result["refresh"] = refresh_modes(url)
        result["checks"] = check_durations(url)
        result["queries_ms"] = dashboard_latency(url)
        result["readers_ms"] = reader_latency(url)
        with psycopg.connect(url, autocommit=True) as conn:
            result["database_mb"] = round(conn.execute("select pg_database_size(current_database())").fetchone()[0] / 2**20, 1)
        result["python_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        return result
    finally:
        if previous_url is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous_url
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(dbname)))
