"""The dashboard's queries: each one a file in sql/queries/, its parameters always bound.

Every query that takes the table's filters starts from sql/queries/dashboard_filters.sql (its
`filtered` CTE), so one Filters value binds them all; the latency check
(quality/latency.py) runs the table query too.
"""

from typing import Iterator

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from cobranza_pipeline.dashboard.filters import QUALITY_BUCKETS, Filters, WeekRange
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from cobranza_pipeline.warehouse.sqlfiles import read_query

REFRESH_LOG = "ops.mv_refresh_log"
TOTALS = (("summary_filters", "totals_filters"),)  # read_query's `instead` for aggregate_query

EXPORT_FETCH_ROWS = 2000  # rows per FETCH of the export's server-side cursor

SOURCES = {  # breakdown_by_source key -> column of sql/queries/scout_kpis.sql
    "lead_ledger": "source_lead_ledger",
    "lead_events": "source_lead_events",
    "migrations": "source_migrations",
    "scouting_daily": "source_scouting_daily",
    "cabinet_payments": "source_cabinet_payments",
}


def aggregate_query(sql_file: str, filters: Filters) -> sql.Composed:
    """An aggregate query of sql/queries/ for these filters: from the totals per week
    (ops.cobranza_dashboard_totals, bounded by the weeks) unless a scout is asked for, which
    needs the per-scout summary (its groups of that scout, through its scout_id index)."""
    return read_query(sql_file) if filters.scout_id is not None else read_query(sql_file, TOTALS)


def _all(conn: psycopg.Connection, query: sql.Composed, params: dict) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchall()


def _one(conn: psycopg.Connection, query: sql.Composed, params: dict) -> dict:
    return _all(conn, query, params)[0]


def table_page(conn, filters: Filters, limit: int, offset: int) -> list[dict]:
    """One page of the table (33 columns), ordered week_start desc, lead_date desc, driver_id."""
    rows = _all(conn, read_query("queries/cabinet_table.sql"), {**filters.params(), "limit": limit, "offset": offset})
    for row in rows:
        row["is_scout_resolved"] = bool(row["is_scout_resolved"])  # NULL reads as false, as before
    return rows


def table_summary(conn, filters: Filters) -> dict:
    """The totals of the rows the filters select; Filters() gives the unfiltered summary_total."""
    return _one(conn, aggregate_query("queries/cabinet_table_summary.sql", filters), filters.params())


def table_summaries(conn, filters: Filters) -> tuple[dict, dict]:
    """(summary of the filtered rows, summary_total of all rows): one query when no filter is
    applied (the dashboard's first load), as both are the same rows of the same snapshot."""
    summary = table_summary(conn, filters)
    return summary, (summary if filters == Filters() else table_summary(conn, Filters()))


def table_count(conn, filters: Filters) -> int:
    return _one(conn, aggregate_query("queries/cabinet_table_count.sql", filters), filters.params())["total"]


def scout_kpis(conn, filters: Filters) -> dict:
    """Scout coverage of the selected rows: totals, buckets, sources, reasons, 10 examples."""
    counts = _one(conn, aggregate_query("queries/scout_kpis.sql", filters), filters.params())
    examples = _all(conn, read_query("queries/scout_kpis_top_missing.sql"), filters.params())
    return {
        "total_drivers": counts["total_drivers"],
        "drivers_with_scout": counts["drivers_with_scout"],
        "drivers_without_scout": counts["drivers_without_scout"],
        "pct_with_scout": counts["pct_with_scout"],
        "breakdown_by_quality": {bucket: counts[f"bucket_{bucket.lower()}"] for bucket in QUALITY_BUCKETS},
        "breakdown_by_source": {key: counts[column] for key, column in SOURCES.items()},
        "drivers_without_scout_by_reason": {
            "missing_identity": counts["missing_identity"],
            "no_source_match": counts["no_source_match"],
        },
        "top_missing_examples": examples,
    }


def weekly_kpis(conn, filters: Filters, weeks: WeekRange) -> list[dict]:
    """Per week_start, most recent first, at most weeks.limit_weeks weeks."""
    return _all(conn, aggregate_query("queries/weekly_kpis.sql", filters), {**filters.params(), **weeks.params()})


def export_rows(conn, filters: Filters, max_rows: int, columns: tuple[str, ...]) -> Iterator[tuple]:
    """The table's rows for the export, all pages (at most max_rows), in the table's order, as
    tuples of the named columns; through a server-side cursor: fetched EXPORT_FETCH_ROWS at a
    time, each FETCH its own statement under the statement timeout, never all in memory. The
    connection must be in a transaction (the API's sessions are)."""
    with conn.cursor(name="cabinet_export") as cur:
        cur.itersize = EXPORT_FETCH_ROWS
        cur.execute(read_query("queries/cabinet_table.sql"), {**filters.params(), "limit": max_rows, "offset": 0})
        names = [column.name for column in cur.description]
        positions = [names.index(column) for column in columns]
        for row in cur:
            yield tuple(row[i] for i in positions)


def week_options(conn) -> list:
    """Every week_start of the MV, most recent first (the page's week choices)."""
    return [row["week_start"] for row in _all(conn, read_query("queries/week_options.sql"), {})]


def scout_options(conn) -> list[dict]:
    """Every scout of the MV: scout_id, scout_name, drivers; by name (the page's scout choices)."""
    return _all(conn, read_query("queries/scout_options.sql"), {})


def refresh_status(conn) -> dict | None:
    """The MV's last successful refresh (last_success, last_mode, last_rows, hours_since; NULL
    when none) and whether a refresh holds its lock now (refreshing, refresh_started_at);
    None when ops.mv_refresh_log does not exist (the MV was not built by this pipeline)."""
    if not _one(conn, read_query("queries/relation_exists.sql"), {"relation": REFRESH_LOG})["relation_exists"]:
        return None
    params = {"mv_name": COBRANZA_MV.qualified_name, **COBRANZA_MV.lock_params}
    return _one(conn, read_query("queries/mv_status.sql"), params)
