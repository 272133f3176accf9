"""Helpers of the fault-injection tests (tests/faults/test_faults_*.py): checksums of the MV and of
what its SELECT returns now, the refresh log, a session holding a lock inside an open
transaction, a snapshot of the ops layer's catalog rows (to prove no DDL ran), and the
measured figures each test prints for the README's fault table (run pytest with -s)."""

import datetime as dt
import threading
import time
from contextlib import contextmanager

import psycopg
from psycopg import sql

from cobranza_pipeline.local.demo.generate import DemoConfig, load_demo_data
from cobranza_pipeline.quality.latency import latency_probes
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.sqlfiles import read_query
from tests.support.fixtures import business_timezone, compose

MV = COBRANZA_MV.qualified_name
MV_NODE = "ops__mv_yango_cabinet_cobranza_enriched_14d"  # the MV's op in run config
AS_OF = dt.date(2026, 6, 30)


def mv_checksum(conn, relation: str = MV) -> tuple[int, str]:
    """(rows, md5 of every row in driver order) of the MV."""
    return conn.execute(compose(
        "select count(*), md5(coalesce(string_agg(m::text, '|' order by m.driver_id), '')) from {mv} as m",
        mv=relation,
    )).fetchone()


def select_checksum(conn) -> tuple[int, str]:
    """The same checksum over what the MV's SELECT returns right now (what a refresh must give),
    read in the business time zone as the product's sessions read it."""
    conn.execute("select set_config('TimeZone', %s, false)", (business_timezone(),))
    return conn.execute(compose(
        "with m as ({select}) select count(*), md5(coalesce(string_agg(m::text, '|' order by m.driver_id), '')) "
        "from m", select=sql.SQL(COBRANZA_MV.select_sql),
    )).fetchone()


def refresh_log(conn) -> list[tuple]:
    """(attempt, status, mode, error) of every refresh attempt, oldest first."""
    return conn.execute("select attempt, status, mode, error from ops.mv_refresh_log order by id").fetchall()


def attempt_seconds(conn) -> list[float]:
    """How long each refresh attempt took (ops.mv_refresh_log.duration_ms), oldest first."""
    return [ms / 1000 for (ms,) in conn.execute("select duration_ms from ops.mv_refresh_log order by id")]


def load_demo(url: str, drivers: int, seed: int = 5) -> None:
    """Generated raw rows (tests/local/test_demo_data.py pins their shape), enough for a refresh that
    lasts long enough to be killed, cancelled or read under."""
    load_demo_data(url, DemoConfig(drivers=drivers, seed=seed, as_of=AS_OF))


@contextmanager
def lock_held(url: str, table: str, application_name: str = "fault-lock-holder"):
    """Another session holding ACCESS EXCLUSIVE on `table` in an open transaction (the way a
    hand-run maintenance or a stuck loader would); rolled back and closed on exit. Yields
    the holder's connection (its pid is conn.info.backend_pid)."""
    holder = psycopg.connect(url, application_name=application_name)
    try:
        holder.execute(compose("lock table {table} in access exclusive mode", table=table))
        yield holder
    finally:
        holder.rollback()
        holder.close()


def ops_catalog_snapshot(conn) -> list[tuple]:
    """Every ops relation and function with its oid, the catalog row versions (xmin) of its
    pg_class/pg_proc and rewrite rule, and its COMMENT: any DDL on the ops layer changes it."""
    return conn.execute(
        """
        select c.relname::text, c.oid::int8, c.xmin::text, coalesce(r.xmin::text, ''),
               coalesce(obj_description(c.oid, 'pg_class'), '')
        from pg_class as c
        join pg_namespace as n on n.oid = c.relnamespace
        left join pg_rewrite as r on r.ev_class = c.oid
        where n.nspname = 'ops' and c.relkind in ('v', 'm', 'i')
        union all
        select p.proname::text, p.oid::int8, p.xmin::text, '', coalesce(obj_description(p.oid, 'pg_proc'), '')
        from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace
        where n.nspname = 'ops'
        order by 1
        """
    ).fetchall()


class DashboardReaders:
    """`count` threads, each with its own session, running the dashboard's queries (the latency
    check's probes: sql/queries/ with the same bound parameters) in a loop until stop().
    Records every query's latency and every error; never raises in the threads."""

    def __init__(self, url: str, count: int):
        with psycopg.connect(url, autocommit=True) as conn:
            self.probes = [(name, read_query(path), params) for name, path, params in latency_probes(conn)]
        self.url, self.count = url, count
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._read, args=(i,), daemon=True) for i in range(count)]

    def _read(self, offset: int) -> None:
        try:
            conn = psycopg.connect(self.url, autocommit=True, application_name="dashboard reader")
        except psycopg.Error as exc:
            self.errors.append(f"connect: {exc}")
            return
        with conn:
            i = offset
            while not self._stop.is_set():
                name, query, params = self.probes[i % len(self.probes)]
                started = time.perf_counter()
                try:
                    conn.execute(query, params).fetchall()
                except psycopg.Error as exc:
                    self.errors.append(f"{name}: {exc}")
                self.latencies.append(time.perf_counter() - started)
                i += 1

    def __enter__(self) -> "DashboardReaders":
        for thread in self._threads:
            thread.start()
        wait_until(lambda: len(self.latencies) >= self.count, timeout_s=30)  # every reader is reading
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def reset(self) -> None:
        """Forget what was measured so far (e.g. the warm-up before the fault)."""
        self.latencies.clear()
        self.errors.clear()


def wait_until(predicate, timeout_s: float, interval_s: float = 0.02):
    """Poll predicate() until it returns something truthy; that value, or None at the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval_s)


def report_figure(item: int, fault: str, **figures) -> None:
    """One line per fault for the README's table (visible with pytest -s)."""
    shown = ", ".join(f"{name} {value:.2f} s" if isinstance(value, float) else f"{name} {value}"
                      for name, value in figures.items())
    print(f"\n[fault {item}] {fault}: {shown}")
