"""The bundled registry: complete, cited, unambiguous; bad registry files are refused."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.resolver import normalise
from htkg.loaders.registry import file_records, load_registry, registry_graph

REGISTRY = Path(__file__).parent / "fixtures" / "registry"


def test_every_registry_entry_cites_a_public_source():
    kg = registry_graph()
    uncited = [i for i, _, p in kg.nodes() if not p.get("citation")]
    assert uncited == []


def test_every_fact_has_provenance():
    kg = registry_graph()
    assert all(p["sources"] for _, _, p in kg.nodes())
    assert all(p["sources"] for _, _, _, p in kg.edges())
    _, props = kg.node("royal-mail")
    assert props["sources"][0].startswith("data/registry/organisations.yaml:")
    assert props["sources"][0].endswith("(registry)")


def test_no_name_or_alias_means_two_entities():
    """No name or alias of a registry entry means a second entity. GOV.UK itself gives
    two of its bodies one abbreviation twice; those stay ambiguous (the resolver asks)."""
    seen = defaultdict(set)
    kg = registry_graph()
    for node_id, _, props in kg.nodes():
        for name in [props["name"], *props.get("aliases", [])]:
            seen[normalise(name)].add(node_id)
    clashes = {name: ids for name, ids in seen.items() if len(ids) > 1}
    registry = {i for i, _, p in kg.nodes() if any("(registry)" in s for s in p["sources"])}
    assert {n: ids for n, ids in clashes.items() if ids & registry} == {}
    assert set(clashes) == {"csc", "gpf"}


def test_registry_holds_what_the_minutes_name():
    kg = registry_graph()
    labels, _ = kg.counts()
    assert labels["Country"] == 248 + 1 + 5  # ISO 3166-1 but GB, Kosovo, the UK and its 4 nations
    for body in ["home-office", "attorney-generals-office", "royal-mail", "utility-companies",
                 "acas", "refugee-action", "the-childrens-society", "idmg",
                 "gangmasters-licensing-authority", "scottish-chambers-of-commerce"]:
        assert kg.node(body) is not None, body
    forces = [i for i, _, p in kg.nodes("Organisation") if p["kind"] == "police_force"]
    assert len(forces) == 43 + 8   # the territorial forces of England and Wales, and 8 more
    _, gb_sct = kg.node("country-gb-sct")
    assert (gb_sct["iso2"], gb_sct["subdivision"]) == ("GB", "GB-SCT")


def test_frontline_contact_is_data():
    kg = registry_graph()
    _, mail = kg.node("royal-mail")
    assert mail["frontline_contact"] is True and mail["frontline_context"]
    regulates = {(a, b) for a, b, _, _ in kg.edges("REGULATES")}
    assert ("gangmasters-licensing-authority", "sector-agriculture") in regulates


@pytest.mark.parametrize("name, line, words", [
    ("bad-kind.yaml", 7, "property 'kind': expected one of"),
    ("unknown-target.yaml", 7, "REGULATES refers to unknown entity 'sector-moon-mining'"),
    ("broken-yaml.yaml", None, "not valid YAML"),
])
def test_bad_registry_files_name_file_and_line(name, line, words):
    kg = KnowledgeGraph()
    load_registry(kg, files=[], countries=False)
    with pytest.raises(LoadError) as err:
        nodes, edges = file_records(REGISTRY / name)
        kg.add_all(nodes)
        kg.add_all(edges)
    message = str(err.value)
    assert words in message
    assert name in message
    if line is not None:
        assert f"{name}:{line}: " in message
