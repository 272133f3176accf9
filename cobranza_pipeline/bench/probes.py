"""The dashboard requests `cobranza bench` times: each one runs the statements its HTTP API
endpoint runs, through the API's own query functions or the sql/queries/ files they read
(never a copy of their SQL), with the parameters the API binds, fetching every row.

- the table with each filter: the probes of the latency check (quality/latency.py);
- the table endpoint as the dashboard calls it (page, filtered summary, summary_total);
- the scout KPIs (scout_kpis.sql + scout_kpis_top_missing.sql), unfiltered and for one week;
- the weekly KPIs (52 weeks), unfiltered and for rows with debt;
- the CSV export of EXPORT_ROWS rows: server-side cursor, every row fetched and formatted.
"""

from collections.abc import Callable

from cobranza_pipeline.dashboard import queries
from cobranza_pipeline.dashboard.filters import Filters, WeekRange
from cobranza_pipeline.quality.latency import latency_probes
from cobranza_pipeline.serving import csv_format
from cobranza_pipeline.warehouse.sqlfiles import read_query

EXPORT_ROWS = 10_000

Probe = Callable[[object], int]  # runs one request on a connection; returns the rows it read


def sql_probe(sql_file: str, params: dict) -> Probe:
    def run(conn) -> int:
        return len(conn.execute(read_query(sql_file), params).fetchall())

    return run


def table_endpoint(filters: Filters) -> Probe:
    """GET /cabinet-financial-14d with its defaults: the first page and the summaries."""

    def run(conn) -> int:
        rows = queries.table_page(conn, filters, limit=200, offset=0)
        queries.table_summaries(conn, filters)
        return len(rows)

    return run


def scout_kpis_probe(filters: Filters) -> Probe:
    def run(conn) -> int:
        return len(queries.scout_kpis(conn, filters)["top_missing_examples"]) + 1

    return run


def weekly_kpis_probe(filters: Filters) -> Probe:
    def run(conn) -> int:
        return len(queries.weekly_kpis(conn, filters, WeekRange()))

    return run


def export_csv(conn) -> int:
    """The export's rows (EXPORT_ROWS, unfiltered, the table's order) through the API's
    server-side cursor and CSV formatter, in one transaction as the API reads them."""
    with conn.transaction():
        chunks = csv_format.csv_chunks(queries.export_rows(conn, Filters(), EXPORT_ROWS, csv_format.COLUMN_NAMES))
        lines = sum(chunk.count(b"\r\n") for chunk in chunks)
    return lines - 1  # the header line


def dashboard_probes(conn) -> dict[str, Probe]:
    """name -> probe; the filter values (busiest scout, latest week) come from the MV."""
    table = latency_probes(conn)
    probes: dict[str, Probe] = {name: sql_probe(path, params) for name, path, params in table}
    latest_week = next(params["week_start"] for name, _, params in table if name == "table_week_start")
    probes["table_endpoint_unfiltered"] = table_endpoint(Filters())
    probes["table_endpoint_only_with_debt"] = table_endpoint(Filters(only_with_debt=True))
    probes["scout_kpis"] = scout_kpis_probe(Filters())
    probes["scout_kpis_latest_week"] = scout_kpis_probe(Filters(week_start=latest_week))
    probes["scout_kpis_reached_m5"] = scout_kpis_probe(Filters(reached_at_least="m5"))
    probes["weekly_kpis"] = weekly_kpis_probe(Filters())
    probes["weekly_kpis_only_with_debt"] = weekly_kpis_probe(Filters(only_with_debt=True))
    probes["export_csv_10k_rows"] = export_csv
    return probes
