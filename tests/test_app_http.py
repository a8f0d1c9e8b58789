"""`htkg app` over HTTP, as a client would see it: who may reach it, what bad input
gets, the time limit and the row cap, the headers every response carries.

The app runs as a real `htkg app` process over a real embedded store on a free
loopback port (conftest's `app_serving`, stopped on every path), and is asked
with urllib; nothing is mocked.
"""
from __future__ import annotations

import base64
import csv
import io
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.web.access import access_for

PASSWORD = "correct-horse-battery-staple-42"
# Five-fold on the small fixture graph: some 10^9 rows, far beyond any limit here.
SLOW = ("MATCH (a),(b),(c),(d),(e) WHERE a.name + b.name + c.name + d.name + e.name = "
        "'no such name' RETURN count(*) AS n")
UNCHECKED_SLEEP = "RETURN util.sleep(60000) AS slept"   # a function the engine's limit does not stop


def get(url: str, headers: dict | None = None, method: str = "GET", timeout: float = 60):
    """(status, headers, body) of one request."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        try:
            body = e.read().decode("utf-8")
        except ConnectionResetError:    # a server that refused the request before reading it all
            body = ""
        return e.code, e.headers, body


def _queries(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, cypher in [("slow", SLOW), ("sleepy", UNCHECKED_SLEEP)]:
        (folder / f"{name}.cypher").write_text(
            f"// name: {name}\n// description: runs for ever\n// example: htkg query {name}\n"
            f"{cypher}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def app(app_store, app_server, tmp_path_factory):
    """One app for the module: a 2 s time limit, a row cap of 5, slow queries of its own."""
    folder = _queries(tmp_path_factory.mktemp("app-queries"))
    with app_server(app_store, "--timeout", "2", "--max-rows", "5", "--queries", str(folder),
                     cache=tmp_path_factory.mktemp("app-cache")) as (url, proc):
        yield url, proc


# -- who may reach it ------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.org"])
def test_a_host_beyond_this_machine_is_refused_without_a_password(host, tmp_path):
    started = time.monotonic()
    result = CliRunner().invoke(main, ["app", "--host", host, "--db", str(tmp_path / "none")],
                                env={"HTKG_APP_PASSWORD": ""})
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: --host {host} would let other machines read the "
                                    f"graph, and no password protects it; set HTKG_APP_PASSWORD")
    assert len(result.output.strip().splitlines()) == 1
    assert time.monotonic() - started < 5      # refused before any store opened
    assert not (tmp_path / "none").exists()


def test_a_short_password_is_refused_and_never_printed():
    result = CliRunner().invoke(main, ["app", "--host", "0.0.0.0"],
                                env={"HTKG_APP_PASSWORD": "hunter2"})
    assert result.exit_code == 1 and "too short" in result.output
    assert "hunter2" not in result.output


def test_a_password_lets_the_app_listen_beyond_loopback():
    access = access_for("0.0.0.0", 8765, {"HTKG_APP_PASSWORD": PASSWORD})
    assert not access.loopback and access.password == PASSWORD
    assert PASSWORD not in repr(access)


def test_every_request_must_carry_the_password(hostile_report_store, app_server, tmp_path):
    # A store of its own: the module's app holds app_store (one process opens a store).
    with app_server(hostile_report_store, env={"HTKG_APP_PASSWORD": PASSWORD},
                     cache=tmp_path / "cache") as (url, proc):
        status, headers, body = get(url)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Basic realm=")
        assert "give the password" in body and PASSWORD not in body
        for wrong in ["Bearer nope", "Bearer " + PASSWORD[:-1], "Basic !!!",
                      "Basic " + base64.b64encode(b"htkg:" + PASSWORD.upper().encode()).decode()]:
            status, _, body = get(url + "entity/home-office", {"Authorization": wrong})
            assert status == 401, wrong
        # Static files and maps too.
        assert get(url + "static/app.css")[0] == 401
        assert get(url + "entity/country-ng/map")[0] == 401
        basic = "Basic " + base64.b64encode(f"anyone:{PASSWORD}".encode()).decode()
        status, _, body = get(url + "entity/home-office", {"Authorization": basic})
        assert status == 200 and "<h1 id=\"name\">Home Office</h1>" in body
        assert get(url, {"Authorization": f"Bearer {PASSWORD}"})[0] == 200
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert PASSWORD not in out and PASSWORD not in err


def test_a_request_for_another_host_name_is_refused(app):
    url, _ = app
    status, _, body = get(url, {"Host": "evil.example:8765"})   # DNS rebinding
    assert status == 421 and "serves this machine only" in body
    assert get(url, {"Host": "localhost"})[0] == 200


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("path, status, words", [
    ("entity/home-ofice", 404, "no entity called 'home-ofice'; closest: Home Office (home-office)"),
    ("entity/GLA", 404, "'GLA' could mean several: Gangmasters Licensing Authority"),
    ("queries/country-link", 404, "no saved query 'country-link'; did you mean 'country-links'?"),
    ("queries/country-links/results?country=Nigerai", 400,
     "parameter 'country' (country): no country called 'Nigerai'; closest: Nigeria (country-ng)"),
    ("queries/country-links/results?countyr=Nigeria", 400,
     "query 'country-links' has no parameter 'countyr'; its parameters: country (country, required)"),
    ("queries/country-links/results", 400, "query 'country-links' needs parameter 'country'"),
    ("queries/top-source-countries/results?limit=lots", 400,
     "parameter 'limit' (int): 'lots' is not a whole number"),
    ("queries/top-source-countries/results?limit=99999999999999999999999", 400,
     "beyond the whole numbers a graph stores"),
    ("queries/referrals-by-quarter/results?start=2023Q5", 400,
     "parameter 'start' (quarter): '2023Q5' is not a quarter; write YYYYQn"),
    ("queries/top-source-countries/results?year=2023&year=2022", 400,
     "parameter 'year' is given twice"),
    ("queries/country-links/results.xlsx?country=Nigeria", 400, "not .xlsx"),
    ("country/Nigeria?from=2023Q4&to=2023Q1", 400, "--from 2023Q4 is after --to 2023Q1"),
    ("country/Atlantis", 404, "no country called 'Atlantis'"),
    ("nation/Cornwall", 400, "'Cornwall' is not a UK nation"),
    ("entity/home-office?colour=red", 400, "this page has no parameter 'colour'"),
    ("connection?from=Royal+Mail&to=Nowhere+Land", 400, "parameter 'to' (entity): no entity "
                                                        "called 'Nowhere Land'"),
    ("no/such/page", 404, "No page of this app has this address"),
    ("entity/%ED%A0%80", 404, "no entity called"),
])
def test_bad_input_gets_a_clear_page_with_a_4xx_status(app, path, status, words):
    url, _ = app
    got, headers, body = get(url + path)
    assert got == status, body[-600:]
    assert words in body.replace("&#39;", "'").replace("&#34;", '"'), body[-800:]
    assert headers["Content-Type"].startswith("text/html")
    assert "Traceback" not in body and "File \"" not in body


def test_a_huge_query_string_is_refused_and_the_app_stays_up(app):
    url, _ = app
    status, _, body = get(url + "search?q=" + "x" * 20_000)
    assert status == 414 and "longer than the 8,192 bytes" in body
    status, _, body = get(url + "search?q=" + "x" * 2_000_000)     # beyond what uvicorn reads
    assert status == 400 and "Traceback" not in body
    assert get(url + "search?q=GLA")[0] == 200


def test_only_get_is_served(app):
    url, _ = app
    for method in ("POST", "PUT", "DELETE"):
        status, headers, body = get(url + "entity/home-office", method=method)
        assert status == 405 and headers["Allow"] == "GET, HEAD" and "only reads" in body


# -- limits -----------------------------------------------------------------------------------
def test_a_slow_query_is_cut_at_the_limit_and_the_app_stays_up(app):
    url, proc = app
    answered: dict[str, tuple] = {}

    def meanwhile():
        time.sleep(0.5)
        t = time.monotonic()
        status, _, _ = get(url + "entity/home-office")
        answered["entity"] = (status, time.monotonic() - t)

    other = threading.Thread(target=meanwhile)
    other.start()
    started = time.monotonic()
    status, _, body = get(url + "queries/slow/results")
    took = time.monotonic() - started
    other.join(60)
    assert status == 503 and "stopped at its time limit of 2 s" in body, body[-500:]
    assert 1.5 < took < 8, took
    assert answered["entity"][0] == 200 and answered["entity"][1] < 4, answered
    # A function the engine does not stop: htkg cuts it, and goes on with a new connection.
    started = time.monotonic()
    status, _, body = get(url + "queries/sleepy/results")
    assert status == 503 and "time limit of 2 s" in body
    assert time.monotonic() - started < 8
    for path in ("", "entity/country-ng", "queries/organisations/results?kind=ngo"):
        assert get(url + path)[0] == 200, path
    assert proc.poll() is None


def test_the_row_cap_says_when_it_cut(app):
    url, _ = app
    status, _, body = get(url + "queries/organisations/results")
    assert status == 200
    assert 'id="row-cap">cut at 5 rows; the query returned more.' in body
    assert body.count("<tr>") == 6          # the heading and five rows
    status, headers, text = get(url + "queries/organisations/results.csv")
    assert status == 200 and headers["x-htkg-rows-cut-at"] == "5"
    assert len(list(csv.reader(io.StringIO(text)))) == 6
    status, _, body = get(url + "queries/organisations/results?kind=police_force")
    assert "cut at" not in body


def test_downloads_neutralise_formulas_and_keep_json_exact(app, formula_name):
    url, _ = app
    # Welsh NGOs: BAWSO and the body named like a formula, within the module's cap of 5 rows.
    query = "queries/organisations/results.{}?kind=ngo&nation=Wales"
    status, headers, text = get(url + query.format("csv"))
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"] == 'attachment; filename="htkg-organisations.csv"'
    names = [row[0] for row in csv.reader(io.StringIO(text))]
    assert "'" + formula_name in names and formula_name not in names
    status, headers, text = get(url + query.format("json"))
    assert headers["Content-Type"] == "application/json"
    rows = json.loads(text)
    assert formula_name in [r["organisation"] for r in rows]


def test_a_querys_caveat_travels_with_its_figures(app):
    """As `htkg query` gives it: above the table, and on every row of CSV and JSON."""
    url, _ = app
    from htkg.queries import load_catalogue
    caveat = load_catalogue().get("top-source-countries").caveat
    assert caveat
    status, _, body = get(url + "queries/top-source-countries/results?nation=Scotland")
    assert status == 200 and 'id="caveat"' in body
    assert caveat.split(",")[0] in body.replace("&#39;", "'")
    _, _, text = get(url + "queries/top-source-countries/results.csv?nation=Scotland")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["caveat"] == caveat for r in rows)
    _, _, text = get(url + "queries/top-source-countries/results.json?nation=Scotland")
    assert all(r["caveat"] == caveat for r in json.loads(text))


# -- what every response carries -------------------------------------------------------------------
def test_security_headers_and_policies(app):
    url, _ = app
    _, headers, _ = get(url + "entity/home-office")
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'self'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Server" not in headers
    _, headers, page = get(url + "entity/country-ng/map")
    policy = headers["Content-Security-Policy"]
    assert policy.count("'sha256-") == 2 and "connect-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy and "'self'" not in policy.split("script-src")[1].split(";")[0]
    _, headers, _ = get(url + "country/Nigeria/report.html")
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    _, headers, _ = get(url + "static/app.js")
    assert headers["Content-Type"].startswith(("text/javascript", "application/javascript"))


def test_pages_are_the_same_for_the_same_address(app):
    url, _ = app
    path = "queries/country-links/results?country=Nigerian"
    first, second = get(url + path)[2], get(url + path)[2]
    assert first == second and "id=\"results-table\"" in first and "Nigeria" in first


# -- stopping ------------------------------------------------------------------------------------
@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 0), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_stop_the_app_cleanly(hostile_report_store, app_server, tmp_path, sig,
                                                 code):
    with app_server(hostile_report_store, cache=tmp_path / "cache") as (url, proc):
        assert get(url)[0] == 200
        sent = time.monotonic()
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - sent
    assert proc.returncode == code, err
    assert took < 10, took
    assert "Traceback" not in err, err
    if sig == signal.SIGINT:
        assert err.strip().endswith("htkg app: stopped.")
    # The store is free again at once.
    result = subprocess.run([sys.executable, "-m", "htkg.cli", "stats", "--db",
                             hostile_report_store],
                            capture_output=True, text=True,
                            # its own engine: a background server would outlive the test
                            env={"HTKG_LOCK_WAIT": "0", "HTKG_SERVER": "off",
                                 "PATH": "/usr/bin:/bin"},
                            timeout=300)
    assert result.returncode == 0, result.stderr


def test_the_command_states_the_apps_own_defaults():
    from htkg.commands import app as command
    from htkg.web import DEFAULT_PORT, DEFAULT_TIMEOUT
    from htkg.web.state import MAX_ROWS
    assert (command.DEFAULT_PORT, command.DEFAULT_TIMEOUT, command.DEFAULT_ROWS) == (
        DEFAULT_PORT, DEFAULT_TIMEOUT, MAX_ROWS)
    help_text = " ".join(CliRunner().invoke(main, ["app", "--help"]).output.split())
    assert "[default: 127.0.0.1]" in help_text and "[default: 8765;" in help_text
    assert "[default: 20.0;" in help_text and "[default: 2000;" in help_text


def test_the_connection_finder_draws_and_sources_each_chain(app):
    url, _ = app
    status, _, body = get(url + "connection?from=Royal+Mail&to=HO")
    assert status == 200
    text = body.replace("&lt;", "<").replace("&gt;", ">")
    # The chains the saved query `connection` returns, shortest first, each step sourced.
    assert "3 chains" in text
    assert ("Royal Mail -[MENTIONED_IN ¶4.4]-> Inter-Departmental Ministerial Group on Human "
            "Trafficking, 2013-03-11 <-[ATTENDED chair]- Home Office") in text
    assert "idmg-2013-03-11.txt ¶4.4 (minutes)" in text and "idmg-2013-03-11.txt:8 (minutes)" in text
    assert 'href="/entity/royal-mail"' in text and 'href="/entity/home-office"' in text
    assert 'src="/queries/connection/map?from=Royal+Mail&amp;to=HO"' in body
    status, _, page = get(url + "queries/connection/map?from=Royal+Mail&to=HO")
    assert status == 200 and '"id":"royal-mail"' in page and '"id":"home-office"' in page
    status, _, body = get(url + "connection?from=Kalayaan&to=Nigeria")
    assert status == 200 and "0 chains" in body and "No chain of at most 6 steps" in body


def test_pages_read_without_scripts(app):
    """What a reader needs is in the page as served: no script builds it."""
    url, _ = app
    _, _, body = get(url + "entity/foreign-and-commonwealth-office")
    for words in ("<h1 id=\"name\">Foreign and Commonwealth Office</h1>",
                  'href="/entity/serious-organised-crime-agency"', "fixture/registry.yaml:140",
                  "<noscript>"):
        assert words in body, words
    _, _, body = get(url + "country/Nigeria/report.html")
    assert "<h1>Nigeria</h1>" in body and "<svg class=\"chart\"" in body
