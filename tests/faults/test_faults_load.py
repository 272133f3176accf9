"""Readers under load during a refresh (README "Reliability", item 10): 20 sessions run the
dashboard's queries (sql/queries/, bound as the latency check binds them) for the whole length
of a refresh, first a REFRESH ... CONCURRENTLY, then a rebuild (build beside, swap in one short
transaction). Every query must succeed, and none may wait anywhere near the refresh's length:
a reader blocked by the refresh would wait for most of it."""

import statistics
import time

from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.matview.refresh import refresh_materialized_view
from tests.support.faults import (
    DashboardReaders,
    load_demo,
    mv_checksum,
    report_figure,
    select_checksum,
)
from tests.support.fixtures import FAST_REFRESH, build_all, database

READERS = 20
DRIVERS = 3000  # a refresh of a few seconds on 2 cores with 20 readers, the test under 15 s


def measured(readers: DashboardReaders) -> dict:
    latencies = sorted(readers.latencies)
    return {"queries": len(latencies), "errors": list(readers.errors), "max_s": latencies[-1],
            "p50_s": statistics.median(latencies), "p99_s": latencies[int(len(latencies) * 0.99) - 1]}


def test_twenty_readers_during_a_concurrent_refresh_and_a_rebuild_never_fail_or_wait_for_it(conn, db_url):
    load_demo(db_url, drivers=DRIVERS)
    build_all(conn, db_url)
    conn.execute("update public.summary_daily set count_orders_completed = count_orders_completed + 1"
                 " where extract(day from created_at)::int % 3 = 0")  # the refreshes have rows to change
    phases = {}
    with DashboardReaders(db_url, count=READERS) as readers:
        readers.reset()
        time.sleep(1)  # the baseline: the same readers with no refresh running
        phases["idle"] = measured(readers)
        for mode in ("concurrent", "rebuild"):
            if mode == "rebuild":  # a missing index: the next refresh rebuilds and swaps
                conn.execute("drop index ops.idx_mv_cobranza_enriched_lead_date")
            readers.reset()
            outcome = refresh_materialized_view(database(db_url), COBRANZA_MV, FAST_REFRESH)
            phases[mode] = {**measured(readers), "refresh_s": outcome.duration_ms / 1000}
            assert outcome.mode == mode
    assert mv_checksum(conn) == select_checksum(conn)
    for mode in ("concurrent", "rebuild"):
        figures = phases[mode]
        assert figures["errors"] == [], figures["errors"][:5]
        assert figures["queries"] >= READERS  # every reader read during the refresh
        # Not blocked by the refresh: a blocked reader would wait for most of its length.
        assert figures["max_s"] < 0.5 * figures["refresh_s"], figures
        report_figure(10, f"{READERS} readers during a {mode} refresh", refresh=figures["refresh_s"],
                      queries=figures["queries"], errors=len(figures["errors"]), p50=figures["p50_s"],
                      p99=figures["p99_s"], max_latency=figures["max_s"], idle_max_latency=phases["idle"]["max_s"])
