"""`cobranza bench`: the pipeline at several data sizes, each on a fresh database.

Per size: demo data generation, the first daily job (create), the daily job with no raw
change, the daily job after a realistic daily delta, the MV refresh by mode (machinery
CONCURRENTLY, bare CONCURRENTLY, bare plain REFRESH, CREATE TABLE AS of the same SELECT as the
floor), the Dagster overhead (job wall time vs the same steps called bare), every check, the
dashboard queries' latency percentiles, reader latency during a refresh vs idle, peak Python
memory and database size. Every session is the product's own (warehouse.sessions), so the
bare runs have the same time zone, JIT and timeouts as the job's.
"""

import resource
import time
from pathlib import Path

from psycopg import sql

from cobranza_pipeline.bench.measure import median_seconds, query_latency, reader_session, readers_during, timed
from cobranza_pipeline.bench.probes import dashboard_probes
from cobranza_pipeline.definitions import defs
from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.local.raw_tables import create_source_tables
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.runner import execute_job, new_ephemeral_instance
from cobranza_pipeline.quality.report import run_check, run_suite
from cobranza_pipeline.quality.suite import CHECKS
from cobranza_pipeline.settings import Thresholds
from cobranza_pipeline.warehouse import admin
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV, OPS_OBJECTS
from cobranza_pipeline.warehouse.matview import statements
from cobranza_pipeline.warehouse.matview.refresh import RefreshSettings, refresh_materialized_view
from cobranza_pipeline.warehouse.sessions import Database
from cobranza_pipeline.warehouse.sql_objects import apply_sql_object
from cobranza_pipeline.warehouse.sqlfiles import read_sql, statement

QUERY_RUNS = 30
LARGE = 500_000  # from this size each refresh mode is timed once, not as the median of 3
THRESHOLDS = Thresholds()  # the checks are timed with the default thresholds


def run_daily_job(instance, db: Database) -> float:
    seconds, result = timed(execute_job, defs, DAILY_JOB_NAME, instance, db.url, log_level="WARNING")
    if not result.success:
        raise RuntimeError(f"the daily job failed during the benchmark (run {result.run_id})")
    return seconds


def bare_pipeline(db: Database) -> None:
    """The daily job's work without Dagster: views, refresh, every check once, and the report
    built from those results (as the job's report takes its checks' evaluations)."""
    with db.connect() as conn:
        for obj in OPS_OBJECTS:
            apply_sql_object(conn, obj)
    refresh_materialized_view(db, COBRANZA_MV)
    with db.connect() as conn:
        results = {spec.name: run_check(conn, spec, THRESHOLDS) for spec in CHECKS}
        run_suite(conn, THRESHOLDS, evaluated=results)


def refresh_modes(db: Database, runs: int = 3) -> dict[str, float]:
    """Median of `runs` of each way of recomputing the MV."""
    refresh_db = db.with_session(work_mem_mb=RefreshSettings().work_mem_mb, statement_timeout_s=0)

    def bare(concurrently: bool):
        with refresh_db.connect() as conn:
            conn.execute(statements.refresh(COBRANZA_MV, concurrently))

    def ctas_floor():
        with refresh_db.connect(autocommit=False) as conn:
            conn.execute(statement("bench/ctas_floor.sql", select=sql.SQL(COBRANZA_MV.select_sql)))
            conn.rollback()

    return {
        "machinery_concurrent_s": median_seconds(lambda: refresh_materialized_view(db, COBRANZA_MV), runs),
        "bare_concurrent_s": median_seconds(lambda: bare(True), runs),
        "bare_plain_s": median_seconds(lambda: bare(False), runs),
        "create_table_as_floor_s": median_seconds(ctas_floor, runs),
    }


def check_durations(db: Database) -> dict[str, float]:
    with db.connect() as conn:
        durations = {spec.name: timed(spec.run, conn, THRESHOLDS)[0] for spec in CHECKS}
    durations["whole_suite_s"] = round(sum(durations.values()), 3)
    return durations


def dashboard_latency(db: Database) -> dict[str, dict]:
    with reader_session(db) as conn:
        return {name: query_latency(conn, probe, QUERY_RUNS) for name, probe in dashboard_probes(conn).items()}


def reader_latency(db: Database) -> dict[str, object]:
    with reader_session(db) as conn:
        table = dashboard_probes(conn)["table_only_with_debt"]
    idle, idle_errors, _ = readers_during(db, table, lambda: time.sleep(3))
    busy, busy_errors, _ = readers_during(db, table, lambda: refresh_materialized_view(db, COBRANZA_MV))
    return {"idle": idle, "during_refresh": busy, "errors": idle_errors + busy_errors}


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
    admin.drop_database(admin_url, dbname)
    admin.create_database(admin_url, dbname)
    db = Database(admin.database_url(admin_url, dbname))
    create_source_tables(db.url)
    try:
        result = {"drivers": drivers}
        result["demo_data_s"], counts = timed(load_demo_data, db.url, DemoConfig(drivers=drivers, seed=seed))
        result["summary_daily_rows"] = counts["public.summary_daily"]
        with db.connect(statement_timeout_s=0) as conn:
            conn.execute(read_sql("bench/vacuum_analyze.sql"))  # as autovacuum leaves a loaded table
        result["python_peak_generation_mb"] = peak_rss_mb(reset=True)
        instance = new_ephemeral_instance()
        result["first_job_s"] = run_daily_job(instance, db)
        result["no_change_job_s"] = run_daily_job(instance, db)
        result["bare_pipeline_s"] = timed(bare_pipeline, db)[0]
        result["dagster_overhead_ratio"] = round(result["no_change_job_s"] / result["bare_pipeline_s"], 2)
        with db.connect() as conn:
            result["delta_rows"] = {
                path: conn.execute(read_sql(f"bench/{path}.sql"), {"share_pct": 1, "salt": str(seed)}).rowcount
                for path in ("daily_delta_trips", "daily_delta_payments")
            }
        result["delta_job_s"] = run_daily_job(instance, db)
        result["refresh"] = refresh_modes(db, runs=3 if drivers < LARGE else 1)
        result["checks"] = check_durations(db)
        result["queries_ms"] = dashboard_latency(db)
        result["readers_ms"] = reader_latency(db)
        with db.connect() as conn:
            result["database_mb"] = round(conn.execute(read_sql("bench/database_size.sql")).fetchone()[0] / 2**20, 1)
            result["mv_rows"] = conn.execute(statements.count_rows(COBRANZA_MV)).fetchone()[0]
        result["python_peak_mb"] = peak_rss_mb()
        return result
    finally:
        if not keep:
            admin.drop_database(admin_url, dbname)
