"""The FastAPI application: the old backend's four endpoints on the old paths.

The table and its export are mounted under /api/v1/ops/payments and /api/v1/payments; the two
KPI endpoints under /api/v1, /api/v1/payments and /api/v1/ops/payments, so the runbook's paths,
the dashboard's and the validator's all work. OpenAPI at /openapi.json, docs at /docs.
"""

import logging
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from cobranza_pipeline.dashboard import queries
from cobranza_pipeline.dashboard.filters import Filters, WeekRange
from cobranza_pipeline.serving.access import install_access, login_router
from cobranza_pipeline.serving.cache import TTLCache
from cobranza_pipeline.serving.errors import ApiError
from cobranza_pipeline.serving.export import export_response
from cobranza_pipeline.serving.models import ErrorResponse, ScoutKpiResponse, TableResponse, WeeklyKpiResponse
from cobranza_pipeline.serving.page import STATIC, page_router
from cobranza_pipeline.serving.params import INT4_MAX, scout_kpi_filters, table_filters, week_range, weekly_kpi_filters
from cobranza_pipeline.serving.rendering import warm as warm_templates
from cobranza_pipeline.serving.sessions import MV, SessionPool
from cobranza_pipeline.settings import DEFAULT_TIMEZONE, AccessSettings, ApiSettings, Thresholds

log = logging.getLogger(__name__)

TABLE_PREFIXES = ("/api/v1/ops/payments", "/api/v1/payments")
KPI_PREFIXES = ("/api/v1", "/api/v1/payments", "/api/v1/ops/payments")
KPI_BASE = "/yango/cabinet/cobranza-yango"

ERRORS = {
    400: {"model": ErrorResponse, "description": "reached_milestone (or scout_quality_bucket) not in its list"},
    422: {"model": ErrorResponse, "description": "a parameter out of range or of the wrong type"},
    503: {"model": ErrorResponse, "description": "database unavailable, or the MV missing: run `cobranza materialize`"},
    500: {"model": ErrorResponse, "description": "unexpected error (details only in the server log)"},
}

table_router = APIRouter(tags=["cabinet table"], responses=ERRORS)
kpi_router = APIRouter(tags=["KPIs"], responses=ERRORS)


def get_db(request: Request) -> SessionPool:
    return request.app.state.db


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


@table_router.get("/cabinet-financial-14d", response_model=TableResponse)
def cabinet_table(
    filters: Annotated[Filters, Depends(table_filters)],
    db: Annotated[SessionPool, Depends(get_db)],
    limit: Annotated[int, Query(ge=1, le=1000, description="rows per page")] = 200,
    offset: Annotated[int, Query(ge=0, le=INT4_MAX, description="rows to skip")] = 0,
    include_summary: Annotated[bool, Query(description="add summary (filtered) and summary_total")] = True,
):
    """One page of the MV's rows, ordered week_start desc, lead_date desc (NULLs last),
    driver_id; meta.total counts every row the filters select."""
    with db.session() as conn:
        rows = queries.table_page(conn, filters, limit, offset)
        summary, summary_total = queries.table_summaries(conn, filters) if include_summary else (None, None)
        total = summary["total_drivers"] if summary else queries.table_count(conn, filters)
    return {
        "meta": {"limit": limit, "offset": offset, "returned": len(rows), "total": total},
        "summary": summary,
        "summary_total": summary_total,
        "data": rows,
    }


@table_router.get(
    "/cabinet-financial-14d/export",
    response_class=JSONResponse,  # documented below as text/csv; errors are JSON
    responses={200: {"content": {"text/csv": {}}, "description": "CSV, UTF-8 with BOM"},
               413: {"model": ErrorResponse, "description": "more rows than the export limit"}},
)
def cabinet_export(
    filters: Annotated[Filters, Depends(table_filters)],
    db: Annotated[SessionPool, Depends(get_db)],
    settings: Annotated[ApiSettings, Depends(get_settings)],
):
    """Every row the table's filters select (all pages) as CSV: UTF-8 with BOM, the old
    backend's 32 Spanish headers, 'Sí'/'No', NULL empty, formula-injection guard; read in full
    before the first byte (no session is held while the client downloads), then sent chunked."""
    return export_response(db, filters, settings.export_max_rows, settings.export_write_timeout_s)


