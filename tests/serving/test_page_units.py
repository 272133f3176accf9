"""The page's pieces that need no database: money and dates as the team reads them, the URL's
filters read leniently and written back, and the package data that ships the templates."""

import fnmatch
import tomllib
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest

from cobranza_pipeline.dashboard.filters import Filters
from cobranza_pipeline.serving import rendering
from cobranza_pipeline.serving.page_query import EXPORT_PATH, PageQuery, parse_page_query
from cobranza_pipeline.serving.rendering import day, moment, money, pct, share
from tests.support.api_fixtures import WEEK1, WEEK2

SERVING = rendering.TEMPLATES.parent


@pytest.mark.parametrize("value, text", [
    (Decimal("1234.5"), "S/ 1,234.50"), (Decimal("-25.00"), "S/ -25.00"), (Decimal("0"), "S/ 0.00"),
    ("590.00", "S/ 590.00"), (Decimal("999999999999.99"), "S/ 999,999,999,999.99"), (None, "—"),
    (Decimal("0.005"), "S/ 0.01"),  # half up, as the team rounds (the MV holds cents anyway)
])
def test_money_is_written_from_decimal(value, text):
    assert money(value) == text


def test_money_refuses_a_float():
    with pytest.raises(TypeError):
        money(0.1)


def test_percentages_and_shares():
    assert (pct(46.15), pct(Decimal("16.30")), pct(0)) == ("46.15 %", "16.30 %", "0.00 %")
    assert (share(1, 3), share(0, 0), share(6, 13)) == ("33.33 %", "0.00 %", "46.15 %")


def test_dates_are_calendar_dates_and_timestamps_name_the_zone():
    assert day(date(2026, 3, 6)) == '<time datetime="2026-03-06">06/03/2026</time>'
    utc = datetime(2026, 3, 6, 3, 30, tzinfo=timezone.utc)  # 22:30 of the 5th in Lima
    assert moment(utc, "America/Lima") == \
        '<time datetime="2026-03-05T22:30:00-05:00">05/03/2026 22:30 (America/Lima)</time>'
    assert moment(utc.astimezone(timezone(timedelta(hours=9))), "America/Lima").endswith("05/03/2026 22:30 (America/Lima)</time>")


def test_the_url_round_trips_every_filter_and_the_csv_link_carries_them_all():
    raw = {"only_with_debt": "true", "min_debt": "60.50", "reached_milestone": "M5", "scout_id": "101",
           "week_start": WEEK2.isoformat(), "week_start_from": WEEK1.isoformat(), "week_start_to": WEEK2.isoformat(),
           "limit": "25", "offset": "50"}
    query = parse_page_query(raw)
    assert query.filters == Filters(True, Decimal("60.50"), "m5", 101, WEEK2, None, WEEK1, WEEK2)
    assert (query.limit, query.offset, query.notices) == (25, 50, ())
    again = parse_page_query({k: v[0] for k, v in parse_qs(urlparse(query.url()).query).items()})
    assert again == query
    export = urlparse(query.export_url())
    assert export.path == EXPORT_PATH
    assert {k: v[0] for k, v in parse_qs(export.query).items()} == {
        "only_with_debt": "true", "min_debt": "60.5", "reached_milestone": "m5", "scout_id": "101",
        "week_start": WEEK2.isoformat(), "week_start_from": WEEK1.isoformat(), "week_start_to": WEEK2.isoformat()}
    assert PageQuery().url() == "/" and PageQuery().export_url() == EXPORT_PATH


@pytest.mark.parametrize("raw, notice", [
    ({"min_debt": "-1"}, "Deuda mínima"), ({"min_debt": "1.001"}, "Deuda mínima"), ({"min_debt": "NaN"}, "Deuda mínima"),
    ({"reached_milestone": "m7"}, "Hito"), ({"scout_id": "1; drop"}, "Scout"), ({"scout_id": str(2**31)}, "Scout"),
    ({"week_start": "2026-02-30"}, "Semana"), ({"week_start": "20260302"}, "Semana"),
    ({"week_start_from": WEEK2.isoformat(), "week_start_to": WEEK1.isoformat()}, "rango de semanas"),
])
def test_a_bad_value_is_left_out_and_named(raw, notice):
    query = parse_page_query(raw)
    assert query.filters == Filters()
    assert len(query.notices) == 1 and notice in query.notices[0]


def test_paging_values_out_of_range_fall_back():
    assert (parse_page_query({"limit": "5"}).limit, parse_page_query({"limit": "500"}).limit) == (5, 50)
    assert (parse_page_query({"offset": "-3"}).offset, parse_page_query({"limit": "x"}).limit) == (0, 50)


def test_the_wheel_and_an_editable_install_ship_the_templates_and_assets():
    patterns = tomllib.loads((SERVING.parents[1] / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["cobranza_pipeline.serving"]
    shipped = [path for folder in ("templates", "static") for path in (SERVING / folder).iterdir()]
    assert len(shipped) >= 6
    for path in shipped:
        relative = str(path.relative_to(SERVING))
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
