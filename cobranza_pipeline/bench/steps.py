"""What `cobranza bench` does to a database besides timing it: the day of change it appends,
the pipeline's work called without Dagster, and the floors it is compared with. Every
statement is a file in sql/bench/ or sql/demo/; every session is the product's own."""

import datetime as dt

from psycopg import sql

from cobranza_pipeline.bench.measure import median_seconds, timed
from cobranza_pipeline.quality.report import run_check, run_suite
from cobranza_pipeline.quality.suite import CHECKS
from cobranza_pipeline.settings import Thresholds
from cobranza_pipeline.warehouse import pipeline
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.matview import statements
from cobranza_pipeline.warehouse.matview.refresh import RefreshSettings, refresh_materialized_view
from cobranza_pipeline.warehouse.sessions import Database
from cobranza_pipeline.warehouse.sqlfiles import read_sql, statement
from cobranza_pipeline.warehouse.staging import StageSettings

THRESHOLDS = Thresholds()  # the checks are timed with the default thresholds
NEW_LEADS_PER_DAY = 10  # production: 60-90 a week


def append_day(db: Database, day: dt.date, seed: int, work_pct: int = 60) -> dict[str, int]:
    """One more day of the whole park as production receives it: every driver (recruited ones
    too) works with probability work_pct, loaded the next morning; a payment report for about 1 %
    of the unpaid M1 claims; and the day's new cabinet leads."""
    params = {"as_of": day, "days": 1, "seed": seed, "work_pct": work_pct, "everyone": True, "park": 0,
              "day": day, "share_pct": 1, "salt": str(seed), "leads": NEW_LEADS_PER_DAY}
    with db.connect(statement_timeout_s=0) as conn:
        return {name: conn.execute(read_sql(path), params).rowcount for name, path in (
            ("summary_daily", "demo/park_days.sql"), ("payments", "bench/daily_delta_payments.sql"),
            ("new_leads", "bench/new_leads.sql"))}


def bare_pipeline(db: Database) -> None:
    """The daily job's work without Dagster: views, the staging step, the refresh, every check
    once, and the report built from those results (as the job's report takes its checks')."""
    pipeline.build_all(db)
    with db.connect() as conn:
        results = {spec.name: run_check(conn, spec, THRESHOLDS) for spec in CHECKS}
        run_suite(conn, THRESHOLDS, evaluated=results)


def floors(db: Database) -> dict[str, float]:
    """CREATE TABLE AS of the same results: the staged days and unparseable rows from raw (in a
    session set up as the staging step's), and the MV's SELECT (as the refresh's)."""
    staging = StageSettings()
    stage_session = db.with_session(work_mem_mb=staging.work_mem_mb, statement_timeout_s=0,
                                    random_page_cost=staging.random_page_cost)
    mv_session = db.with_session(work_mem_mb=RefreshSettings().work_mem_mb, statement_timeout_s=0)

    def ctas(session: Database, query: sql.Composable):
        def run():
            with session.connect(autocommit=False) as conn:
                conn.execute(query)
                conn.rollback()
        return run

    stage = statement("bench/stage_floor.sql")
    mv = statement("bench/ctas_floor.sql", select=sql.SQL(COBRANZA_MV.select_sql))
    return {"stage_floor_s": median_seconds(ctas(stage_session, stage), 1),
            "mv_floor_s": median_seconds(ctas(mv_session, mv), 1)}


def refresh_modes(db: Database, runs: int = 3) -> dict[str, float]:
    """Median of `runs` of each way of recomputing the MV from the staged trips."""
    refresh_db = db.with_session(work_mem_mb=RefreshSettings().work_mem_mb, statement_timeout_s=0)

    def bare(concurrently: bool):
        with refresh_db.connect() as conn:
            conn.execute(statements.refresh(COBRANZA_MV, concurrently))

    return {
        "machinery_concurrent_s": median_seconds(lambda: refresh_materialized_view(db, COBRANZA_MV), runs),
        "bare_concurrent_s": median_seconds(lambda: bare(True), runs),
        "bare_plain_s": median_seconds(lambda: bare(False), runs),
    }


def check_durations(db: Database) -> dict[str, float]:
    with db.connect() as conn:
        durations = {spec.name: timed(spec.run, conn, THRESHOLDS)[0] for spec in CHECKS}
    durations["whole_suite_s"] = round(sum(durations.values()), 3)
    return durations
