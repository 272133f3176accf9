"""A real browser for the page's tests: headless Chromium from Debian's packages
(/usr/bin/chromium with its chromedriver), driven by Selenium. Nothing is downloaded: the
driver's path is given, so Selenium Manager never runs; the network beyond loopback is closed.
`.ci/run` installs the two packages when they are missing; without them the tests fail with a
message saying so (they are never skipped).
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")
SCREENSHOT_DIR_ENV = "COBRANZA_PAGE_SCREENSHOT_DIR"  # when set, the published screenshot is written there too


class Browser:
    """One Chromium for a test module, with a fresh profile and a download folder of its own.
    timezone: the browser's TZ (the old page showed dates a day early in America/Lima)."""

    def __init__(self, timezone: str = "America/Lima"):
        missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(path)]
        assert not missing, f"missing {missing}: apt-get install -y chromium chromium-driver (.ci/run does)"
        self.profile = Path(tempfile.mkdtemp(prefix="cobranza-chromium-"))
        self.downloads = self.profile / "downloads"
        self.downloads.mkdir()
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={self.profile / 'profile'}", "--window-size=1280,900"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {
            "download.default_directory": str(self.downloads), "download.prompt_for_download": False,
        })
        service = Service(CHROMEDRIVER, env={**os.environ, "TZ": timezone})
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": str(self.downloads)})

    def emulate_phone(self, width: int = 390, height: int = 844) -> None:
        """A phone's viewport (a headless window is never narrower than 500 px)."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})

    def open(self, url: str) -> None:
        self.driver.get(url)

    def wait(self, condition, timeout_s: float = 10):
        return WebDriverWait(self.driver, timeout_s).until(lambda driver: condition())

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def table_ids(self) -> list[str]:
        return [row.get_attribute("data-driver-id") for row in self.find_all("#drivers tbody tr[data-driver-id]")]

    def cards(self) -> dict[str, tuple[str, str]]:
        """kpi -> (data-value, the card's shown value)."""
        found = {}
        for card in self.find_all(".card[data-kpi]"):
            found[card.get_attribute("data-kpi")] = (card.get_attribute("data-value"),
                                                     card.find_element(By.CSS_SELECTOR, ".value").text)
        return found

    def downloaded(self, timeout_s: float = 10) -> Path:
        """The one finished download (Chromium writes *.crdownload until it is complete)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            files = [p for p in self.downloads.iterdir() if not p.name.endswith(".crdownload")]
            if files and not any(self.downloads.glob("*.crdownload")):
                assert len(files) == 1, files
                return files[0]
            time.sleep(0.05)
        raise AssertionError(f"no download finished in {timeout_s} s: {list(self.downloads.iterdir())}")

    def screenshot(self, path: Path, width: int, height: int, publish: bool = False) -> Path:
        """A PNG of the page's viewport at width x height; when publish, also copied into
        $COBRANZA_PAGE_SCREENSHOT_DIR if set (docs/page.png is made that way)."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
        self.driver.save_screenshot(str(path))
        target = os.environ.get(SCREENSHOT_DIR_ENV)
        if publish and target:
            shutil.copy(path, Path(target) / path.name)
        return path

    def quit(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)
