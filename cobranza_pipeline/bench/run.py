"""`cobranza bench`: the pipeline on databases of given shapes, each built fresh.

A shape is the recruited drivers (leads over the 20 weeks before the data's last day, trips
around their leads), the park's other drivers and the days of their history (production:
~1 % of the park recruited, every driver working 60 % of days; docs/production-shape.md). Per
shape: the data's generation; the first daily job (a full build) against a CREATE TABLE AS of
the same results; the steady state: three times, one new day of the whole park, a payment
report and the day's new leads appended, then the daily job timed with its steps; Dagster's
overhead (the job against the same steps called bare); the MV refresh by mode; every check;
the dashboard's requests; readers during a refresh; memory and database size.
"""

import datetime as dt
import resource
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from psycopg import sql

from cobranza_pipeline.bench import steps
from cobranza_pipeline.bench.measure import query_latency, reader_session, readers_during, timed
from cobranza_pipeline.bench.probes import dashboard_probes
from cobranza_pipeline.definitions import defs
from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.local.raw_tables import create_source_tables
from cobranza_pipeline.orchestration.jobs import DAILY_JOB_NAME
from cobranza_pipeline.orchestration.runner import execute_job, new_ephemeral_instance, summarize
from cobranza_pipeline.quality.suite import CHECKS
from cobranza_pipeline.warehouse import admin
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.matview import statements
from cobranza_pipeline.warehouse.matview.refresh import refresh_materialized_view
from cobranza_pipeline.warehouse.sessions import Database
from cobranza_pipeline.warehouse.sqlfiles import read_sql

QUERY_RUNS = 30
STEADY_DAYS = 3
LARGE = 500_000  # from this many recruited drivers each refresh mode is timed once, not as the median of 3
STEPS = {"stage": "ops__stg_driver_trips_14d", "mv": "ops__mv_yango_cabinet_cobranza_enriched_14d"}
CHECK_STEPS = {spec.asset.replace(".", "__") + "_" + spec.name for spec in CHECKS}  # Dagster's step keys


@dataclass(frozen=True)
class Shape:
    recruited: int
    park: int = 0  # the park's drivers besides the recruited ones
    history_days: int = 180  # days of the park's history (with park > 0)
    # False: the first build and the dashboard only (no steady days, refresh modes, checks or
    # readers): the 1,000,000-driver dashboard target without the hour the rest would take.
    steady: bool = True

    @property
    def label(self) -> str:
        if not self.park:
            return f"{self.recruited:,} recruited" + ("" if self.steady else " (first build, dashboard)")
        return f"{self.park + self.recruited:,} park, {self.recruited:,} recruited, {self.history_days} days"


def timed_job(instance, db: Database) -> dict:
    seconds, result = timed(execute_job, defs, DAILY_JOB_NAME, instance, db.url, log_level="WARNING")
    if not result.success:
        raise RuntimeError(f"the daily job failed during the benchmark (run {result.run_id})")
    step_seconds = summarize(instance, result.run_id).step_seconds
    checks = sum(seconds for step, seconds in step_seconds.items() if step in CHECK_STEPS)
    return {"job_s": seconds, **{f"{name}_s": round(step_seconds.get(key, 0.0), 3) for name, key in STEPS.items()},
            "checks_s": round(checks, 3)}


def bench_shape(admin_url: str, shape: Shape, seed: int, keep: bool = False) -> dict:
    dbname = f"cobranza_bench_{shape.recruited}_{shape.park}_{shape.history_days}"
    admin.drop_database(admin_url, dbname)
    admin.create_database(admin_url, dbname)
    db = Database(admin.database_url(admin_url, dbname))
    create_source_tables(db.url)
    as_of = dt.date.today() - dt.timedelta(days=30)  # the steady days appended after it stay in the past
    config = DemoConfig(drivers=shape.recruited, seed=seed, as_of=as_of, park_drivers=shape.park,
                        history_days=shape.history_days)
    try:
        result = {"shape": asdict(shape), "label": shape.label}
        result["demo_data_s"], counts = timed(load_demo_data, db.url, config)
        result["summary_daily_rows"] = counts["public.summary_daily"]
        with db.connect(statement_timeout_s=0) as conn:
            conn.execute(read_sql("bench/vacuum_analyze.sql"))  # as autovacuum leaves a loaded table
        result["python_peak_generation_mb"] = peak_rss_mb(reset=True)
        instance = new_ephemeral_instance()
        result["first_job"] = timed_job(instance, db)
        result["floors"] = steps.floors(db)
        if shape.steady:
            result.update(steady_state(instance, db, as_of, seed))
            result["refresh"] = steps.refresh_modes(db, runs=3 if shape.recruited < LARGE else 1)
            result["checks"] = steps.check_durations(db)
        result["queries_ms"] = dashboard_latency(db)
        if shape.steady:
            result["readers_ms"] = reader_latency(db)
        with db.connect() as conn:
            result["database_mb"] = round(conn.execute(read_sql("bench/database_size.sql")).fetchone()[0] / 2**20, 1)
            result["mv_rows"] = conn.execute(statements.count_rows(COBRANZA_MV)).fetchone()[0]
            derived = {"summary_rows": "cobranza_dashboard_summary", "totals_rows": "cobranza_dashboard_totals"}
            for key, table in derived.items():
                relation = sql.Identifier(COBRANZA_MV.schema, table)
                result[key] = conn.execute(statements.count_rows_of(relation)).fetchone()[0]
        result["python_peak_mb"] = peak_rss_mb()
        return result
    finally:
        if not keep:
            admin.drop_database(admin_url, dbname)


def steady_state(instance, db: Database, as_of: dt.date, seed: int) -> dict:
    """STEADY_DAYS new days, each followed by the timed daily job; then the job with no raw
    change, and the same steps without Dagster."""
    result = {"steady": []}
    for day in range(1, STEADY_DAYS + 1):
        appended = steps.append_day(db, as_of + dt.timedelta(days=day), seed)
        result["steady"].append({**timed_job(instance, db), "appended": appended})
    result["steady_job_s"] = statistics.median(run["job_s"] for run in result["steady"])
    result["no_change_job"] = timed_job(instance, db)
    result["bare_pipeline_s"] = timed(steps.bare_pipeline, db)[0]
    result["dagster_overhead_ratio"] = round(result["no_change_job"]["job_s"] / result["bare_pipeline_s"], 2)
    return result


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
