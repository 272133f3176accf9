"""The page's HTML: Jinja2 templates (serving/templates/) with autoescaping, and the filters
that write values the way the collections team reads them.

Money is written from Decimal, never through float: `S/ 1,234.50` (comma for thousands, point
for decimals, as the team writes soles; a negative debt is `S/ -25.00`). Dates are calendar
dates rendered here, on the server, as dd/mm/aaaa inside <time datetime="YYYY-MM-DD">, so the
browser never parses them and its time zone cannot shift them. Timestamps are shown in the
business time zone (the session's TimeZone) with the zone's name.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
CENT = Decimal("0.01")
EMPTY = "—"


def money(value: Decimal | str | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, float):
        raise TypeError("money is Decimal (or its exact text), never float")
    return "S/ " + format(Decimal(value).quantize(CENT, ROUND_HALF_UP), ",.2f")


def count(value) -> str:
    return EMPTY if value is None else format(int(value), ",d")


def pct(value) -> str:
    if value is None:
        return EMPTY
    return format(Decimal(str(value)).quantize(CENT, ROUND_HALF_UP), ",.2f") + " %"


def share(part: int, whole: int) -> str:
    """part of whole as a percentage with 2 decimals, exact (0 of 0 is 0.00 %)."""
    return pct(Decimal(100 * part) / Decimal(whole) if whole else Decimal(0))


def day(value) -> Markup:
    if value is None:
        return Markup(EMPTY)
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), f"{value:%d/%m/%Y}")


def moment(value: datetime | None, timezone: str) -> Markup:
    """A timestamp in the business time zone, named: 01/12/2026 04:35 (America/Lima)."""
    if value is None:
        return Markup(EMPTY)
    local = value.astimezone(ZoneInfo(timezone))
    return Markup('<time datetime="{}">{}</time>').format(local.isoformat(), f"{local:%d/%m/%Y %H:%M} ({timezone})")


def yes_no(value) -> str:
    return EMPTY if value is None else ("Sí" if value else "No")


def cell(value) -> Markup | str:
    """A table cell of the MV's row, by the value's type (every Decimal of the row is money)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, (date, datetime)):
        return day(value)
    return str(value)


def plain(value) -> str:
    """A value as the API writes it (exact digits, ISO dates): the data-value attributes."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return "" if value is None else str(value)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a misspelt name fails the render instead of showing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=money, count=count, pct=pct, day=day, moment=moment, yes_no=yes_no, cell=cell,
                       plain=plain)
    env.globals.update(share=share)
    return env


ENVIRONMENT = _environment()


def warm() -> None:
    """Compile every template now (at app start), not during the first visitor's request."""
    for name in ENVIRONMENT.list_templates(extensions=["html"]):
        ENVIRONMENT.get_template(name)


def render(template: str, **context) -> str:
    return ENVIRONMENT.get_template(template).render(**context)
