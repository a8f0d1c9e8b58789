"""`htkg export` and `htkg validate`, and reading RDF back with `htkg build`.

The graph under test is the bundled registry, a fixture registry file with
awkward text, and meetings, attendance, mentions and NRM referrals added as
records (several parallel relationships of one type, facts with two sources),
written to a real embedded store. Exports are read back and compared with
the stored graph: same node ids, labels and properties (lists as sets), same
relationships with their properties and provenance.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from htkg.cli import main
from htkg.exports import rdf
from htkg.loaders import rdf as rdf_graph
from htkg.schema import terms as T
from htkg.exports.read import comparable, read_graph
from htkg.graph.records import Edge, Node
from htkg.graph.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "export"
HTKG = T.VOCAB
MEETING = "meeting-example-group-2014-05-02"
PROV_DERIVED = URIRef(T.DERIVED_FROM)
XSD_DATE, XSD_INTEGER = URIRef(T.XSD_DATE), URIRef(T.XSD_INTEGER)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def referral(org, country, year, quarter, exploitation, nationality, people, line):
    props = {"year": year, "quarter": quarter, "exploitation": exploitation,
             "nationality": nationality, "people": people, "adult": people - 1, "child": 1,
             "age_unknown": 0, "female": people // 2, "male": people - people // 2,
             "gender_other": 0}
    return Edge("REFERRED", org, country, props,
                f"nrm_referrals_ngo_{year}_q{quarter}.csv:{line} (nrm)")


def extra_records() -> list:
    """Meetings, attendance, actions, mentions and referrals, as loaders would give them."""
    minutes = "example-group-2014-05-02.txt"
    return [
        Node("Person", "person-ann-example", {"name": "Ann Example", "honorific": "MP"},
             f"{minutes} ¶0 (minutes)"),
        Node("Meeting", MEETING, {"name": "Example group, 2 May 2014", "date": "2014-05-02",
                                  "group": "Example Group"}, f"{minutes}:1 (minutes)"),
        Node("Action", f"{MEETING}-action-4-1",
             {"name": "Action 4.1", "text": "Home Office to write to\n\"all\" police forces.",
              "item": "4", "item_title": "Referrals"}, f"{minutes} ¶4.1 (minutes)"),
        Edge("ATTENDED", "person-ann-example", MEETING,
             {"capacity": "chair", "remote": False, "organisation_as_written": "Home Office"},
             f"{minutes}:5 (minutes)"),
        Edge("ATTENDED", "person-ann-example", MEETING,
             {"capacity": "official", "on_behalf_of": "Minister for Crime",
              "remote": True}, f"{minutes}:6 (minutes)"),
        Edge("ATTENDED", "home-office", MEETING, {"capacity": "member"},
             f"{minutes}:5 (minutes)"),
        Edge("SENT_APOLOGIES", "royal-mail", MEETING, {"organisation_as_written": "Royal Mail Group"},
             f"{minutes}:9 (minutes)"),
        Edge("OWNS", "home-office", f"{MEETING}-action-4-1", {}, f"{minutes} ¶4.1 (minutes)"),
        Edge("AGREED_AT", f"{MEETING}-action-4-1", MEETING, {}, f"{minutes} ¶4.1 (minutes)"),
        Edge("MEETING_OF", MEETING, "idmg", {}, f"{minutes}:1 (minutes)"),
        Edge("MENTIONED_IN", "country-al", MEETING, {"paragraph": "4.1"},
             f"{minutes} ¶4.1 (minutes)"),
        Edge("MENTIONED_IN", "country-al", MEETING, {"paragraph": "4.2"},
             f"{minutes} ¶4.2 (minutes)"),
        Edge("MENTIONED_IN", "royal-mail", MEETING, {"paragraph": "4.2"},
             f"{minutes} ¶4.2 (minutes)"),
        referral("10-example-trust", "country-al", 2023, 4, "Sexual & Labour", "Albanian Greek",
                 12, 101),
        referral("10-example-trust", "country-gr", 2023, 4, "Sexual & Labour", "Albanian Greek",
                 12, 101),
        referral("10-example-trust", "country-al", 2023, 3, "Labour", "Albanian", 7, 88),
        # the same referral read again from another file: one relationship, two sources
        referral("10-example-trust", "country-al", 2023, 3, "Labour", "Albanian", 7, 12),
        referral("royal-mail", "country-vn", 2022, 2, "Criminal", "Vietnamese", 3, 40),
        # a second source for a node
        Node("Organisation", "example-helpline", {}, f"{minutes} ¶4.2 (minutes)"),
    ]


@pytest.fixture(scope="session")
def fixture_graph():
    import htkg
    kg = htkg.load([FIXTURES / "extra-bodies.yaml"], figures=False).graph
    kg.add_all(extra_records())
    return kg


@pytest.fixture(scope="session")
def export_store(fixture_graph, tmp_path_factory) -> str:
    from htkg.graph.writers import write_store
    db = tmp_path_factory.mktemp("export-store")
    write_store(fixture_graph, str(db))
    return str(db)


@pytest.fixture(scope="session")
def stored(export_store):
    """The graph as the store holds it, read back."""
    with open_store(export_store) as store:
        return read_graph(store)


@pytest.fixture(scope="session")
def exports(export_store, tmp_path_factory) -> dict[str, Path]:
    """One export of the fixture store per format."""
    out = tmp_path_factory.mktemp("exports")
    files = {}
    for fmt, name in [("turtle", "graph.ttl"), ("jsonld", "graph.jsonld"),
                      ("ntriples", "graph.nt"), ("graphml", "graph.graphml"),
                      ("gexf", "graph.gexf"), ("json", "graph.json"),
                      ("neo4j-csv", "neo4j-import")]:
        result = run("export", "--format", fmt, "-o", out / name, "--db", export_store)
        assert result.exit_code == 0, result.output
        files[fmt] = out / name
        files[fmt + ":output"] = result.output
    return files


def test_reading_the_store_gives_the_built_graph(fixture_graph, stored):
    assert comparable(stored) == comparable(fixture_graph)
    edges = [e for e in stored.edges("REFERRED") if e[0] == "10-example-trust"]
    assert len(edges) == 3


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_round_trip_through_htkg_build(fmt, exports, stored, tmp_path):
    db = tmp_path / "again"
    result = run("build", "--no-bundled", exports[fmt], "--db", db)
    assert result.exit_code == 0, result.output
    assert "(rdf)" in result.output
    with open_store(str(db)) as store:
        again = read_graph(store)
    nodes, edges = comparable(again)
    want_nodes, want_edges = comparable(stored)
    assert set(nodes) == set(want_nodes)
    assert nodes == want_nodes
    assert edges == want_edges
    # provenance of a fact read from two files, and of a node seen in two sources
    two = [p for a, b, t, p in again.edges("REFERRED")
           if (a, b, p["quarter"]) == ("10-example-trust", "country-al", 3)]
    assert sorted(two[0]["sources"]) == ["nrm_referrals_ngo_2023_q3.csv:12 (nrm)",
                                         "nrm_referrals_ngo_2023_q3.csv:88 (nrm)"]
    assert len(again.node("example-helpline")[1]["sources"]) == 2


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "ntriples"])
def test_round_trip_in_memory(fmt, fixture_graph, tmp_path):
    path = tmp_path / f"g.{ {'turtle': 'ttl', 'jsonld': 'jsonld', 'ntriples': 'nt'}[fmt]}"
    path.write_text(rdf.dumps(fixture_graph, fmt), encoding="utf-8")
    again = rdf_graph.from_rdflib(rdf_graph.parse_file(path), str(path))
    assert comparable(again) == comparable(fixture_graph)


def test_rdf_terms_literals_and_statements(exports):
    g = rdf_graph.parse_file(exports["turtle"])
    ent = URIRef(T.ENTITY + "royal-mail")
    assert (ent, RDF.type, URIRef(HTKG + "Organisation")) in g
    assert (ent, URIRef(HTKG + "name"), Literal("Royal Mail")) in g
    assert (ent, URIRef(HTKG + "frontlineContact"), Literal(True)) in g
    ng = URIRef(T.ENTITY + "country-al")
    code = g.value(ng, URIRef(HTKG + "iso2"))
    assert str(code) == "AL" and code.datatype == URIRef(T.COUNTRY_CODE)
    founded = g.value(URIRef(T.ENTITY + "10-example-trust"), URIRef(HTKG + "founded"))
    assert founded.datatype == XSD_DATE and str(founded) == "2015-03-26"
    aliases = {str(o) for o in g.objects(URIRef(T.ENTITY + "10-example-trust"),
                                         URIRef(HTKG + "aliases"))}
    assert aliases == {"Ten Trust; TET", "Trust n° 10", "Back\\slash Trust"}
    # a REFERRED relationship: a qualified statement with its data and provenance...
    statements = [s for s in g.subjects(RDF.type, URIRef(HTKG + "ReferredStatement"))
                  if g.value(s, RDF.subject) == URIRef(T.ENTITY + "royal-mail")]
    assert len(statements) == 1
    st = statements[0]
    assert g.value(st, RDF.predicate) == URIRef(HTKG + "referred")
    assert g.value(st, RDF.object) == URIRef(T.ENTITY + "country-vn")
    people = g.value(st, URIRef(HTKG + "people"))
    assert people.datatype == XSD_INTEGER and people.toPython() == 3
    source = g.value(st, PROV_DERIVED)
    assert str(g.value(source, RDFS.label)) == "nrm_referrals_ngo_2022_q2.csv:40 (nrm)"
    assert g.value(source, URIRef(T.SOURCE_LINE)).toPython() == 40
    assert str(g.value(source, URIRef(T.LOADER))) == "nrm"
    # ...and the direct triple for simple queries
    assert (URIRef(T.ENTITY + "royal-mail"), URIRef(HTKG + "referred"),
            URIRef(T.ENTITY + "country-vn")) in g


def test_example_sparql_query(exports):
    """The README's example query, run over the Turtle export."""
    g = rdf_graph.parse_file(exports["turtle"])
    query = """
    PREFIX htkg: <https://w3id.org/htkg/vocab#>
    PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?responder ?country (SUM(?people) AS ?total) (COUNT(DISTINCT ?src) AS ?sources)
    WHERE {
      ?st a htkg:ReferredStatement ;
          rdf:subject ?org ; rdf:object ?c ;
          htkg:year 2023 ; htkg:people ?people ;
          prov:wasDerivedFrom ?src .
      ?org htkg:name ?responder .
      ?c htkg:name ?country .
    }
    GROUP BY ?responder ?country
    ORDER BY DESC(?total) ?country
    """
    rows = [(str(r.responder), str(r.country), int(r.total), int(r.sources))
            for r in g.query(query)]
    assert rows[0][0] == 'The "Ten" Example Trust'
    assert {r[1] for r in rows} == {"Albania", "Greece"}
    albania = next(r for r in rows if r[1] == "Albania")
    # 12 people in Q4; 7 in Q3, that one statement having two sources (joined twice)
    assert albania[3] == 3


