"""The page's URL: its filters and paging, read leniently, and the links that keep them.

The page takes the API's parameter names (only_with_debt, min_debt, reached_milestone,
scout_id, week_start, week_start_from, week_start_to; limit and offset for paging), so the CSV
link is the export endpoint with the same query string and a shared link opens the same view.
reached_milestone is the table's exclusive band on every panel of the page. A value that does
not parse is left out and named in a notice on the page, instead of failing the whole view.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Mapping
from urllib.parse import urlencode

from cobranza_pipeline.dashboard.filters import MILESTONE_BANDS, Filters
from cobranza_pipeline.serving.params import INT4_MAX, MAX_MIN_DEBT

PAGE_SIZES = (25, 50, 100, 200)  # the form's choices; a link may name any size up to the largest
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = PAGE_SIZES[-1]
EXPORT_PATH = "/api/v1/ops/payments/cabinet-financial-14d/export"
TRUE = ("true", "1", "on", "yes")
DATE_FIELDS = {"week_start": "Semana", "week_start_from": "Desde la semana", "week_start_to": "Hasta la semana"}


@dataclass(frozen=True)
class PageQuery:
    filters: Filters = Filters()
    limit: int = DEFAULT_PAGE_SIZE
    offset: int = 0
    notices: tuple[str, ...] = field(default=(), compare=False)

    def filter_params(self) -> dict[str, str]:
        """The applied filters as URL parameters (defaults left out), in the form's order."""
        f = self.filters
        values = {
            "only_with_debt": "true" if f.only_with_debt else None,
            "min_debt": None if f.min_debt is None else format(f.min_debt.normalize(), "f"),  # 60.00 -> 60
            "reached_milestone": f.reached_milestone,
            "scout_id": None if f.scout_id is None else str(f.scout_id),
            "week_start": f.week_start, "week_start_from": f.week_start_from, "week_start_to": f.week_start_to,
        }
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if v is not None}

    def url(self, offset: int | None = None) -> str:
        """This view's link (at another offset when given)."""
        params = self.filter_params()
        if self.limit != DEFAULT_PAGE_SIZE:
            params["limit"] = str(self.limit)
        offset = self.offset if offset is None else offset
        if offset:
            params["offset"] = str(offset)
        return "/" + ("?" + urlencode(params) if params else "")

    def export_url(self) -> str:
        """The CSV of every row these filters select (all pages), in the table's order."""
        params = self.filter_params()
        return EXPORT_PATH + ("?" + urlencode(params) if params else "")


def parse_page_query(params: Mapping[str, str]) -> PageQuery:
    notices: list[str] = []
    values: dict = {"only_with_debt": (params.get("only_with_debt") or "").strip().lower() in TRUE}

    def take(name: str, label: str, parse) -> None:
        raw = (params.get(name) or "").strip()
        if not raw:
            return
        value = parse(raw)
        if value is None:
            notices.append(f"{label}: «{raw[:40]}» no es válido; el filtro no se aplicó")
        else:
            values[name] = value

    take("min_debt", "Deuda mínima", _money)
    take("reached_milestone", "Hito", lambda raw: raw.lower() if raw.lower() in MILESTONE_BANDS else None)
    take("scout_id", "Scout", lambda raw: _integer(raw, -INT4_MAX - 1, INT4_MAX))
    for name, label in DATE_FIELDS.items():
        take(name, label, _day)
    first, last = values.get("week_start_from"), values.get("week_start_to")
    if first and last and first > last:
        notices.append("El rango de semanas empieza después de terminar; no se aplicó")
        del values["week_start_from"], values["week_start_to"]
    limit = _integer(params.get("limit") or "", 1, MAX_PAGE_SIZE)
    offset = _integer(params.get("offset") or "", 0, INT4_MAX)
    return PageQuery(
        filters=Filters(**values),
        limit=limit if limit and limit <= MAX_PAGE_SIZE else DEFAULT_PAGE_SIZE,
        offset=offset or 0,
        notices=tuple(notices),
    )


def _money(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > MAX_MIN_DEBT or value.as_tuple().exponent < -2:
        return None
    return value.quantize(Decimal("0.01"))


def _integer(raw: str, low: int, high: int) -> int | None:
    raw = raw.strip()
    digits = raw[1:] if raw.startswith("-") else raw
    if not digits.isdigit() or not digits.isascii():
        return None
    value = int(raw)
    return value if low <= value <= high else None


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None
