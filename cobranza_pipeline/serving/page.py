"""The collections team's executive view at `/`: one server-rendered page over the same queries
as the API (dashboard/queries.py), read in one snapshot so every panel agrees.

The URL holds the filters (page_query.py); the panels are the summary cards, the weekly charts
(charts.py), the scout attribution panel and the table with paging and its CSV link; above them
"data as of" from ops.mv_refresh_log, with a banner when the MV is older than the freshness
threshold or a refresh holds its lock. The page needs no script (page.js only tidies the URL).
"""

import time
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from cobranza_pipeline.dashboard import queries
from cobranza_pipeline.dashboard.filters import WeekRange
from cobranza_pipeline.serving import csv_format
from cobranza_pipeline.serving.charts import debt_chart, paid_chart
from cobranza_pipeline.serving.errors import ApiError
from cobranza_pipeline.serving.page_query import DEFAULT_PAGE_SIZE, PAGE_SIZES, PageQuery, parse_page_query
from cobranza_pipeline.serving.rendering import render

STATIC = Path(__file__).resolve().parent / "static"
CHART_WEEKS = 26  # the most recent weeks the filters select
MILESTONES = (("m1", "M1 (sin M5)"), ("m5", "M5 (sin M25)"), ("m25", "M25"))
BUCKETS = {
    "SATISFACTORY_LEDGER": "Ledger (satisfactorio)", "EVENTS_ONLY": "Solo eventos",
    "MIGRATIONS_ONLY": "Solo migraciones", "SCOUTING_DAILY_ONLY": "Solo scouting diario",
    "CABINET_PAYMENTS_ONLY": "Solo pagos de cabinet", "MISSING": "Sin scout",
}
SOURCES = {
    "lead_ledger": "observational.lead_ledger", "lead_events": "observational.lead_events",
    "migrations": "public.module_ct_migrations", "scouting_daily": "public.module_ct_scouting_daily",
    "cabinet_payments": "public.module_ct_cabinet_payments",
}
REASONS = {
    "missing_identity": "Sin identidad (sin person_key)",
    "no_source_match": "Sin evidencia en las fuentes",
}

page_router = APIRouter(include_in_schema=False)


def gather(conn, query: PageQuery) -> dict:
    """Every panel's data for one view, from one snapshot."""
    filters = query.filters
    summary, summary_total = queries.table_summaries(conn, filters)
    weeks = queries.weekly_kpis(conn, filters, WeekRange(limit_weeks=CHART_WEEKS))
    return {
        "summary": summary,
        "summary_total": summary_total,
        "rows": queries.table_page(conn, filters, query.limit, query.offset),
        "weeks": weeks,
        "scouts": queries.scout_kpis(conn, filters),
        "week_choices": queries.week_options(conn),
        "scout_choices": queries.scout_options(conn),
        "status": queries.refresh_status(conn),
    }


def freshness(status: dict | None, threshold_h: float) -> dict:
    """What the page says about the data's age: the last successful refresh, whether that is
    older than the threshold (or unknown), and whether a refresh is running now."""
    last = status and status["last_success"]
    return {
        "as_of": last or None,
        "hours": status["hours_since"] if last else None,
        "stale": not last or status["hours_since"] > threshold_h,
        "refreshing": bool(status and status["refreshing"]),
        "refresh_started_at": status["refresh_started_at"] if status else None,
        "threshold_h": threshold_h,
    }


def pager(query: PageQuery, total: int) -> dict:
    last = max(0, (total - 1) // query.limit * query.limit)
    return {
        "first": query.offset + 1 if total and query.offset < total else 0,
        "last_row": min(total, query.offset + query.limit),
        "page": query.offset // query.limit + 1,
        "pages": max(1, -(-total // query.limit)),
        "first_url": query.url(0) if query.offset > 0 else None,
        "prev_url": query.url(max(0, query.offset - query.limit)) if query.offset > 0 else None,
        "next_url": query.url(query.offset + query.limit) if query.offset + query.limit < total else None,
        "last_url": query.url(last) if query.offset < last else None,
    }


@page_router.get("/", response_class=HTMLResponse)
def executive_page(request: Request) -> HTMLResponse:
    """The executive view of the MV with the filters of the URL."""
    query = parse_page_query(request.query_params)
    started = time.perf_counter()
    try:
        with request.app.state.db.session() as conn:
            data = gather(conn, query)
    except ApiError as exc:
        return error_page(request, exc)
    db_ms = (time.perf_counter() - started) * 1000
    weeks = data["weeks"]
    html = render(
        "page.html", q=query, **data,
        fresh=freshness(data["status"], request.app.state.freshness_hours),
        pager=pager(query, data["summary"]["total_drivers"]),
        charts={"debt": debt_chart(weeks), "paid": paid_chart(weeks)} if weeks else None,
        chart_weeks=CHART_WEEKS, columns=csv_format.COLUMNS, page_sizes=PAGE_SIZES, default_page_size=DEFAULT_PAGE_SIZE,
        milestones=MILESTONES,
        buckets=BUCKETS, sources=SOURCES, reasons=REASONS, signed_in=request.app.state.token_required,
        tz=request.app.state.timezone,
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store", "Server-Timing": f"db;dur={db_ms:.1f}"})


def error_page(request: Request, exc: ApiError) -> HTMLResponse:
    html = render("error.html", status=exc.status, detail=exc.detail, signed_in=request.app.state.token_required)
    return HTMLResponse(html, status_code=exc.status, headers={**exc.headers, "Cache-Control": "no-store"})
