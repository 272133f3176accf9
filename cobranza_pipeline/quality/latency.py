"""The dashboard-latency check: the dashboard's typical queries, timed on the MV."""

import statistics
import time
from decimal import Decimal

from cobranza_pipeline.dashboard.filters import Filters
from cobranza_pipeline.quality.framework import CheckOutcome, fetch_one
from cobranza_pipeline.settings import Thresholds
from cobranza_pipeline.warehouse.sqlfiles import read_query, statement


def latency_probes(conn) -> list[tuple[str, str, dict]]:
    values = fetch_one(conn, "checks/latency_probe_values.sql")
    table = "queries/cabinet_table.sql"

    def page(**filters) -> dict:  # the table endpoint's first page with those filters
        return {**Filters(**filters).params(), "limit": 200, "offset": 0}

    return [
        ("debt_m25_latest_leads", "queries/debt_m25_latest_leads.sql", {}),
        ("debt_latest_week", "queries/debt_latest_week.sql", {}),
        ("table_unfiltered", table, page()),
        ("table_only_with_debt", table, page(only_with_debt=True)),
        ("table_min_debt", table, page(min_debt=Decimal("100"))),
        ("table_band_m1", table, page(reached_milestone="m1")),
        ("table_band_m5", table, page(reached_milestone="m5")),
        ("table_band_m25", table, page(reached_milestone="m25")),
        ("table_scout_id", table, page(scout_id=values["scout_id"])),
        ("table_week_start", table, page(week_start=values["week_start"])),
    ]


def _indexes_in_plan(node: dict) -> list[str]:
    found = [node["Index Name"]] if "Index Name" in node else []
    for child in node.get("Plans", []):
        found += _indexes_in_plan(child)
    return found


def query_latency(conn, thresholds: Thresholds, repeats: int = 3) -> CheckOutcome:
    """The dashboard's typical queries each run under the latency threshold (300 ms; median of
    3 runs, fetch included); WARN above it, ERROR above 3 times it. The plan's indexes are
    recorded.

    When it fails: Check indexes_used for sequential scans, run ANALYZE on the MV, and
    required_indexes; if the MV grew, run `cobranza bench` and read the plans.
    """
    timings, plans = {}, {}
    for name, sql_file, params in latency_probes(conn):
        query = read_query(sql_file)
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            conn.execute(query, params).fetchall()
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = round(statistics.median(runs), 2)
        plan = conn.execute(statement("checks/explain_json.sql", query=query), params).fetchone()[0]
        plans[name] = sorted(set(_indexes_in_plan(plan[0]["Plan"]))) or ["(sequential scan)"]
    slowest = max(timings, key=timings.get)
    worst = timings[slowest]
    limit = thresholds.query_latency_ms
    return CheckOutcome(
        passed=worst <= limit,
        severity="ERROR" if worst > 3 * limit else "WARN",
        value=worst,
        threshold=limit,
        description=f"slowest dashboard query {slowest} took {worst} ms (threshold {limit:g} ms)",
        metadata={"median_ms": timings, "indexes_used": plans},
    )