def test_vocabulary_alone(tmp_path):
    path = tmp_path / "vocab.ttl"
    result = run("export", "--format", "turtle", "--vocabulary", "-o", path)
    assert result.exit_code == 0, result.output
    assert "vocabulary" in result.output
    g = rdf_graph.parse_file(path)
    from htkg.exports.vocabulary import vocabulary_classes_and_properties
    from htkg.schema.model import load_schema
    terms = vocabulary_classes_and_properties(g)
    assert len(terms) > 40
    for term in terms:
        assert g.value(term, RDFS.label) is not None, f"{term} has no rdfs:label"
        comment = g.value(term, RDFS.comment)
        assert comment is not None and len(str(comment)) > 10, f"{term} has no rdfs:comment"
    schema = load_schema()
    defined = {str(t) for t in terms}
    for label in schema.labels:
        assert HTKG + label in defined
    for rel in schema.relationships:
        prop = URIRef(HTKG + T.camel(rel))
        assert str(prop) in defined
        assert g.value(prop, RDFS.domain) is not None and g.value(prop, RDFS.range) is not None
    for owner in [*schema.labels.values(), *schema.relationships.values()]:
        for name in owner.properties:
            if name != "sources":
                prop = URIRef(HTKG + T.camel(name))
                assert str(prop) in defined, name
                assert g.value(prop, RDFS.range) is not None
    assert g.value(URIRef(HTKG + "iso2"), RDFS.range) == URIRef(T.COUNTRY_CODE)
    assert g.value(URIRef(HTKG + "founded"), RDFS.range) == XSD_DATE
    # the JSON-LD form parses too, and holds the same triples
    jpath = tmp_path / "vocab.jsonld"
    assert run("export", "--vocabulary", "-o", jpath).exit_code == 0
    assert len(rdf_graph.parse_file(jpath)) == len(g)


