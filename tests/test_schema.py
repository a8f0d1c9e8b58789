"""The schema as data: loading errors name file and line; records are validated."""
from __future__ import annotations

from pathlib import Path

import pytest

from htkg.errors import LoadError, SchemaError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Edge, Node
from htkg.schema.model import load_schema, read_schema

SCHEMAS = Path(__file__).parent / "fixtures" / "schema"


@pytest.mark.parametrize("name, line, words", [
    ("unknown-label.yaml", 7, "unknown label 'Sectr'"),
    ("unknown-type.yaml", 5, "unknown type 'datetime'"),
    ("bad-key.yaml", 7, "key 'year'"),
    ("not-yaml.yaml", 4, "not valid YAML"),
])
def test_schema_errors_name_file_and_line(name, line, words):
    with pytest.raises(SchemaError) as err:
        read_schema(SCHEMAS / name)
    assert str(err.value).startswith(f"{SCHEMAS / name}:{line}: ")
    assert words in str(err.value)


def test_core_vocabulary_is_complete():
    schema = load_schema()
    assert set(schema.labels) >= {"Organisation", "Person", "Country", "Sector", "Meeting",
                                  "Action", "Initiative"}
    assert set(schema.relationships) >= {
        "MEMBER_OF", "ATTENDED", "SENT_APOLOGIES", "OWNS", "AGREED_AT", "OPERATES_IN",
        "REGULATES", "ACTIVE_IN", "REFERRED", "SUCCEEDED_BY", "PART_OF", "WORKS_WITH",
        "MENTIONED_IN"}
    kinds = set(schema.labels["Organisation"].properties["kind"].values)
    assert {"department", "devolved_government", "regulator", "ngo", "company",
            "police_force", "international_body"} <= kinds
    for label in schema.labels.values():
        assert {"id", "name", "aliases", "sources"} <= set(label.properties)
    for rel in schema.relationships.values():
        assert "sources" in rel.properties


def test_ddl_is_one_neo4j5_constraint_per_label():
    schema = load_schema()
    ddl = schema.constraint_statements()
    assert len(ddl) == len(schema.labels)
    assert ("CREATE CONSTRAINT country_id IF NOT EXISTS FOR (n:Country) REQUIRE n.id IS UNIQUE"
            in ddl)


def _org(**props):
    base = {"name": "Body", "kind": "ngo"}
    return Node("Organisation", "body", {**base, **props}, "orgs.yaml:7 (registry)")


@pytest.mark.parametrize("record, words", [
    (_org(kind="charity"), "property 'kind': expected one of"),
    (_org(colour="red"), "has no property 'colour'"),
    (Node("Organisation", "body", {"name": "Body"}, "orgs.yaml:7 (registry)"),
     "missing required property: kind"),
    (Node("Organisation", "Not A Slug", {"name": "B", "kind": "ngo"}, "orgs.yaml:7 (registry)"),
     "expected a slug"),
    (Node("Planet", "mars", {"name": "Mars"}, "orgs.yaml:7 (registry)"), "unknown label 'Planet'"),
    (_org(founded="March 2013"), "expected a date as YYYY-MM-DD"),
])
def test_bad_records_name_their_source(record, words):
    kg = KnowledgeGraph()
    with pytest.raises(LoadError) as err:
        kg.add(record)
    assert str(err.value).startswith("orgs.yaml:7: ")
    assert words in str(err.value)


def test_relationships_are_checked_against_allowed_pairs():
    kg = KnowledgeGraph()
    kg.add(_org())
    kg.add(Node("Sector", "sector-postal", {"name": "Postal"}, "s.yaml:2 (registry)"))
    with pytest.raises(LoadError, match="REGULATES cannot link Sector 'sector-postal' to "
                                        "Organisation 'body'"):
        kg.add(Edge("REGULATES", "sector-postal", "body", {}, "s.yaml:9 (registry)"))
    with pytest.raises(LoadError, match="unknown entity 'nobody'"):
        kg.add(Edge("REGULATES", "nobody", "sector-postal", {}, "s.yaml:9 (registry)"))


def test_merging_unions_aliases_and_sources():
    kg = KnowledgeGraph()
    kg.add(_org(aliases=["B1"]))
    kg.add(Node("Organisation", "body", {"name": "Body", "aliases": ["B2"]}, "more.yaml:3 (registry)"))
    label, props = kg.node("body")
    assert label == "Organisation"
    assert props["aliases"] == ["B1", "B2"]
    assert props["sources"] == ["orgs.yaml:7 (registry)", "more.yaml:3 (registry)"]
    with pytest.raises(LoadError, match="already a Organisation, not a Sector"):
        kg.add(Node("Sector", "body", {"name": "Body"}, "x.yaml:1 (registry)"))


def test_merging_fills_in_and_never_overwrites():
    kg = KnowledgeGraph()
    kg.add(_org(frontline_context="Registry wording", nation=["GB-ENG"]))
    kg.add(Node("Organisation", "body", {"name": "Body", "frontline_contact": True,
                                         "frontline_context": "Minutes wording",
                                         "nation": ["GB-WLS"]}, "m.txt ¶4.4 (minutes)"))
    _, props = kg.node("body")
    assert props["frontline_context"] == "Registry wording"
    assert props["frontline_contact"] is True
    assert props["nation"] == ["GB-ENG", "GB-WLS"]