@kpi_router.get(f"{KPI_BASE}/scout-attribution-metrics", response_model=ScoutKpiResponse)
def scout_attribution_metrics(
    request: Request,
    filters: Annotated[Filters, Depends(scout_kpi_filters)],
    db: Annotated[SessionPool, Depends(get_db)],
):
    """Scout coverage of the rows the filters select: totals, % with scout, breakdown by
    bucket and by source, missing reasons, top 10 missing examples. reached_milestone is
    cumulative here (m1 = reached M1), as in the old backend. Cached 60 s per filters."""

    def compute() -> dict:
        with db.session() as conn:
            return queries.scout_kpis(conn, filters)

    metrics = request.app.state.scout_kpi_cache.get_or_compute(filters, compute)
    return {"status": "ok", "metrics": metrics, "filters": filters.echo()}


@kpi_router.get(f"{KPI_BASE}/weekly-kpis", response_model=WeeklyKpiResponse)
def weekly_kpis(
    filters: Annotated[Filters, Depends(weekly_kpi_filters)],
    weeks: Annotated[WeekRange, Depends(week_range)],
    db: Annotated[SessionPool, Depends(get_db)],
):
    """Per week_start (most recent first): rows, debt_sum, with_scout, % with scout, reached
    counts, paid_sum, unpaid_sum. Rows without week_start are left out."""
    with db.session() as conn:
        rows = queries.weekly_kpis(conn, filters, weeks)
    return {"status": "ok", "weeks": rows, "filters": {**filters.echo(), **asdict(weeks)}}


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=exc.headers)


async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """One sentence naming the first bad parameter and pydantic's reason; never the value sent
    (FastAPI's default body echoes every input, up to the URL's length)."""
    problems = exc.errors()
    first = problems[0] if problems else {"loc": ("query",), "msg": "invalid request"}
    name = str(first["loc"][-1]) if first.get("loc") else "request"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return JSONResponse({"detail": f"invalid {name[:64]}: {str(first['msg'])[:200]}{more}"}, status_code=422)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error (details in the server log)"}, status_code=500)


def create_app(url: str, settings: ApiSettings | None = None, scout_kpi_cache: TTLCache | None = None,
               timezone: str = DEFAULT_TIMEZONE, access: AccessSettings = AccessSettings(),
               freshness_hours: float = Thresholds.freshness_hours) -> FastAPI:
    """The API and the page on the database at url. A test may pass its own cache (e.g. with a
    fake clock). access: the token and the CORS origins; freshness_hours: the page's stale banner."""
    settings = settings or ApiSettings()
    app = FastAPI(
        title="cobranza-pipeline dashboard API",
        version="1.0.0",
        description=f"Read-only endpoints over {MV}. Money is a string with exact decimals; a missing MV "
                    "is a 503 (run `cobranza materialize`).",
    )
    app.state.settings = settings
    app.state.db = SessionPool(url, settings, timezone)
    if scout_kpi_cache is None:  # not `or`: an empty cache is falsy (it has a length)
        scout_kpi_cache = TTLCache(settings.scout_kpi_cache_ttl_s, settings.scout_kpi_cache_entries)
    app.state.scout_kpi_cache = scout_kpi_cache
    for prefix in TABLE_PREFIXES:
        app.include_router(table_router, prefix=prefix)
    for prefix in KPI_PREFIXES:
        app.include_router(kpi_router, prefix=prefix)
    app.include_router(page_router)
    app.include_router(login_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.freshness_hours = freshness_hours
    app.state.timezone = timezone
    install_access(app, access)
    warm_templates()
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(Exception, _unexpected)
    return app