def test_export_validates(exports):
    result = run("validate", exports["turtle"])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    result = run("validate", exports["jsonld"])
    assert result.exit_code == 0, result.output


def test_broken_export_lists_every_violation(exports, tmp_path):
    text = exports["turtle"].read_text(encoding="utf-8")
    assert '    htkg:name "Example Helpline" ;\n' in text
    text = text.replace('    htkg:name "Example Helpline" ;\n', "")            # required
    text = text.replace('htkg:kind "public_body"', 'htkg:kind "quango"', 1)  # enum
    text = text.replace("htkg:people 3 ;", 'htkg:people "three" ;', 1)        # datatype
    text = text.replace('htkg:founded "2015-03-26"^^xsd:date',
                        'htkg:founded "26 March 2015"^^xsd:date')             # ill-formed date
    text = text.replace("rdf:predicate htkg:referred ;\n    rdf:object entity:country-vn",
                        "rdf:predicate htkg:referred ;\n    rdf:object entity:sector-car-washes")
    broken = tmp_path / "broken.ttl"
    broken.write_text(text, encoding="utf-8")
    result = run("validate", broken)
    assert result.exit_code == 1
    out = result.output
    assert "entity:example-helpline  htkg:name: required, but missing" in out
    assert "htkg:kind: 'quango' is not one of:" in out
    assert "htkg:people: 'three' is not a valid xsd:integer" in out
    assert "entity:10-example-trust  htkg:founded: '26 March 2015' is not a valid xsd:date" in out
    assert ("statement:royal-mail--referred--country-vn--" in out
            and "rdf:object: entity:sector-car-washes is not a htkg:Country" in out)
    assert "does not conform: 5 violations" in out
    # the same file is refused by htkg build, naming the file and the entity
    result = run("build", "--no-bundled", broken, "--db", tmp_path / "db")
    assert result.exit_code == 1
    assert "broken.ttl" in result.output and "entity:" in result.output


