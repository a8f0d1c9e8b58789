"""htkg.selection against the real embedded store: what maps, exports and `show` read.

The store holds the saved-query fixture graph (tests/fixtures/query_graph.py):
parallel REFERRED relationships between the same responder and country (one
per quarter, exploitation and nationality), their quarterly totals, meetings,
and the abbreviation "GLA", which names two bodies. Every count a selection
gives is checked against a direct Cypher count on the same store.
"""
from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.errors import QueryError, ResolveError
from htkg.graph.lookup import Lookup
from htkg.graph.store import open_store
from htkg.graph.writers import write_store
from htkg.maps.subgraph import map_of
from htkg.queries import bind, load_catalogue
from htkg.queries.params import TYPES, anchors
from htkg.selection import around, everything, select

FIXTURES = Path(__file__).parent / "fixtures"
GLA = ("'GLA' could mean several: Gangmasters Licensing Authority "
       "(gangmasters-licensing-authority), Greater London Authority "
       "(greater-london-authority); give the id")
REFERRED_INTO = """\
// name: referred-into
// description: The REFERRED relationships into a country, as graph objects, each many times
// param: country (country, required) the country
// example: htkg map --query referred-into -p country=Albanian --queries DIR
MATCH (o:Organisation)-[r:REFERRED]->(c:Country {id: $country})
MATCH (o)-[again:REFERRED]->(c)
RETURN o, r, c, again
"""


