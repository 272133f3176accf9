"""Response schemas (the OpenAPI description). Money is Decimal, rendered as a JSON string
with its exact digits ("135.00"); percentages are numbers rounded to 2 decimals."""

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel


class TableRow(BaseModel):
    """The 26 financial columns of the MV and 7 scout columns."""

    driver_id: str
    driver_name: str | None
    lead_date: date | None
    iso_week: str | None
    week_start: date | None
    connected_flag: bool | None
    connected_date: date | None
    total_trips_14d: int | None
    reached_m1_14d: bool | None
    reached_m5_14d: bool | None
    reached_m25_14d: bool | None
    expected_amount_m1: Decimal | None
    expected_amount_m5: Decimal | None
    expected_amount_m25: Decimal | None
    expected_total_yango: Decimal | None
    claim_m1_exists: bool | None
    claim_m1_paid: bool | None
    claim_m5_exists: bool | None
    claim_m5_paid: bool | None
    claim_m25_exists: bool | None
    claim_m25_paid: bool | None
    paid_amount_m1: Decimal | None
    paid_amount_m5: Decimal | None
    paid_amount_m25: Decimal | None
    total_paid_yango: Decimal | None
    amount_due_yango: Decimal | None
    scout_id: int | None
    scout_name: str | None
    scout_quality_bucket: str | None
    is_scout_resolved: bool
    scout_source_table: str | None
    scout_attribution_date: date | None
    scout_priority: int | None


class TableSummary(BaseModel):
    total_drivers: int
    drivers_with_expected: int
    drivers_with_debt: int
    total_expected_yango: Decimal
    total_paid_yango: Decimal
    total_debt_yango: Decimal  # sum of amount_due_yango, negatives included
    collection_percentage: float
    drivers_m1: int
    drivers_m5: int
    drivers_m25: int
    drivers_with_scout: int
    drivers_without_scout: int
    pct_with_scout: float


class TableMeta(BaseModel):
    limit: int
    offset: int
    returned: int
    total: int


class TableResponse(BaseModel):
    meta: TableMeta
    summary: TableSummary | None  # the filtered rows; null when include_summary=false
    summary_total: TableSummary | None  # every row of the MV, no filters
    data: list[TableRow]


class FiltersEcho(BaseModel):
    only_with_debt: bool
    min_debt: Decimal | None
    reached_milestone: str | None
    scout_id: int | None
    week_start: date | None
    week_start_from: date | None
    week_start_to: date | None


class MissingExample(BaseModel):
    driver_id: str
    lead_date: date | None
    reached_m1: bool | None
    reached_m5: bool | None
    reached_m25: bool | None
    amount_due_yango: Decimal


class ScoutMetrics(BaseModel):
    total_drivers: int
    drivers_with_scout: int
    drivers_without_scout: int
    pct_with_scout: float
    breakdown_by_quality: dict[str, int]  # the six buckets, MISSING included
    breakdown_by_source: dict[str, int]  # lead_ledger, lead_events, migrations, scouting_daily, cabinet_payments
    drivers_without_scout_by_reason: dict[str, int]  # missing_identity, no_source_match
    top_missing_examples: list[MissingExample]


class ScoutKpiResponse(BaseModel):
    status: Literal["ok"] = "ok"
    metrics: ScoutMetrics
    filters: FiltersEcho


class Week(BaseModel):
    week_start: date
    total_rows: int
    debt_sum: Decimal
    with_scout: int
    pct_with_scout: float
    reached_m1: int
    reached_m5: int
    reached_m25: int
    paid_sum: Decimal
    unpaid_sum: Decimal  # equal to debt_sum, kept for the old dashboard


class WeeklyFiltersEcho(FiltersEcho):
    scout_quality_bucket: str | None
    limit_weeks: int


class WeeklyKpiResponse(BaseModel):
    status: Literal["ok"] = "ok"
    weeks: list[Week]
    filters: WeeklyFiltersEcho


class ErrorResponse(BaseModel):
    detail: str
