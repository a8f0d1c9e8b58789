"""`htkg app` in real headless Chromium (tests/browser.py), as an analyst would use it:
search for a body and open it, follow a relationship, run a saved query from its
form and download the CSV, open a country page and its map, expand the map, and
reload a deep link to the same view.

The app is a real `htkg app` process over a real embedded store of the hostile
fixture graph, on a free loopback port. Chromium may resolve no host name but
127.0.0.1, and every request a page makes is recorded: after each step there is
no console error, no request to anywhere but the app, and no name has run as
markup. The tests skip only when Chromium cannot be had.
"""
from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
LOCAL_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>"
HOSTILE_PROGRAMME = "<script>window.__pwned=3</script>"


@pytest.fixture(scope="module")
def app(app_store, app_server, tmp_path_factory):
    with app_server(app_store, cache=tmp_path_factory.mktemp("app-cache")) as (url, proc):
        yield url


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    sys.path.insert(0, str(TESTS))
    from browser import browser_or_skip
    b = browser_or_skip(offline=False, flags=(LOCAL_ONLY,))
    try:
        b.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
            "behavior": "allow", "downloadPath": str(downloads)})
        yield b
    finally:
        b.quit()


def by(css: str):
    from selenium.webdriver.common.by import By
    return By.CSS_SELECTOR, css


def visit(browser, url: str) -> None:
    browser.visit(url)
    browser.wait_for("return document.readyState === 'complete' && "
                     "document.documentElement.getAttribute('data-app-ready') === 'true'", 30)


def clean(browser, app: str, expected_errors: int = 0) -> None:
    """No console error (but the status lines of pages that answer 4xx on purpose), no
    request to anywhere but the app, nothing run from a name."""
    errors = [e for e in browser.console_errors()
              if not ("Failed to load resource" in e and "status of 400" in e)]
    assert errors == [], errors
    outside = [u for u in browser.requests()
               if not u.startswith((app, "data:", "about:"))]
    assert outside == [], outside
    assert browser.js("return typeof window.__pwned") == "undefined"


def in_frame(browser, css: str, script: str, wait: float = 30):
    """Wait in the frame ``css`` until ``script`` is truthy, and return its value."""
    frame = browser.driver.find_element(*by(css))
    browser.driver.switch_to.frame(frame)
    try:
        return browser.wait_for(script, wait)
    finally:
        browser.driver.switch_to.default_content()


def map_ready(browser, css: str = "#map-frame") -> list[str]:
    """Wait until the map in the frame is drawn and the page has wired it; its node ids."""
    in_frame(browser, css, "return !!(window.htkgMap && window.htkgMap.state.ready)")
    browser.wait_for(f"return document.querySelector('{css}').dataset.wired === 'true'", 15)
    return in_frame(browser, css, "return htkgMap.nodes.getIds()")


def click_node(browser, node: str, css: str = "#map-frame") -> None:
    """A real click on a node of the map in the frame, where it is drawn."""
    from selenium.webdriver.common.action_chains import ActionChains
    frame = browser.driver.find_element(*by(css))
    browser.js("arguments[0].scrollIntoView({block: 'center'})", frame)
    time.sleep(0.2)
    browser.driver.switch_to.frame(frame)
    try:
        browser.js(f"htkgMap.network.focus('{node}', {{scale: 1.2, animation: false}})")
        # canvasToDOM is relative to the map's own box, which sits right of its side panel.
        at = browser.js(f"var n = htkgMap.network, p = n.canvasToDOM(n.getPositions(['{node}'])"
                        f"['{node}']), box = document.getElementById('network')"
                        f".getBoundingClientRect(); return {{x: box.left + p.x, y: box.top + p.y}}")
    finally:
        browser.driver.switch_to.default_content()
    size = frame.size
    ActionChains(browser.driver).move_to_element_with_offset(
        frame, int(at["x"] - size["width"] / 2), int(at["y"] - size["height"] / 2)).click().perform()


# -- the tasks -----------------------------------------------------------------------------------
def test_search_for_a_body_and_open_it(browser, app):
    visit(browser, app)
    box = browser.driver.find_element(*by("#q"))
    box.send_keys("GLA")
    box.submit()
    browser.wait_for("return !!document.getElementById('matches')")
    assert browser.driver.current_url == app + "search?q=GLA"
    items = browser.js("return Array.from(document.querySelectorAll('#matches li'))"
                       ".map(li => li.textContent.replace(/\\s+/g, ' ').trim())")
    assert items[0].startswith("Gangmasters Licensing Authority Organisation: regulator")
    assert items[1].startswith("Greater London Authority Organisation: public body")
    assert all("matched “GLA”" in i for i in items[:2])
    clean(browser, app)
    browser.driver.find_element(*by("#matches li:first-child a")).click()
    browser.wait_for("return location.pathname === '/entity/gangmasters-licensing-authority'")
    browser.wait_for("return document.documentElement.getAttribute('data-app-ready')")
    assert browser.driver.find_element(*by("h1")).text == "Gangmasters Licensing Authority"
    props = browser.js("return Object.fromEntries(Array.from(document.querySelectorAll("
                       "'table.props tbody tr')).map(r => [r.cells[0].textContent, r.cells[1].textContent]))")
    assert props["kind"] == "regulator" and props["dissolved"] == "2017-04-30"
    assert browser.js("return document.querySelectorAll('#sources li').length") >= 1
    map_ready(browser)
    clean(browser, app)