def test_graphml_and_gexf_keep_counts_and_properties(exports, stored):
    for fmt, reader in [("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
                        ("gexf", nx.read_gexf)]:
        g = reader(exports[fmt])
        assert g.number_of_nodes() == stored.g.number_of_nodes(), fmt
        assert g.number_of_edges() == stored.g.number_of_edges(), fmt
        trust = g.nodes["10-example-trust"]
        assert trust["category"] == "Organisation"
        assert trust["label"] == 'The "Ten" Example Trust'
        assert trust["founded"] == "2015-03-26"
        assert trust["frontline_contact"] is True
        assert trust["frontline_context"] == stored.node("10-example-trust")[1]["frontline_context"]
        assert set(trust["aliases"].split("; ")) == {"Ten Trust", "TET", "Trust n° 10",
                                                     "Back\\slash Trust"}
        # every node property is there, flattened
        for node_id, label, props in stored.nodes():
            attrs = g.nodes[node_id]
            for k, v in props.items():
                if k == "id" or v in (None, []):
                    continue
                want = "; ".join(map(str, v)) if isinstance(v, list) else v
                assert attrs[k] == want, (fmt, node_id, k)
        referrals = [d for a, b, d in g.edges(data=True)
                     if d["label"] == "REFERRED" and a == "royal-mail"]
        assert len(referrals) == 1
        assert referrals[0]["people"] == 3 and referrals[0]["nationality"] == "Vietnamese"
        assert referrals[0]["sources"] == "nrm_referrals_ngo_2022_q2.csv:40 (nrm)"


def test_node_link_json(exports, stored):
    data = json.loads(exports["json"].read_text(encoding="utf-8"))
    g = nx.node_link_graph(data, edges="links")
    assert g.number_of_nodes() == stored.g.number_of_nodes()
    assert g.number_of_edges() == stored.g.number_of_edges()
    trust = g.nodes["10-example-trust"]
    assert trust["category"] == "Organisation"
    assert sorted(trust["aliases"]) == sorted(stored.node("10-example-trust")[1]["aliases"])
    types = {d["type"] for _, _, d in g.edges(data=True)}
    assert {"REFERRED", "ATTENDED", "MENTIONED_IN"} <= types


def test_neo4j_csv(exports, stored):
    folder = exports["neo4j-csv"]
    output = exports["neo4j-csv:output"]
    assert "neo4j-admin database import full" in output
    assert "--nodes=" in output and "--relationships=" in output
    script = (folder / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script
    assert "--array-delimiter=" in script
    assert "--multiline-fields=true" in script    # frontline_context holds a line break
    with open(folder / "nodes_Organisation.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[:2] == ["id:ID(Organisation)", ":LABEL"]
    assert "aliases:string[]" in header and "frontline_contact:boolean" in header
    # one alias holds ';', so another array delimiter is chosen
    delimiter = script.split("--array-delimiter=")[1].split()[0].strip("'\"")
    assert delimiter != ";"
    trust = next(r for r in rows if r[0] == "10-example-trust")
    cell = dict(zip(header, trust))
    assert set(cell["aliases:string[]"].split(delimiter)) == set(
        stored.node("10-example-trust")[1]["aliases"])
    assert cell["frontline_contact:boolean"] == "true"
    with open(folder / "relationships_REFERRED_Organisation_Country.csv", encoding="utf-8",
              newline="") as f:
        rels = list(csv.reader(f))
    assert rels[0][:4] == [":START_ID(Organisation)", ":END_ID(Country)", ":TYPE", "key:string"]
    assert "people:int" in rels[0] and "sources:string[]" in rels[0]
    assert len(rels) - 1 == len(list(stored.edges("REFERRED")))
    # the relationship key is the one htkg's writer merges on
    vn = next(r for r in rels[1:] if r[0] == "royal-mail")
    assert vn[3] == "2022|2|Criminal|Vietnamese"
    counts = sum(1 for p in folder.glob("*.csv") for _ in open(p, encoding="utf-8")) 
    assert counts > stored.g.number_of_nodes()
    from htkg.schema.model import load_schema
    assert ((folder / "constraints.cypher").read_text().count("CREATE CONSTRAINT")
            == len(load_schema().labels))                                      # a label each


def test_focus_exports_a_neighbourhood(export_store, tmp_path):
    path = tmp_path / "rm.ttl"
    result = run("export", "-o", path, "--focus", "Royal Mail", "--db", export_store)
    assert result.exit_code == 0, result.output
    assert "selection" in result.output
    kg = rdf_graph.from_rdflib(rdf_graph.parse_file(path), str(path))
    ids = set(kg.g.nodes)
    assert "royal-mail" in ids and MEETING in ids and "country-vn" in ids
    assert "sector-postal" in ids
    assert "10-example-trust" not in ids
    # every relationship among them, in full: both mentions of Albania come along only
    # when Albania is in the neighbourhood (it is not)
    assert "country-al" not in ids
    with open_store(export_store) as store:
        full = read_graph(store)
    for a, b, t, p in kg.edges():
        assert a in ids and b in ids
    rm_edges = [e for e in full.edges() if "royal-mail" in e[:2]]
    assert len([e for e in kg.edges() if "royal-mail" in e[:2]]) == len(rm_edges)
    result = run("export", "-o", tmp_path / "x.ttl", "--focus", "Royal Maile",
                 "--db", export_store)
    assert result.exit_code == 1 and "royal-mail" in result.output
    assert not (tmp_path / "x.ttl").exists()


def test_saved_query_exports_what_it_returns(export_store, tmp_path):
    pytest.importorskip("htkg.selection", reason="saved queries for maps are not in yet")
    path = tmp_path / "al.jsonld"
    result = run("export", "-o", path, "--query", "country-links", "-p", "country=Albania",
                 "--db", export_store)
    assert result.exit_code == 0, result.output
    kg = rdf_graph.from_rdflib(rdf_graph.parse_file(path), str(path))
    assert "country-al" in kg.g
    assert run("validate", path).exit_code == 0


def test_failed_export_leaves_no_file(export_store, tmp_path, monkeypatch):
    path = tmp_path / "graph.ttl"
    path.write_text("previous export\n")

    def broken(items, out, **kw):
        out.write("@prefix htkg: <x> .\n" * 100)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(rdf, "write_turtle", broken)
    with pytest.raises(RuntimeError):
        run("export", "-o", path, "--db", export_store)
    assert path.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]
    fresh = tmp_path / "new.ttl"
    with pytest.raises(RuntimeError):
        run("export", "-o", fresh, "--db", export_store)
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_usage_errors(tmp_path, export_store):
    result = run("export", "-o", tmp_path / "graph.xyz", "--db", export_store)
    assert result.exit_code == 2 and "--format" in result.output
    result = run("export", "--vocabulary", "-o", tmp_path / "v.graphml")
    assert result.exit_code == 2 and "RDF" in result.output
    result = run("export", "-o", tmp_path / "g.ttl", "-p", "x=1", "--db", export_store)
    assert result.exit_code == 2 and "--query" in result.output
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    result = run("export", "--format", "neo4j-csv", "-o", busy, "--db", export_store)
    assert result.exit_code == 1 and "not empty" in result.output
    assert (busy / "notes.txt").read_text() == "mine"


def test_hand_written_turtle_with_direct_triples(tmp_path):
    """A file of one's own: direct triples become relationships, the file is the source."""
    db = tmp_path / "hand"
    result = run("build", FIXTURES / "hand-written.ttl", "--db", db, "--no-figures")
    assert result.exit_code == 0, result.output
    assert "without a statement" in result.output
    with open_store(str(db)) as store:
        kg = read_graph(store)
    label, props = kg.node("example-outreach-project")
    assert label == "Organisation" and props["kind"] == "ngo"
    assert props["sources"] == [f"{FIXTURES / 'hand-written.ttl'} (rdf)"]
    edges = [(a, b, t) for a, b, t, p in kg.edges() if a == "example-outreach-project"]
    assert ("example-outreach-project", "country-ro", "ACTIVE_IN") in edges
    assert ("example-outreach-project", "royal-mail", "WORKS_WITH") in edges


def test_rdf_files_that_are_not_graphs(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b\n")
    result = run("build", "--no-bundled", bad, "--db", tmp_path / "db")
    assert result.exit_code == 1 and "bad.ttl:2: not valid turtle" in result.output
    result = run("validate", bad)
    assert result.exit_code == 1 and "bad.ttl:2: not valid turtle" in result.output


def test_export_over_bolt(bolt_env, tmp_path):
    """The Neo4j code path: export from a bolt:// URI."""
    assert run("build", "--no-figures").exit_code == 0
    path = tmp_path / "bolt.nt"
    result = run("export", "-o", path)
    assert result.exit_code == 0, result.output
    kg = rdf_graph.from_rdflib(rdf_graph.parse_file(path), str(path))
    import htkg
    from htkg.graph.succession import annotate
    loaded = htkg.load(figures=False).graph
    annotate(loaded)                 # each body's status, which a build derives as it writes
    assert comparable(kg) == comparable(loaded)


def test_shapes_alone(tmp_path):
    path = tmp_path / "shapes.ttl"
    result = run("export", "--shapes", "-o", path)
    assert result.exit_code == 0, result.output
    g = rdf_graph.parse_file(path)
    sh = "http://www.w3.org/ns/shacl#"
    targets = {str(o) for o in g.objects(None, URIRef(sh + "targetClass"))}
    from htkg.schema.model import load_schema
    schema = load_schema()
    assert {HTKG + label for label in schema.labels} <= targets
    assert {HTKG + T.pascal(rel) + "Statement" for rel in schema.relationships} <= targets
    # required properties have sh:minCount 1; enums sh:in
    required = {str(g.value(ps, URIRef(sh + "path"))) for ps in g.subjects(URIRef(sh + "minCount"),
                                                                            Literal(1))}
    assert {HTKG + "name", HTKG + "kind", HTKG + "people", HTKG + "iso2"} <= required
    assert any(True for _ in g.subjects(URIRef(sh + "in"), None))
