"""Reports in real headless Chromium (tests/browser.py): opened from file:// with the
network cut off and every request recorded, drawn, printed to A4 PDF, and inert when
the graph's names are markup. They skip only when Chromium cannot be had."""
from __future__ import annotations

import base64
import re
import sys
import time
from pathlib import Path

import pytest

from htkg.graph.store import open_store

TESTS = Path(__file__).resolve().parent
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>"
HOSTILE_TYPE = "<svg onload=window.__pwned=2>"
A4 = {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True,
      "preferCSSPageSize": True}


@pytest.fixture(scope="module")
def browser():
    sys.path.insert(0, str(TESTS))
    from browser import browser_or_skip
    b = browser_or_skip()
    yield b
    b.quit()


@pytest.fixture(scope="module")
def pages(report_store, hostile_report_store, tmp_path_factory) -> dict[str, Path]:
    from htkg.reports import write_report
    out = tmp_path_factory.mktemp("report-pages")
    made = {}
    with open_store(report_store) as store:
        made["nigeria"] = write_report(store, "country", "Nigeria", out / "ng.html").path
        made["scotland"] = write_report(store, "nation", "Scotland", out / "sct.html").path
        made["chad"] = write_report(store, "country", "Chad", out / "td.html").path
    with open_store(hostile_report_store) as store:
        made["hostile"] = write_report(store, "country", "Nigeria", out / "hostile.html").path
    return made


def _open(browser, path: Path, with_map: bool = True) -> None:
    """Open a report; with a map, wait until the map in its frame says it is drawn."""
    browser.open(path, wait_ready=None)
    browser.wait_for("return document.readyState === 'complete'")
    if with_map:
        frame = browser.driver.find_element("css selector", "iframe.map-frame")
        browser.driver.switch_to.frame(frame)
        try:
            browser.wait_for("return !!(window.htkgMap && window.htkgMap.state.ready)", 30)
        finally:
            browser.driver.switch_to.default_content()


def _clean(browser) -> None:
    assert browser.console_errors() == []
    outside = [u for u in browser.requests() if not u.startswith("file://")]
    assert outside == [], outside


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF has (the page objects Chromium writes)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))


def test_country_report_opens_offline_with_its_charts_drawn(browser, pages):
    _open(browser, pages["nigeria"])
    _clean(browser)
    charts = browser.js("""return Array.from(document.querySelectorAll('svg.chart')).map(s => {
        const r = s.getBoundingClientRect();
        const label = (s.getAttribute('aria-labelledby') || '').split(' ')
            .map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
        return {id: s.id, w: r.width, h: r.height, label: label,
                bars: Array.from(s.querySelectorAll('rect.bar'))
                    .filter(b => b.getBBox().height > 0 && b.getBBox().width > 0).length,
                axes: s.querySelectorAll('text[font-weight=bold]').length};
    });""")
    drawn = {c["id"]: c for c in charts}
    assert {"quarters-chart", "exploitation-chart"} <= set(drawn)
    for chart_id in ("quarters-chart", "exploitation-chart"):
        c = drawn[chart_id]
        assert c["w"] > 300 and c["h"] > 80, c
        assert c["bars"] >= 2 and c["axes"] >= 2, c
        # Labelled by its title and its text alternative.
        assert c["label"].startswith("People referred by") and len(c["label"]) > 80, c
    # A table sits beside each chart, holding the same figures.
    assert browser.js("return Array.from(document.querySelectorAll('#t-quarters tfoot td'))"
                      ".map(td => td.textContent)") == ["Total", "10", "2", "12", "0"]
    # ...and the people the published tables count that no figure includes (none here).
    assert browser.js("return Array.from(document.querySelectorAll('#t-quarters thead th'))"
                      ".map(th => th.textContent)")[-1] == "Published, in no figure"
    # The map in its frame: drawn, and the network it holds.
    frame = browser.driver.find_element("css selector", "iframe.map-frame")
    assert frame.size["height"] > 300
    browser.driver.switch_to.frame(frame)
    try:
        ids = browser.js("return htkgMap.nodes.getIds()")
    finally:
        browser.driver.switch_to.default_content()
    assert {"country-ng", "the-salvation-army", "shell", "initiative-sosin"} <= set(ids)
    _clean(browser)


def test_country_report_prints_on_one_to_six_a4_pages(browser, pages):
    _open(browser, pages["nigeria"])
    pdf = base64.b64decode(browser.driver.execute_cdp_cmd("Page.printToPDF", A4)["data"])
    assert pdf.startswith(b"%PDF")
    assert 1 <= pdf_pages(pdf) <= 6, pdf_pages(pdf)
    # In print the map is the static picture of the same layout, not the frame.
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.js("return [getComputedStyle(document.querySelector('.map-frame'))"
                           ".display, getComputedStyle(document.querySelector('.map-print'))"
                           ".display, document.querySelectorAll('.map-print circle').length]")
    finally:
        browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert shown[0] == "none" and shown[1] == "block" and shown[2] >= 5
    _clean(browser)


def test_nation_report_and_a_country_known_by_name_only(browser, pages):
    _open(browser, pages["scotland"])
    _clean(browser)
    assert browser.js("return document.querySelectorAll('svg.chart rect.bar').length") >= 2
    assert "partial view" in browser.js("return document.querySelector('#summary').textContent")
    _open(browser, pages["chad"], with_map=False)
    _clean(browser)
    text = browser.js("return document.body.innerText")
    assert "The graph knows Chad by name only" in text
    assert browser.js("return document.querySelectorAll('iframe').length") == 0


def test_hostile_names_run_nothing_and_show_as_written(browser, pages):
    _open(browser, pages["hostile"])
    time.sleep(0.3)
    assert browser.js("return typeof window.__pwned") == "undefined"
    frame = browser.driver.find_element("css selector", "iframe.map-frame")
    browser.driver.switch_to.frame(frame)
    try:
        assert browser.js("return typeof window.__pwned") == "undefined"
        # The map draws names itself, from its data block: the name is there as text.
        assert browser.js("return JSON.parse(document.getElementById('htkg-data').textContent)"
                          ".nodes.find(n => n.id === 'hostile-img').name") == HOSTILE_NAME
    finally:
        browser.driver.switch_to.default_content()
    cells = browser.js("return Array.from(document.querySelectorAll('#t-responders td'))"
                       ".map(td => td.textContent)")
    assert HOSTILE_NAME in cells
    types = browser.js("return Array.from(document.querySelectorAll('#t-exploitation td'))"
                       ".map(td => td.textContent)")
    assert HOSTILE_TYPE in types
    labels = browser.js("return Array.from(document.querySelectorAll('#exploitation-chart "
                        "title')).map(t => t.textContent)")
    assert HOSTILE_TYPE in labels
    assert "<script>window.__pwned=3</script>" in browser.js(
        "return document.querySelector('#t-programmes').textContent")
    # Nothing the names hold became an element.
    assert browser.js("return document.querySelectorAll('main img, main script, "
                      "main svg svg, main [onerror], main [onload]').length") == 0
    _clean(browser)
