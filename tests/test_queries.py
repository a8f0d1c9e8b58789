"""Every saved query against a fixture graph with known answers, through the driver:
on the embedded store, and over a bolt:// URI as if it were Neo4j (`bolt_env`).

The fixture graph is tests/fixtures/query_graph.py; the expected rows are in
tests/fixtures/query_expected.json (rows compared in order where the query has
a final ORDER BY, as a multiset otherwise; lists of plain values inside a cell
are compared as sets, since collect() promises no order).
"""
from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.errors import QueryError, ResolveError
from htkg.graph.store import open_store
from htkg.graph.writers import write_store
from htkg.queries import load_catalogue, run_query
from htkg.queries.params import bind

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "query_expected.json").read_text())["cases"]
FOLDERS = FIXTURES / "queries"


def _graph_module():
    spec = importlib.util.spec_from_file_location("query_graph", FIXTURES / "query_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


query_graph = _graph_module()


@pytest.fixture(scope="session")
def query_store(tmp_path_factory) -> str:
    """An embedded store holding the fixture graph."""
    db = tmp_path_factory.mktemp("query-store")
    write_store(query_graph.fixture_graph(), str(db))
    return str(db)


@pytest.fixture(scope="module")
def bolt_server(tmp_path_factory, serve_store):
    """Overrides conftest's: `htkg serve` in a separate process over the fixture graph,
    so that `bolt_env` points these tests at a store no other test writes to."""
    db = tmp_path_factory.mktemp("query-bolt-store")
    write_store(query_graph.fixture_graph(), str(db))
    with serve_store(db, tmp_path_factory.mktemp("cache")) as info:
        yield info


@pytest.fixture(params=["embedded", "bolt"])
def db_args(request, query_store) -> list[str]:
    """--db for the embedded store, or nothing with NEO4J_URI set to the Bolt server."""
    if request.param == "bolt":
        request.getfixturevalue("bolt_env")
        return []
    return ["--db", query_store]


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def query_json(db_args, name, params, *extra):
    args = ["query", name, *db_args, "--format", "json", *extra]
    for key, value in params.items():
        args += ["-p", f"{key}={value}"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def canonical(value):
    """Lists of plain values sorted (collect() has no order); everything else as is."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        if all(not isinstance(v, (dict, list)) for v in items):
            return sorted(items, key=lambda v: (str(type(v)), str(v)))
        return items
    return value


def same_rows(got, expected, ordered):
    got = [canonical(r) for r in got]
    expected = [canonical(r) for r in expected]
    if ordered:
        return got == expected
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    return sorted(got, key=key) == sorted(expected, key=key)


# -- every saved query, on both code paths --------------------------------------------------------
def test_every_saved_query_has_expected_rows():
    assert {q.name for q in load_catalogue()} <= {c["query"] for c in EXPECTED}


@pytest.mark.parametrize("case", EXPECTED, ids=[c["id"] for c in EXPECTED])
def test_saved_query_gives_the_expected_rows(case, db_args):
    query = load_catalogue().get(case["query"])
    rows = query_json(db_args, case["query"], case["params"])
    assert same_rows(rows, case["rows"], query.ordered), json.dumps(rows, indent=1)


def test_rows_carry_provenance(query_store):
    """Every row of the queries that promise sources has some."""
    with open_store(query_store) as store:
        cat = load_catalogue()
        for name, params in [("country-links", {"country": "NG"}),
                             ("organisation-profile", {"organisation": "Royal Mail"}),
                             ("frontline-organisations", {}), ("actions", {}),
                             ("attendance", {}), ("successors", {}), ("referrals", {})]:
            rows = run_query(store, cat.get(name), params).rows
            assert rows and all(r["sources"] for r in rows), name
        steps = run_query(store, cat.get("connection"),
                          {"from": "GLAA", "to": "Nigeria"}).rows[0]["steps"]
        assert all(s["sources"] for s in steps)


def test_totals_match_the_fixture_figures(query_store):
    """Cross-check against the raw referrals of the fixture, not the JSON file."""
    people: dict[str, int] = {}
    for who, _, iso2, *_, n, _line in query_graph.REFERRALS:
        people[iso2] = people.get(iso2, 0) + n
    rows = query_json(["--db", query_store], "top-source-countries", {"limit": 50})
    assert {r["iso2"]: r["people"] for r in rows} == people


# -- parameter resolution ------------------------------------------------------------------------
def test_country_by_name_code_or_demonym(query_store):
    q = load_catalogue().get("country-links")
    with open_store(query_store) as store:
        for text in ("Nigeria", "NG", "Nigerian", "nga", "country-ng", " nigeria "):
            assert bind(q, {"country": text}, store) == {"country": "country-ng"}, text
        for text in ("Scotland", "GB-SCT", "Scottish"):
            assert bind(q, {"country": text}, store) == {"country": "country-gb-sct"}, text
        assert bind(q, {"country": "UK"}, store) == {"country": "country-gb"}
        with pytest.raises(ResolveError) as err:
            bind(q, {"country": "Nigerai"}, store)
        assert "no country called 'Nigerai'; closest: Nigeria (country-ng)" in str(err.value)
        with pytest.raises(ResolveError, match=r"'Kenyan' is KE, but the graph holds no country-ke"):
            bind(q, {"country": "Kenyan"}, store)


def test_entities_by_id_name_or_alias_and_clear_errors(query_store):
    cat = load_catalogue()
    with open_store(query_store) as store:
        profile = cat.get("organisation-profile")
        for text in ("GLAA", "Gangmasters and Labour Abuse Authority",
                     "gangmasters-and-labour-abuse-authority", "the gangmasters & labour abuse "
                                                               "authority"):
            assert bind(profile, {"organisation": text}, store) == {
                "organisation": "gangmasters-and-labour-abuse-authority"}, text
        with pytest.raises(ResolveError) as err:
            bind(profile, {"organisation": "GLA"}, store)
        assert str(err.value) == (
            "parameter 'organisation' (organisation): 'GLA' could mean several: "
            "Gangmasters Licensing Authority (gangmasters-licensing-authority), "
            "Greater London Authority (greater-london-authority); give the id")
        with pytest.raises(ResolveError) as err:
            bind(profile, {"organisation": "Gangmasters Licencing Authorty"}, store)
        assert "no Organisation called 'Gangmasters Licencing Authorty'; closest: " \
               "Gangmasters Licensing Authority (gangmasters-licensing-authority)" in str(err.value)
        with pytest.raises(ResolveError, match="no Organisation called 'Nigeria'"):
            bind(profile, {"organisation": "Nigeria"}, store)  # a country, not a body
        attendance = cat.get("attendance")
        assert bind(attendance, {"meeting": "2013-07-02", "person": "David Ford MLA"}, store) == {
            "meeting": query_graph.MEETING2, "person": "person-david-ford", "organisation": None}
        with pytest.raises(ResolveError, match=r"no meeting on 2013-03-12; meetings nearest that "
                                               r"date: 2013-03-11 \(meeting-idmg-2013-03-11\)"):
            bind(attendance, {"meeting": "2013-03-12"}, store)
        connection = cat.get("connection")
        assert bind(connection, {"from": "SOCA", "to": "NG"}, store)["to"] == "country-ng"


def test_resolution_errors_through_the_command(db_args):
    result = run("query", "organisation-profile", "-p", "organisation=GLA", *db_args)
    assert result.exit_code == 1
    assert "could mean several" in result.output and "greater-london-authority" in result.output
    result = run("query", "country-links", "-p", "country=Atlantis", *db_args)
    assert result.exit_code == 1 and "no country called 'Atlantis'" in result.output


# -- output formats --------------------------------------------------------------------------------
def test_table_and_csv_output(query_store):
    result = run("query", "successors", "--db", query_store)
    assert result.exit_code == 0, result.output
    assert "Serious" in result.output and "7 rows" in result.output  # cells fold in width
    result = run("query", "connection", "-p", "from=SOCA", "-p", "to=NCA", "--db", query_store)
    assert "-[SUCCEEDED_BY]->" in result.output and "1 row" in result.output
    lines = run("query", "top-source-countries", "-p", "year=2023", "-p", "limit=2", "--db",
                query_store, "--format", "csv").output.splitlines()
    assert lines[0] == ("country,iso2,people,internal_trafficking,responders,rests_on,"
                        "nationalities,quarters,caveat")
    assert lines[1].startswith("United Kingdom,GB,42,true,4,") and len(lines) == 3


@pytest.mark.parametrize("name", ["nation-source-countries", "top-source-countries"])
def test_the_caveat_comes_with_the_figures_in_every_format(query_store, name):
    caveat = load_catalogue().get(name).caveat
    args = ["query", name, "-p", "year=2023", "-p", "quarter=4", "--db", query_store]
    table = run(*args).output
    assert table.startswith(f"Caveat: {caveat}\n") and "rows" in table
    rows = json.loads(run(*args, "--format", "json").output)
    assert rows and all(r["caveat"] == caveat for r in rows)     # still a plain list of rows
    lines = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").output)))
    assert len(lines) == len(rows) and all(r["caveat"] == caveat for r in lines)


def test_a_nation_counts_its_own_responders_and_a_multi_nation_body_once(query_store):
    """British Transport Police (England, Scotland and Wales) is in a row of its own,
    never in full in each nation; UK nationals are marked, and may be left out."""
    rows = query_json(["--db", query_store], "nation-source-countries",
                      {"year": 2023, "quarter": 4, "limit": 10})
    by_nation: dict[str, list] = {}
    for r in rows:
        by_nation.setdefault(r["nation"], []).append(r)
    btp = "England, Scotland, Wales (bodies of these nations only)"
    assert list(by_nation) == ["United Kingdom", "England", "Scotland", "Wales", btp]
    assert sum(r["people"] for r in by_nation[btp]) == 3
    assert all(r["rests_on"] == ["British Transport Police"] for r in by_nation[btp])
    for nation in ("England", "Scotland", "Wales"):
        assert not any("British Transport Police" in r["rests_on"] for r in by_nation[nation])
    assert sum(r["people"] for r in by_nation["Scotland"]) == 10       # Police Scotland, TARA
    assert by_nation["Scotland"][0]["country"] != by_nation["United Kingdom"][0]["country"]
    assert {r["uk_share_percent"] for r in by_nation["Scotland"]} == {14.1}     # 10 of 71
    assert [r["internal_trafficking"] for r in by_nation["United Kingdom"]][:2] == [True, False]
    rows = query_json(["--db", query_store], "nation-source-countries",
                      {"year": 2023, "quarter": 4, "exclude_uk": "true"})
    assert rows and not any(r["internal_trafficking"] for r in rows)
    # top-source-countries -p nation=... uses the same definition: BTP counts in no nation.
    for nation in ("England", "Scotland", "Wales"):
        rows = query_json(["--db", query_store], "top-source-countries", {"nation": nation})
        assert not any("British Transport Police" in r["rests_on"] for r in rows), nation


def test_no_rows_still_names_the_columns(query_store):
    """ArcadeDB sends no column names with an empty result; they come from the query."""
    out = run("query", "top-source-countries", "-p", "nation=NI", "--db", query_store,
              "--format", "csv").output
    assert out == ("country,iso2,people,internal_trafficking,responders,rests_on,nationalities,"
                   "quarters,caveat\n")
    assert "0 rows" in run("query", "connection", "-p", "from=Kalayaan", "-p", "to=NG",
                           "--db", query_store).output


# -- folders of one's own, and read-only runs -----------------------------------------------------
def test_user_query_folder_by_option_and_environment(db_args):
    # A remit that includes Scotland: UK-wide and Great Britain bodies too, never Ofwat
    # (England and Wales only).
    rows = query_json(db_args, "bodies-in-nation", {"nation": "Scottish", "kind": "regulator"},
                      "--queries", FOLDERS / "mine")
    assert rows == [{"organisation": "Gangmasters Licensing Authority", "kind": "regulator"},
                    {"organisation": "Gangmasters and Labour Abuse Authority",
                     "kind": "regulator"},
                    {"organisation": "Ofcom", "kind": "regulator"},
                    {"organisation": "Ofgem", "kind": "regulator"},
                    {"organisation": "Water Industry Commission for Scotland",
                     "kind": "regulator"}]
    result = run("query", "bodies-in-nation", "-p", "nation=Wales", "-p", "kind=ngo",
                 *db_args, "--format", "json", env={"HTKG_QUERIES": str(FOLDERS / "mine")})
    assert json.loads(result.output) == [{"organisation": "BAWSO", "kind": "ngo"},
                                         {"organisation": "Kalayaan", "kind": "ngo"},
                                         {"organisation": "The Salvation Army", "kind": "ngo"}]
    result = run("query", "actions", *db_args, "--queries", FOLDERS / "clash")
    assert result.exit_code == 1 and "saved query 'actions' is also defined" in result.output


def test_a_saved_query_that_writes_is_refused(db_args):
    result = run("query", "sneaky-write", "-p", "name=Changed", *db_args,
                 "--queries", FOLDERS / "writes")
    assert result.exit_code == 1 and "only reads" in result.output
    rows = query_json(db_args, "organisation-profile", {"organisation": "royal-mail"})
    assert any(r["name"] == "name" and r["value"] == "Royal Mail" for r in rows)


def test_run_query_from_the_library(query_store):
    cat = load_catalogue()
    with open_store(query_store) as store:
        result = run_query(store, cat.get("top-source-countries"), {"year": 2023, "quarter": 3})
        assert result.columns[:3] == ["country", "iso2", "people"]
        assert [(r["iso2"], r["people"]) for r in result.rows] == [
            ("GB", 20), ("AL", 18), ("VN", 7), ("NG", 4)]
        with pytest.raises(QueryError, match="has no parameter 'month'"):
            run_query(store, cat.get("top-source-countries"), {"month": 3})