def test_follow_a_relationship(browser, app):
    visit(browser, app + "entity/gangmasters-licensing-authority")
    group = browser.driver.find_element(*by("#rel-SUCCEEDED_BY-out"))
    row = group.find_element(*by("tbody tr"))
    assert "registry.yaml:102" in row.text          # the relationship's own source
    row.find_element(*by("a")).click()
    browser.wait_for("return location.pathname === "
                     "'/entity/gangmasters-and-labour-abuse-authority'")
    browser.wait_for("return document.documentElement.getAttribute('data-app-ready')")
    assert browser.driver.find_element(*by("h1")).text == "Gangmasters and Labour Abuse Authority"
    back = browser.driver.find_element(*by("#rel-SUCCEEDED_BY-in tbody tr"))
    assert back.find_element(*by("a")).text == "Gangmasters Licensing Authority"
    assert "date: 2017-04-30" in back.text
    clean(browser, app)


def test_run_a_saved_query_from_its_form_and_download_the_csv(browser, app, downloads,
                                                             formula_name):
    visit(browser, app + "queries")
    browser.driver.find_element(*by("#query-list a[href='/queries/country-links']")).click()
    browser.wait_for("return !!document.getElementById('p-country')")
    field = browser.driver.find_element(*by("#p-country"))
    field.send_keys("Nigerai")
    field.submit()
    browser.wait_for("return !!document.getElementById('error')")
    error = browser.driver.find_element(*by("#error")).text
    assert error.startswith("parameter 'country' (country): no country called 'Nigerai'; "
                            "closest: Nigeria (country-ng), Niger (country-ne)")
    assert browser.js("return document.querySelector('#p-country').closest('.field')"
                      ".classList.contains('invalid')")
    clean(browser, app)
    field = browser.driver.find_element(*by("#p-country"))
    field.clear()
    field.send_keys("Nigerian")
    field.submit()
    browser.wait_for("return !!document.getElementById('results-table')")
    assert browser.driver.current_url == app + "queries/country-links/results?country=Nigerian"
    table = browser.js("return Array.from(document.querySelectorAll('#results-table tbody tr'))"
                       ".map(r => Array.from(r.cells).map(c => c.textContent))")
    assert browser.driver.find_element(*by("#row-count")).text == f"{len(table)} rows"
    bodies = [row[0] for row in table]
    assert formula_name in bodies and HOSTILE_NAME in bodies     # shown as written
    for old in downloads.glob("*"):
        old.unlink()
    browser.driver.find_element(*by("#download-csv")).click()
    deadline = time.monotonic() + 30
    while not list(downloads.glob("*.csv")) and time.monotonic() < deadline:
        time.sleep(0.1)
    (path,) = downloads.glob("*.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["body", "body_id"] and len(rows) == len(table) + 1
    assert "'" + formula_name in [r[0] for r in rows[1:]]       # a spreadsheet shows it as text
    assert sorted(r[1] for r in rows[1:]) == sorted(row[1] for row in table)
    # "Map these results": the query's map, in a frame of the page.
    browser.driver.find_element(*by("#map-link")).click()
    ids = map_ready(browser)
    assert {"country-ng", "formula-trust", "hostile-img"} <= set(ids)
    clean(browser, app)


def test_open_a_country_page_and_its_map(browser, app):
    visit(browser, app + "country/Nigeria")
    assert browser.driver.find_element(*by("h1")).text == "Nigeria"
    in_frame(browser, "#report-frame", "return document.readyState === 'complete' && "
                                       "!!document.querySelector('iframe.map-frame')")
    browser.wait_for("return document.getElementById('report-frame').offsetHeight > 1500", 15)
    frame = browser.driver.find_element(*by("#report-frame"))
    browser.driver.switch_to.frame(frame)
    try:
        assert browser.js("return document.querySelector('h1').textContent") == "Nigeria"
        browser.driver.switch_to.frame(browser.driver.find_element(*by("iframe.map-frame")))
        browser.wait_for("return !!(window.htkgMap && window.htkgMap.state.ready)", 30)
        ids = browser.js("return htkgMap.nodes.getIds()")
        assert browser.js("return typeof window.__pwned") == "undefined"
    finally:
        browser.driver.switch_to.default_content()
    assert {"country-ng", "the-salvation-army", "initiative-sosin"} <= set(ids)
    clean(browser, app)
    # The period asked for is in the address, and the report covers it.
    browser.driver.find_element(*by("#from")).send_keys("2023Q4")
    browser.driver.find_element(*by("#from")).submit()
    browser.wait_for("return location.search === '?from=2023Q4&to='")
    browser.wait_for("return document.documentElement.getAttribute('data-app-ready')")
    assert "2023 Q4" in browser.driver.find_element(*by("header.entity")).text
    clean(browser, app)


def test_expand_the_map_and_reload_the_deep_link(browser, app):
    visit(browser, app + "entity/country-ng")
    before = map_ready(browser)
    assert "foreign-and-commonwealth-office" in before and "person-hugo-swire" not in before
    click_node(browser, "foreign-and-commonwealth-office")
    browser.wait_for("var bar = document.getElementById('map-actions'); "
                     "return !bar.hidden && !!document.getElementById('map-expand')", 15)
    assert "Foreign and Commonwealth Office" in browser.driver.find_element(*by("#map-actions")).text
    browser.driver.find_element(*by("#map-expand")).click()
    browser.wait_for("return location.search === '?expand=foreign-and-commonwealth-office'")
    browser.wait_for("return document.documentElement.getAttribute('data-app-ready')")
    after = map_ready(browser)
    assert set(before) < set(after) and "person-hugo-swire" in after
    url = browser.driver.current_url
    assert url == app + "entity/country-ng?expand=foreign-and-commonwealth-office#map"
    clean(browser, app)
    browser.driver.refresh()
    browser.wait_for("return document.documentElement.getAttribute('data-app-ready')")
    assert browser.driver.current_url == url
    assert sorted(map_ready(browser)) == sorted(after)
    clean(browser, app)


def test_a_sorted_table_reloads_in_the_same_order(browser, app):
    visit(browser, app + "queries/top-source-countries/results?limit=20")
    heads = browser.js("return Array.from(document.querySelectorAll('#results-table thead th'))"
                       ".map(th => th.textContent.trim())")
    people = heads.index("people")

    def first_column():
        return browser.js("return Array.from(document.querySelectorAll('#results-table tbody tr'))"
                          ".map(r => r.cells[0].textContent)")
    served = first_column()
    browser.driver.find_elements(*by("#results-table thead th button"))[people].click()
    ascending = first_column()
    assert ascending == list(reversed(served)) or ascending[0] != served[0]
    assert browser.driver.current_url.endswith(f"#sort=results-table%3A{people}%3Aasc")
    url = browser.driver.current_url
    browser.driver.refresh()
    browser.wait_for("return document.documentElement.getAttribute('data-app-ready')")
    assert browser.driver.current_url == url and first_column() == ascending
    assert browser.js("return document.querySelectorAll('#results-table thead th')"
                      f"[{people}].getAttribute('aria-sort')") == "ascending"
    # Pasted into a new tab (a new page load of the same address): the same view.
    browser.visit("about:blank")
    visit(browser, url)
    assert first_column() == ascending
    clean(browser, app)


def test_hostile_names_stay_text(browser, app):
    visit(browser, app + "search?q=" + "%3Cimg%20src%3Dx")
    first = browser.driver.find_element(*by("#matches li a"))
    assert first.text == HOSTILE_NAME
    first.click()
    browser.wait_for("return location.pathname === '/entity/hostile-img'")
    browser.wait_for("return document.documentElement.getAttribute('data-app-ready')")
    assert browser.driver.find_element(*by("h1")).text == HOSTILE_NAME
    assert browser.js("return document.title").startswith(HOSTILE_NAME)
    ids = map_ready(browser)
    assert "hostile-programme" in ids
    # The map writes names itself, as text, from its data block.
    assert in_frame(browser, "#map-frame", "return JSON.parse(document.getElementById("
                    "'htkg-data').textContent).nodes.find(n => n.id === 'hostile-img').name") \
        == HOSTILE_NAME
    assert in_frame(browser, "#map-frame", "return String(typeof window.__pwned)") == "undefined"
    leads = browser.driver.find_element(*by("#rel-LEADS-out tbody tr a")).text
    assert leads == HOSTILE_PROGRAMME
    # Nothing a name holds became an element.
    assert browser.js("return document.querySelectorAll('main img, main script, main [onerror], "
                      "main [onload]').length") == 0
    time.sleep(0.3)
    clean(browser, app)
