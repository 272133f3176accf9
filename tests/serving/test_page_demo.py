"""The page on the 5,000-driver demo (the size `cobranza materialize` builds by default): the
first view renders within one second in a fresh browser, and it fits a phone's width. The run
writes a screenshot of each into the test's tmp dir, and the laptop one into
$COBRANZA_PAGE_SCREENSHOT_DIR when set: `COBRANZA_PAGE_SCREENSHOT_DIR=docs python -m pytest
tests/serving/test_page_demo.py` makes docs/page.png."""

import os

import psycopg
import pytest

from cobranza_pipeline.serving.app import create_app
from tests.support.api_fixtures import TABLE, BackgroundServer, get
from tests.support.browser import Browser
from tests.support.faults import load_demo
from tests.support.fixtures import build_all

FIRST_VIEW_BUDGET_MS = 1000  # on a machine that is not oversubscribed
LOADED_BOUND_MS = 3000  # the generous bound while other jobs hold more cores than there are
NAVIGATION = """const n = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByName('first-contentful-paint')[0];
return {response_end: n.responseEnd, dom_ready: n.domContentLoadedEventEnd, load: n.loadEventEnd,
        first_paint: paint ? paint.startTime : null};"""


@pytest.fixture(scope="module")
def demo_site(new_database):
    url = new_database()
    load_demo(url, 5000)
    with psycopg.connect(url, autocommit=True) as conn:
        build_all(conn, url)
    server = BackgroundServer(create_app(url)).start()
    yield server.base
    server.stop()


def test_first_view_within_one_second_and_a_screenshot(demo_site, tmp_path):
    """A visitor's first view: nothing in the browser's cache, on a server that has served
    before (its first request after a start also opens cold database caches). Timed by the
    browser's Navigation Timing, from the request to the load event; the best of 3 views with
    the cache cleared before each. The 1 s budget is asserted while the machine's load (1 min)
    is within its core count; when other jobs oversubscribe the cores, as parallel test runs
    do here, only the generous 3 s bound (the figures are printed either way)."""
    assert get(demo_site, "/").status == 200
    browser = Browser()
    try:
        browser.open("about:blank")  # the browser's own start is not the page's
        loads = []
        for _ in range(3):
            browser.driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            browser.open(demo_site + "/")
            timing = browser.driver.execute_script(NAVIGATION)
            print(f"[page] first view on 5,000 demo drivers: {timing}")
            loads.append(timing["load"])
        assert browser.cards()["total_drivers"][0] == str(get(demo_site, TABLE, limit=1).json()["summary"]["total_drivers"])
        assert len(browser.table_ids()) == 50
        load_average, cores = os.getloadavg()[0], os.cpu_count()
        bound = FIRST_VIEW_BUDGET_MS if load_average <= cores else LOADED_BOUND_MS
        print(f"[page] best first view {min(loads):.0f} ms, load average {load_average:.1f} on {cores} cores, "
              f"bound {bound} ms")
        assert min(loads) < bound, loads
        shot = browser.screenshot(tmp_path / "page.png", 1280, 1900, publish=True)
        assert shot.stat().st_size > 10_000
    finally:
        browser.quit()


def test_the_page_fits_a_phone(demo_site, tmp_path):
    browser = Browser()
    try:
        browser.emulate_phone(390, 844)
        browser.open(demo_site + "/?only_with_debt=true")
        widths = browser.driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"the page scrolls sideways on a phone: {widths}"
        # the wide table scrolls inside its own region instead
        region = browser.find("#drivers").find_element("xpath", "..")
        assert browser.driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", region)
        browser.screenshot(tmp_path / "page-phone.png", 390, 1400)
    finally:
        browser.quit()
