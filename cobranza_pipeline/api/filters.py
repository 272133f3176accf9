"""The query parameters shared by the endpoints, their rules, and the values bound to SQL.

Every endpoint takes the table's filters (only_with_debt, min_debt, reached_milestone,
scout_id, week_start); the weekly KPIs add a bucket, a week range and limit_weeks. Types and
ranges are checked by FastAPI (422); a reached_milestone or bucket outside its list is a 400,
as in the old backend. The values reach the SQL only as bound parameters.
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import Query

from cobranza_pipeline.api.errors import ApiError

MILESTONE_BANDS = ("m1", "m5", "m25")
QUALITY_BUCKETS = ("SATISFACTORY_LEDGER", "EVENTS_ONLY", "MIGRATIONS_ONLY", "SCOUTING_DAILY_ONLY",
                   "CABINET_PAYMENTS_ONLY", "MISSING")
INT4_MAX = 2_147_483_647
MAX_MIN_DEBT = Decimal("999999999999.99")  # numeric(14, 2): any debt the MV can hold


@dataclass(frozen=True)
class Filters:
    """The table's filters; None (False) = not applied. Field names are the SQL parameters."""

    only_with_debt: bool = False
    min_debt: Decimal | None = None
    reached_milestone: str | None = None
    scout_id: int | None = None
    week_start: date | None = None

    def params(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class WeekRange:
    scout_quality_bucket: str | None = None
    week_start_from: date | None = None
    week_start_to: date | None = None
    limit_weeks: int = 52

    def params(self) -> dict:
        return asdict(self)


def normalize_milestone(raw: str | None) -> str | None:
    """'M5' -> 'm5'; absent or empty -> None; anything else is a 400."""
    value = (raw or "").strip().lower()
    if not value:
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


def table_filters(
    only_with_debt: Annotated[bool, Query(description="only rows with amount_due_yango > 0")] = False,
    min_debt: Annotated[Decimal | None, Query(
        ge=0, le=MAX_MIN_DEBT, max_digits=14, decimal_places=2,
        description="only rows with amount_due_yango >= min_debt (PEN, up to 2 decimals)")] = None,
    reached_milestone: Annotated[str | None, Query(
        description="exclusive band, case-insensitive: m1 = reached M1 not M5, m5 = reached M5 not M25, "
                    "m25 = reached M25; any other value is a 400; empty = no filter")] = None,
    scout_id: Annotated[int | None, Query(ge=-INT4_MAX - 1, le=INT4_MAX, description="exact scout_id")] = None,
    week_start: Annotated[date | None, Query(description="exact week_start (the Monday of lead_date)")] = None,
) -> Filters:
    return Filters(
        only_with_debt=only_with_debt,
        min_debt=None if min_debt is None else min_debt.quantize(Decimal("0.01")),
        reached_milestone=normalize_milestone(reached_milestone),
        scout_id=scout_id,
        week_start=week_start,
    )


def week_range(
    scout_quality_bucket: Annotated[str | None, Query(
        description="exact bucket (case-insensitive): " + ", ".join(QUALITY_BUCKETS) + "; another value is a 400")] = None,
    week_start_from: Annotated[date | None, Query(description="week_start >= this date (inclusive)")] = None,
    week_start_to: Annotated[date | None, Query(description="week_start <= this date (inclusive)")] = None,
    limit_weeks: Annotated[int, Query(ge=1, le=200, description="the most recent N weeks")] = 52,
) -> WeekRange:
    if week_start_from and week_start_to and week_start_from > week_start_to:
        raise ApiError(400, "week_start_from is after week_start_to")
    return WeekRange(normalize_bucket(scout_quality_bucket), week_start_from, week_start_to, limit_weeks)
