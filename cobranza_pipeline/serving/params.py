"""The query parameters shared by the endpoints, their rules, and the values bound to SQL.

Every endpoint takes the table's filters (only_with_debt, min_debt, reached_milestone,
scout_id, week_start, and the range week_start_from / week_start_to); the weekly KPIs add a
bucket and limit_weeks. Types and ranges are checked by FastAPI (422). reached_milestone means
what it meant in the old backend: an exclusive band on the table, the export and the weekly
KPIs ('m1' = M1 not M5), a cumulative threshold on the scout KPIs ('m1' = reached M1); an
unknown value is a 400 on the table and the export and is ignored by the two KPI endpoints.
The values reach the SQL only as bound parameters.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BeforeValidator

from cobranza_pipeline.dashboard.filters import MILESTONE_BANDS, QUALITY_BUCKETS, Filters, WeekRange
from cobranza_pipeline.serving.errors import ApiError

INT4_MAX = 2_147_483_647
MAX_MIN_DEBT = Decimal("999999999999.99")  # numeric(14, 2): any debt the MV can hold


def _iso_date(value):
    """Only YYYY-MM-DD: pydantic would also read a number as seconds since 1970 (week_start=0 is
    1970-01-01) and a datetime at midnight as its date."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
IsoDate = BeforeValidator(_iso_date)


def normalize_milestone(raw: str | None, strict: bool = True) -> str | None:
    """'M5' -> 'm5'; absent or empty -> None; anything else is a 400, or None when not strict."""
    value = (raw or "").strip().lower()
    if not value or (value not in MILESTONE_BANDS and not strict):
        return None
    if value not in MILESTONE_BANDS:
        raise ApiError(400, "reached_milestone must be one of m1 (M1 not M5), m5 (M5 not M25) or m25")
    return value


def normalize_bucket(raw: str | None) -> str | None:
    value = (raw or "").strip().upper()
    if not value:
        return None
    if value not in QUALITY_BUCKETS:
        raise ApiError(400, "scout_quality_bucket must be one of " + ", ".join(QUALITY_BUCKETS))
    return value


@dataclass(frozen=True)
class QueryFilters:
    """The filter parameters as received, before reached_milestone is read for an endpoint."""

    only_with_debt: bool
    min_debt: Decimal | None
    reached_milestone: str | None
    scout_id: int | None
    week_start: date | None
    week_start_from: date | None = None
    week_start_to: date | None = None

    def filters(self, **milestone) -> Filters:
        return Filters(self.only_with_debt, self.min_debt, scout_id=self.scout_id, week_start=self.week_start,
                       week_start_from=self.week_start_from, week_start_to=self.week_start_to, **milestone)


def query_filters(
    only_with_debt: Annotated[bool, Query(description="only rows with amount_due_yango > 0")] = False,
    min_debt: Annotated[Decimal | None, Query(
        ge=0, le=MAX_MIN_DEBT, max_digits=14, decimal_places=2,
        description="only rows with amount_due_yango >= min_debt (PEN, up to 2 decimals)")] = None,
    reached_milestone: Annotated[str | None, Query(
        description="m1, m5 or m25, case-insensitive; empty = no filter. Table, export and weekly KPIs: an "
                    "exclusive band (m1 = reached M1 not M5, m5 = M5 not M25, m25 = M25); scout KPIs: "
                    "reached at least that milestone. Another value is a 400 on the table and the export "
                    "and is ignored by the KPIs")] = None,
    scout_id: Annotated[int | None, Query(ge=-INT4_MAX - 1, le=INT4_MAX, description="exact scout_id")] = None,
    week_start: Annotated[date | None, Query(description="exact week_start (the Monday of lead_date)"), IsoDate] = None,
    week_start_from: Annotated[date | None, Query(description="week_start >= this date (inclusive)"), IsoDate] = None,
    week_start_to: Annotated[date | None, Query(description="week_start <= this date (inclusive)"), IsoDate] = None,
) -> QueryFilters:
    if week_start_from and week_start_to and week_start_from > week_start_to:
        raise ApiError(400, "week_start_from is after week_start_to")
    min_debt = None if min_debt is None else min_debt.quantize(Decimal("0.01"))
    return QueryFilters(only_with_debt, min_debt, reached_milestone, scout_id, week_start,
                        week_start_from, week_start_to)


def table_filters(query: Annotated[QueryFilters, Depends(query_filters)]) -> Filters:
    """The table and the export: an exclusive band; an unknown milestone is a 400."""
    return query.filters(reached_milestone=normalize_milestone(query.reached_milestone))


def weekly_kpi_filters(query: Annotated[QueryFilters, Depends(query_filters)]) -> Filters:
    """The weekly KPIs: an exclusive band; an unknown milestone is ignored, as before."""
    return query.filters(reached_milestone=normalize_milestone(query.reached_milestone, strict=False))


def scout_kpi_filters(query: Annotated[QueryFilters, Depends(query_filters)]) -> Filters:
    """The scout KPIs: reached at least the milestone; an unknown milestone is ignored, as before."""
    return query.filters(reached_at_least=normalize_milestone(query.reached_milestone, strict=False))


def week_range(
    scout_quality_bucket: Annotated[str | None, Query(
        description="exact bucket (case-insensitive): " + ", ".join(QUALITY_BUCKETS) + "; another value is a 400")] = None,
    limit_weeks: Annotated[int, Query(ge=1, le=200, description="the most recent N weeks")] = 52,
) -> WeekRange:
    return WeekRange(normalize_bucket(scout_quality_bucket), limit_weeks)
