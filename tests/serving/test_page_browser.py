"""The executive page in a real browser (headless Chromium, Selenium) on the hand-made fleet:
the cards equal the API's summary on the same filters, a filter change updates the table and
the URL, paging follows the API's order, the CSV link downloads exactly the filtered rows, dates
are the calendar dates in a browser set to America/Lima, and the banners follow
ops.mv_refresh_log and the refresh lock. One server and one browser per module (and per xdist
worker that runs some of its tests: each test stands on its own).

Fleet (tests/support/api_fixtures.py), by hand: 13 drivers; debts 160 + 100 + 60 + 25 + 0 + 0
- 25 + 25 + 135 + 60 + 25 + 0 + 0 = 565.00 net; the 8 positive ones sum to 590.00; D11 is the
one overpaid (-25.00); expected 675.00, paid 110.00, so 16.30 % collected; 6 of 13 with scout.
"""

from decimal import Decimal
from urllib.parse import urlencode

import psycopg
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from cobranza_pipeline.serving.app import create_app
from cobranza_pipeline.serving.rendering import money, pct
from cobranza_pipeline.warehouse.catalog import COBRANZA_MV
from tests.support.api_fixtures import (
    EXPORT,
    ORDER,
    SCOUT_KPIS,
    TABLE,
    WEEK1,
    WEEK2,
    WEEK3,
    WEEKLY_KPIS,
    BackgroundServer,
    get,
    ids,
)
from tests.support.browser import Browser

MONEY = ("total_expected_yango", "total_paid_yango", "total_debt_yango")
PERCENT = ("collection_percentage", "pct_with_scout")


@pytest.fixture(scope="module")
def site(fleet_url):
    server = BackgroundServer(create_app(fleet_url, freshness_hours=26)).start()
    yield server.base
    server.stop()


@pytest.fixture(scope="module")
def browser():
    chromium = Browser(timezone="America/Lima")
    yield chromium
    chromium.quit()


def page(site, browser, **params) -> None:
    browser.open(f"{site}/?{urlencode(params)}")
    browser.wait(lambda: browser.find_all("#drivers"))


@pytest.mark.parametrize("params", [
    {},
    {"only_with_debt": "true"},
    {"week_start": WEEK2.isoformat()},
    {"week_start_from": WEEK2.isoformat(), "week_start_to": WEEK3.isoformat()},
    {"reached_milestone": "m1", "min_debt": "25"},
    {"scout_id": "101"},
])
def test_cards_equal_the_apis_summary_on_the_same_filters(site, browser, params):
    page(site, browser, **params)
    summary = get(site, TABLE, **params).json()["summary"]
    cards = browser.cards()
    for kpi in ("total_drivers", "drivers_with_debt"):
        assert cards[kpi] == (str(summary[kpi]), f"{summary[kpi]:,}")
    for kpi in MONEY:
        assert cards[kpi] == (summary[kpi], money(Decimal(summary[kpi])))
    for kpi in PERCENT:
        assert (float(cards[kpi][0]), cards[kpi][1]) == (summary[kpi], pct(summary[kpi]))
    # "with debt" sums the positive debts only: the API's total debt of the same rows with debt
    positive = get(site, TABLE, **{**params, "only_with_debt": "true"}).json()["summary"]["total_debt_yango"]
    assert browser.find("[data-kpi=positive_debt_yango]").get_attribute("data-value") == positive
    # every panel takes the same filters: the scout panel is the API's scout KPIs (no milestone
    # here: the API reads it cumulatively there) and the weekly table the API's weekly KPIs
    if "reached_milestone" not in params:
        metrics = get(site, SCOUT_KPIS, **params).json()["metrics"]
        shown = {row.get_attribute("data-bucket"): int(row.get_attribute("data-value"))
                 for row in browser.find_all("#scout-buckets tr[data-bucket]")}
        assert shown == metrics["breakdown_by_quality"]
    weeks = get(site, WEEKLY_KPIS, **params).json()["weeks"]
    assert [row.get_attribute("data-week") for row in browser.find_all("#weekly tr[data-week]")] == \
        [week["week_start"] for week in weeks]


def test_the_unfiltered_cards_by_hand(site, browser):
    page(site, browser)
    cards = browser.cards()
    assert cards["total_drivers"] == ("13", "13")
    assert cards["drivers_with_debt"] == ("8", "8")
    assert cards["total_debt_yango"] == ("565.00", "S/ 565.00")
    assert cards["total_expected_yango"][1] == "S/ 675.00" and cards["total_paid_yango"][1] == "S/ 110.00"
    assert cards["collection_percentage"][1] == "16.30 %" and cards["pct_with_scout"][1] == "46.15 %"
    positive = browser.find("[data-kpi=positive_debt_yango]")
    assert positive.get_attribute("data-value") == "590.00" and "S/ 590.00" in positive.text
    assert "1 sobrepagado (S/ -25.00)" in browser.find("[data-kpi=total_debt_yango] .note").text
    assert browser.table_ids() == ORDER


