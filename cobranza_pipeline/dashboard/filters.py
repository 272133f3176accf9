"""The dashboard's filters as the queries of sql/queries/ bind them: plain data, shared by the
HTTP API (which parses them from requests), the latency check and the benchmark.

Field names are the SQL parameter names of sql/queries/dashboard_filters.sql (Filters) and
sql/queries/weekly_kpis.sql (WeekRange); None (False) means "not applied".
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

MILESTONE_BANDS = ("m1", "m5", "m25")
QUALITY_BUCKETS = ("SATISFACTORY_LEDGER", "EVENTS_ONLY", "MIGRATIONS_ONLY", "SCOUTING_DAILY_ONLY",
                   "CABINET_PAYMENTS_ONLY", "MISSING")


@dataclass(frozen=True)
class Filters:
    """The table's filters; None (False) = not applied. Field names are the SQL parameters of
    sql/queries/dashboard_filters.sql: reached_milestone is an exclusive band, reached_at_least
    a cumulative threshold (the scout KPIs' reading of the same query parameter);
    week_start_from / week_start_to an inclusive range of week_start."""

    only_with_debt: bool = False
    min_debt: Decimal | None = None
    reached_milestone: str | None = None
    scout_id: int | None = None
    week_start: date | None = None
    reached_at_least: str | None = None
    week_start_from: date | None = None
    week_start_to: date | None = None

    def params(self) -> dict:
        return asdict(self)

    def echo(self) -> dict:
        """The filters as the client gave them (the responses' `filters` object)."""
        echoed = asdict(self)
        echoed["reached_milestone"] = echoed.pop("reached_at_least") or self.reached_milestone
        return echoed


@dataclass(frozen=True)
class WeekRange:
    """The weekly KPIs' own parameters (the week range itself is a filter of every query)."""

    scout_quality_bucket: str | None = None
    limit_weeks: int = 52

    def params(self) -> dict:
        return asdict(self)
