"""Drive real headless Chromium (Debian's chromium + chromedriver) through Selenium.

Used by the map tests, the map benchmark and to make the README's
screenshot::

    python tests/browser.py nigeria.html docs/map-overview.png --find "Salvation Army"

Pages are opened from ``file://`` with the network cut off twice over
(DevTools ``Network.setBlockedURLs`` for every scheme that leaves the
machine, and ``Network.emulateNetworkConditions`` offline), and every
request the page makes is recorded from the DevTools performance log, so a
test can assert that none left ``file://``.

When chromium or chromedriver is missing, :func:`ensure_browser` runs
``scripts/install-browser.sh`` (as root or through sudo); only when that is
impossible does it raise :class:`BrowserUnavailable`, whose message the
tests give as their skip reason.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALL = ROOT / "scripts" / "install-browser.sh"
CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVERS = ("chromedriver",)
# Every scheme a page could use to reach another machine.
BLOCKED = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*", "*://*:*"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
         "--hide-scrollbars", "--mute-audio", "--force-device-scale-factor=1"]


class BrowserUnavailable(RuntimeError):
    """Chromium or chromedriver is absent and cannot be installed here."""


def _which(names: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def find_browser() -> tuple[str, str] | None:
    """(chromium, chromedriver) paths, or None."""
    browser, driver = _which(CHROMIUM), _which(DRIVERS)
    return (browser, driver) if browser and driver else None


def ensure_browser() -> tuple[str, str]:
    """Chromium and chromedriver, installing them with the project's script if needed."""
    found = find_browser()
    if found:
        return found
    try:
        import selenium  # noqa: F401
    except ImportError:
        raise BrowserUnavailable("selenium is not installed: pip install -e '.[test]'") from None
    can_root = os.geteuid() == 0 or shutil.which("sudo")
    if not (can_root and shutil.which("apt-get") and INSTALL.exists()):
        raise BrowserUnavailable(
            "chromium and chromedriver are not installed and cannot be installed here "
            "(scripts/install-browser.sh needs apt-get and root); install them to run the "
            "browser tests")
    proc = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, timeout=900)
    found = find_browser()
    if not found:
        raise BrowserUnavailable(f"scripts/install-browser.sh could not install chromium: "
                                 f"{(proc.stderr or proc.stdout).strip()[-400:]}")
    return found


class Browser:
    """One headless Chromium with its own empty profile, network cut off
    (``offline=False`` leaves it on, for pages served on loopback; ``flags`` are
    more command-line switches)."""

    def __init__(self, width: int = 1400, height: int = 900, offline: bool = True,
                 flags: tuple[str, ...] = ()):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        browser, driver = ensure_browser()
        self.profile = tempfile.mkdtemp(prefix="htkg-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*FLAGS, *flags):
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True,
                                                              "enablePage": False})
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        self._requests: list[tuple[str, str]] = []
        self._console: list[dict] = []
        self.offline = offline
        self.driver.execute_cdp_cmd("Network.enable", {})
        if offline:
            self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
            self.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
                "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})

    # -- lifecycle -------------------------------------------------------------
    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc) -> None:
        self.quit()

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # -- pages -------------------------------------------------------------------
    def open(self, path: str | Path, wait_ready: float | None = 30.0) -> float:
        """Open a local file; wait until the map says it is drawn. Returns seconds taken."""
        if self.driver.current_url.startswith("chrome"):
            self.driver.get("about:blank")
        self.drain()
        self._requests.clear()
        self._console.clear()
        started = time.perf_counter()
        self.driver.get(Path(path).resolve().as_uri())
        if wait_ready:
            self.wait_for("return !!(window.htkgMap && window.htkgMap.state.ready)", wait_ready)
        return time.perf_counter() - started

    def visit(self, url: str) -> None:
        """Open an address (a page served on loopback), its requests and console
        recorded afresh."""
        self.drain()
        self._requests.clear()
        self._console.clear()
        self.driver.get(url)

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait_for(self, script: str, timeout: float = 10.0, *args):
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"page never satisfied: {script}")
            time.sleep(0.05)

    # -- what the page did -----------------------------------------------------
    def drain(self) -> None:
        """Move the browser's buffered logs into this object."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                params = message["params"]
                self._requests.append((params["request"]["url"], params.get("documentURL", "")))
        self._console.extend(self.driver.get_log("browser"))

    def requests(self) -> list[str]:
        """Every URL the page asked for since it was opened.

        Requests of the browser's own pages (``chrome://`` documents such as
        the start page, which may still be loading) are not the page's.
        """
        self.drain()
        return [url for url, document in self._requests
                if not document.startswith(("chrome://", "chrome-untrusted://", "devtools://"))]

    def console(self, level: str | None = None) -> list[dict]:
        self.drain()
        return [e for e in self._console if level is None or e["level"] == level]

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.console("SEVERE")]

    # -- pictures ----------------------------------------------------------------
    def screenshot(self, path: str | Path | None = None) -> bytes:
        png = self.driver.get_screenshot_as_png()
        if path:
            Path(path).write_bytes(png)
        return png

    def element_png(self, css: str) -> bytes:
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css).screenshot_as_png


def drawn_pixels(png: bytes, background=(255, 255, 255), tolerance: int = 24) -> int:
    """How many pixels of a PNG differ from the background colour."""
    import numpy as np
    from PIL import Image
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    distance = np.abs(pixels - np.array(background, dtype=np.int16)).sum(axis=2)
    return int((distance > tolerance).sum())


def screenshot(html: str | Path, out: str | Path, width: int = 1400, height: int = 900,
               find: str | None = None) -> Path:
    """Open a map offline in headless Chromium and save a screenshot of the page.

    With ``find``, the name is typed into the map's search box first, so the
    node is selected and its details shown.
    """
    with Browser(width=width, height=height) as b:
        b.open(html)
        if find:
            from selenium.webdriver.common.by import By
            from selenium.webdriver.common.keys import Keys
            b.driver.find_element(By.ID, "q").send_keys(find, Keys.ENTER)
            time.sleep(0.6)
            b.js("htkgMap.fit()")  # every node and name in view, the node still selected
        errors = b.console_errors()
        if errors:
            raise RuntimeError(f"the page logged errors: {errors}")
        outside = [u for u in b.requests() if not u.startswith("file://")]
        if outside:
            raise RuntimeError(f"the page asked the network for: {outside}")
        time.sleep(0.3)
        b.screenshot(out)
    return Path(out)


def browser_or_skip(**options) -> "Browser":
    """A :class:`Browser` for a test fixture; the test is skipped, with the reason,
    when Chromium cannot be had here."""
    import pytest  # deferred: this module also runs as a script, without pytest
    try:
        return Browser(**options)
    except BrowserUnavailable as exc:
        pytest.skip(str(exc))


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="Screenshot a map page in headless Chromium.")
    ap.add_argument("html")
    ap.add_argument("png")
    ap.add_argument("--size", default="1400x900", help="window WIDTHxHEIGHT")
    ap.add_argument("--find", help="select this node (by name or alias) first")
    args = ap.parse_args()
    w, h = (int(x) for x in args.size.lower().split("x"))
    print(screenshot(args.html, args.png, w, h, find=args.find))