def _query_graph():
    spec = importlib.util.spec_from_file_location("query_graph", FIXTURES / "query_graph.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.fixture_graph()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("selection-store")
    write_store(_query_graph(), str(path))
    return str(path)


@pytest.fixture
def store(db):
    """The store, open for one test (an embedded store is locked while open, and
    the tests that run commands on it need it closed)."""
    with open_store(db) as s:
        yield s


@pytest.fixture(scope="module")
def queries(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("selection-queries")
    (folder / "referred-into.cypher").write_text(REFERRED_INTO)
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def stored_among(store, ids, *, drawn=False) -> dict[str, dict]:
    """Element id -> properties of every stored relationship among ``ids``
    (without the quarterly totals, which a map does not draw, if ``drawn``)."""
    rows = store.read("MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids "
                      + ("AND type(r) <> 'REFERRED_QUARTER' " if drawn else "")
                      + "RETURN elementId(r) AS e, properties(r) AS props", {"ids": sorted(ids)})
    return {r["e"]: r["props"] for r in rows.rows}


def cypher_count(store, query: str, **params) -> int:
    return store.read(query, params).rows[0]["n"]


def drawn_count(sel) -> int:
    return sum(d["count"] for _, _, d in map_of(sel).g.edges(data=True))


# -- a focus --------------------------------------------------------------------------
def test_focus_selects_every_stored_relationship_in_full(store):
    sel = select(store, focus="Albania", depth=2)
    assert sel.focus == "country-al" and sel.title == "Albania and its neighbours to depth 2"
    one_hop = {r["id"] for r in store.read(
        "MATCH (:Country {id: 'country-al'})--(m) RETURN DISTINCT m.id AS id").rows}
    two_hops = {r["id"] for r in store.read(
        "MATCH (n)--(m) WHERE n.id IN $ids RETURN DISTINCT m.id AS id",
        {"ids": sorted(one_hop)}).rows}
    assert set(sel.nodes) == {"country-al"} | one_hop | two_hops
    stored = stored_among(store, sel.nodes)
    assert len(sel.relationships) == len(stored) == cypher_count(
        store, "MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids RETURN count(r) AS n",
        ids=sorted(sel.nodes))
    # one per stored relationship, each with every stored property (``key`` and sources too)
    assert Counter(r.element_id for r in sel.relationships) == Counter(list(stored))
    assert all(r.props == stored[r.element_id] for r in sel.relationships)
    parallel = Counter((r.a, r.b, r.type) for r in sel.relationships)
    assert parallel[("immigration-enforcement", "country-al", "REFERRED")] > 1
    assert parallel[("immigration-enforcement", "country-al", "REFERRED_QUARTER")] >= 1
    node = store.read("MATCH (n {id: 'country-al'}) RETURN properties(n) AS p").rows[0]["p"]
    assert sel.nodes["country-al"] == ("Country", node)


def test_focus_map_merges_parallel_relationships(store):
    sel = select(store, focus="Albania", depth=2)
    mg = map_of(sel)
    drawn = stored_among(store, sel.nodes, drawn=True)
    assert drawn_count(sel) == len(drawn) < len(sel.relationships)
    assert mg.g.number_of_edges() < len(drawn)  # merged
    edge = mg.g.edges["immigration-enforcement", "country-al", "REFERRED"]
    referred = store.read("MATCH ({id: 'immigration-enforcement'})-[r:REFERRED]->"
                          "({id: 'country-al'}) RETURN r.people AS people").rows
    assert edge["count"] == len(referred) > 1
    assert edge["people"] == sum(r["people"] for r in referred)
    assert not [k for _, _, k in mg.g.edges(keys=True) if k == "REFERRED_QUARTER"]


def test_focus_export_holds_exactly_the_selection(db, tmp_path):
    with open_store(db) as store:
        sel = select(store, focus="Albania", depth=2)
    out = tmp_path / "al.json"
    result = run("export", "--focus", "Albania", "--depth", "2", "--format", "json",
                 "-o", out, "--db", db)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {n["id"] for n in data["nodes"]} == set(sel.nodes)
    assert len(data["links"]) == len(sel.relationships)

    def shape(a, b, rel_type, props):
        kept = {k: v for k, v in props.items() if k != "key" and v is not None}
        return a, b, rel_type, json.dumps(kept, sort_keys=True)
    exported = Counter(shape(link["source"], link["target"], link["type"],
                             {k: v for k, v in link.items()
                              if k not in ("source", "target", "type", "key")})
                       for link in data["links"])
    assert exported == Counter(shape(r.a, r.b, r.type, r.props) for r in sel.relationships)


# -- a saved query ----------------------------------------------------------------------
def test_saved_query_selects_each_returned_relationship_once(store, queries):
    sel = select(store, query="referred-into", params={"country": "Albanian"},
                 queries_dirs=[queries])
    assert sel.anchors == ["country-al"] and sel.focus == "country-al"
    assert sel.title == "Saved query referred-into (country=Albanian)"
    rows = store.read("MATCH (o:Organisation)-[r:REFERRED]->(:Country {id: 'country-al'}) "
                      "RETURN elementId(r) AS e, properties(r) AS props, o.id AS o").rows
    assert len(rows) > 2
    # every row of the query repeats relationships; the selection holds each once, in full
    assert Counter(r.element_id for r in sel.relationships) == Counter(r["e"] for r in rows)
    assert {r.element_id: r.props for r in sel.relationships} == {r["e"]: r["props"] for r in rows}
    assert set(sel.nodes) == {"country-al"} | {r["o"] for r in rows}
    assert drawn_count(sel) == len(rows) == cypher_count(
        store, "MATCH (:Organisation)-[r:REFERRED]->(:Country {id: 'country-al'}) "
               "RETURN count(r) AS n")


def test_query_of_values_selects_the_entities_they_name(store):
    sel = select(store, query="connection", params={"from": "SOCA", "to": "NCA"})
    assert {"serious-organised-crime-agency", "national-crime-agency"} <= set(sel.nodes)
    assert len(sel.relationships) == len(stored_among(store, sel.nodes))
    # Said for a reader (issue 18): what is shown, not how the query's rows were read.
    assert any(n.startswith(f"Shows the {len(sel.nodes)} organisations, countries and others "
                            "named in the answer") for n in sel.notes)
    assert not any("values" in n or "nodes" in n for n in sel.notes)


# -- the overview and the whole graph -----------------------------------------------------
def test_overview_leaves_out_lone_countries_and_counts_them(store):
    """The overview leaves out the official geography's areas, then the countries left
    with no relationship; it says how many of each."""
    sel = select(store)
    areas = cypher_count(store, "MATCH (n:Area) RETURN count(n) AS n")
    lone = cypher_count(store, "MATCH (n:Country) WHERE NOT EXISTS { MATCH (n)--(m) "
                               "WHERE NOT 'Area' IN labels(m) } RETURN count(n) AS n")
    assert lone > 0 and areas > 0
    assert f"the official geography is left out: {areas} areas" in sel.notes[0]
    assert any(f"{lone} countries with no link to anything here are not shown" in n
               for n in sel.notes)
    # published NRM cells in no relationship: figures to reconcile with, not drawn
    left = cypher_count(store, "MATCH (n:Unattributed) RETURN count(n) AS n")
    assert left > 0 and any(n.startswith(f"{left} published NRM cells whose people are in no "
                                         f"relationship") for n in sel.notes)
    assert len(sel.nodes) == cypher_count(store, "MATCH (n) RETURN count(n) AS n") - lone - areas \
        - left
    assert not any(e.label in ("Area", "Unattributed") for e in sel.nodes.values())
    no_area = "WHERE NOT 'Area' IN labels(a) AND NOT 'Area' IN labels(b)"
    assert len(sel.relationships) == cypher_count(
        store, f"MATCH (a)-[r]->(b) {no_area} RETURN count(r) AS n")
    assert drawn_count(sel) == cypher_count(
        store, f"MATCH (a)-[r]->(b) {no_area} AND type(r) <> 'REFERRED_QUARTER' "
               f"RETURN count(r) AS n")
    whole = everything(store)
    assert len(whole.nodes) == len(sel.nodes) + lone + areas + left and whole.notes == []


def test_filters_and_limits_are_checked(store, monkeypatch):
    from htkg import selection
    sel = select(store, kinds=["regulator"])
    assert {e.props["kind"] for e in sel.nodes.values()} == {"regulator"}
    assert sel.title == "Overview of the graph: regulator"
    with pytest.raises(QueryError, match="give --focus or --query, not both"):
        select(store, focus="Albania", query="connection")
    monkeypatch.setattr(selection, "MAX_NODES", 3)
    with pytest.raises(QueryError, match="more than the 3 a map can show"):
        select(store, focus="Albania", depth=2)


# -- one resolver per open store -----------------------------------------------------------
def test_show_focus_and_parameters_share_the_stores_resolver(store):
    lookup = Lookup.of(store)
    assert Lookup.of(store) is lookup
    with pytest.raises(ResolveError) as focus_error:
        select(store, focus="GLA")
    resolver = lookup.resolver
    with pytest.raises(ResolveError) as show_error:
        around(store, "GLA")
    profile = load_catalogue().get("organisation-profile")
    with pytest.raises(ResolveError) as param_error:
        bind(profile, {"organisation": "GLA"}, store)
    assert str(focus_error.value) == str(show_error.value) == GLA
    assert str(param_error.value) == f"parameter 'organisation' (organisation): {GLA}"
    assert Lookup.of(store).resolver is resolver  # read once, for all three
    sel = around(store, "GLAA")
    assert sel.focus == "gangmasters-and-labour-abuse-authority"
    assert len(sel.relationships) == cypher_count(
        store, "MATCH ({id: $id})-[r]-() RETURN count(r) AS n", id=sel.focus)


def test_ambiguous_name_gives_the_same_error_in_show_map_and_export(db, tmp_path):
    errors = []
    for args in (["show", "GLA"], ["map", "--focus", "GLA", "-o", tmp_path / "m.html"],
                 ["export", "--focus", "GLA", "--format", "json", "-o", tmp_path / "e.json"]):
        result = run(*args, "--db", db)
        assert result.exit_code == 1, result.output
        errors.append(result.output.strip())
    assert errors == [f"Error: {GLA}"] * 3
    assert not list(tmp_path.iterdir())


def test_entity_parameter_types_are_declared_once():
    named = {name: t.label for name, t in TYPES.items() if t.entity}
    assert named == {"entity": None, "organisation": "Organisation", "person": "Person",
                     "sector": "Sector", "meeting": "Meeting", "country": "Country"}
    assert all(t.static != t.entity for t in TYPES.values())
    query = load_catalogue().get("attendance")
    assert anchors(query, {"meeting": "m-1", "person": None, "organisation": "o-1"}) == [
        "m-1", "o-1"]