def test_a_filter_change_by_keyboard_updates_the_table_and_the_url(site, browser):
    page(site, browser)
    browser.find("input[name=only_with_debt]").send_keys(Keys.SPACE)
    field = browser.find("input[name=min_debt]")
    field.send_keys("60")
    field.send_keys(Keys.ENTER)  # submits the form
    browser.wait(lambda: "min_debt" in browser.driver.current_url)
    assert browser.driver.current_url == f"{site}/?only_with_debt=true&min_debt=60"  # empty fields left out
    api_rows = get(site, TABLE, only_with_debt="true", min_debt="60").json()["data"]
    assert browser.table_ids() == ["D12", "D06", "D07", "D01", "D02"] == ids(api_rows)
    Select(browser.find("select[name=reached_milestone]")).select_by_value("m5")
    browser.find("#filtros button[type=submit]").click()
    browser.wait(lambda: "reached_milestone" in browser.driver.current_url)
    assert browser.driver.current_url == f"{site}/?only_with_debt=true&min_debt=60&reached_milestone=m5"
    assert browser.table_ids() == ["D07", "D02"]
    assert browser.cards()["total_drivers"][0] == "2"


def test_paging_walks_the_apis_order(site, browser):
    page(site, browser, limit=5)
    seen = []
    for offset in (0, 5, 10):
        assert browser.table_ids() == ids(get(site, TABLE, limit=5, offset=offset).json()["data"])
        seen += browser.table_ids()
        assert f"Filas {offset + 1}–{min(offset + 5, 13)} de 13" in browser.find(".pager .range").text
        if offset < 10:
            browser.find("[data-pager=next_url]").click()
            browser.wait(lambda: f"offset={offset + 5}" in browser.driver.current_url)
    assert seen == ORDER
    assert not browser.find_all("[data-pager=next_url]")  # the last page has no "next" link
    browser.find("[data-pager=first_url]").click()
    browser.wait(lambda: "offset" not in browser.driver.current_url)
    assert browser.table_ids() == ORDER[:5]


def test_the_csv_link_downloads_exactly_the_filtered_rows(site, browser):
    params = {"only_with_debt": "true", "week_start_from": WEEK1.isoformat(), "week_start_to": WEEK2.isoformat()}
    page(site, browser, **params)
    link = browser.find("#csv")
    assert link.get_attribute("href") == f"{site}{EXPORT}?{urlencode(params)}"
    link.click()
    downloaded = browser.downloaded()
    assert downloaded.name.startswith("cabinet_financial_14d_") and downloaded.suffix == ".csv"
    body = downloaded.read_bytes()
    assert body == get(site, EXPORT, **params).body  # the API's export of the same filters, byte for byte
    rows = body.decode("utf-8-sig").splitlines()[1:]
    # weeks 1-2 with debt > 0, in the table's order (D11's -25.00 and the zeros are out)
    assert [row.split(",")[0] for row in rows] == ["D06", "D07", "D08", "D13", "D01", "D02", "D03"]
    downloaded.unlink()


def test_dates_are_calendar_dates_in_a_lima_browser(site, browser):
    """The old page parsed '2026-03-06' as UTC midnight and showed 05/03 in Lima."""
    page(site, browser, scout_id="113")
    assert browser.driver.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/Lima"
    lead = browser.find("#drivers tr[data-driver-id=D13] td[data-col=lead_date] time")
    assert (lead.text, lead.get_attribute("datetime")) == ("06/03/2026", "2026-03-06")
    week = browser.find("#drivers tr[data-driver-id=D13] td[data-col=week_start]").text
    assert week == "02/03/2026"


def test_the_stale_banner_follows_the_refresh_log_and_the_rebuild_banner_the_lock(site, browser, fleet_url):
    page(site, browser)
    assert not browser.find_all("#banner-stale") and not browser.find_all("#banner-refreshing")
    assert "Datos al " in browser.find("#as-of").text
    with psycopg.connect(fleet_url, autocommit=True) as conn:
        conn.execute("update ops.mv_refresh_log set finished_at = finished_at - interval '30 hours'")
        try:
            page(site, browser)
            banner = browser.find("#banner-stale")
            assert banner.get_attribute("role") == "alert"
            assert "hace 30." in banner.text and "umbral de 26" in banner.text
            # a refresh holding the MV's advisory lock (as every refresh does) shows as running
            conn.execute("select pg_advisory_lock(%(lock_class)s, %(lock_key)s)", COBRANZA_MV.lock_params)
            page(site, browser)
            assert "se está actualizando" in browser.find("#banner-refreshing").text
            conn.execute("select pg_advisory_unlock(%(lock_class)s, %(lock_key)s)", COBRANZA_MV.lock_params)
        finally:
            conn.execute("update ops.mv_refresh_log set finished_at = finished_at + interval '30 hours'")
    page(site, browser)
    assert not browser.find_all("#banner-stale") and not browser.find_all("#banner-refreshing")


def test_a_bad_value_in_the_url_is_named_and_left_out(site, browser):
    page(site, browser, min_debt="lots", scout_id="101")
    assert "Deuda mínima: «lots» no es válido" in browser.find(".banner-error").text
    assert browser.table_ids() == ["D12", "D01"]  # the valid filter still applies


def test_the_page_is_usable_by_keyboard_from_the_top(site, browser):
    page(site, browser)
    body = browser.find("body")
    body.send_keys(Keys.TAB)
    active = browser.driver.switch_to.active_element
    assert active.text == "Saltar al contenido"  # the first stop skips the header
    assert browser.find("#drivers").find_element(By.XPATH, "..").get_attribute("tabindex") == "0"  # scrollable by keys
