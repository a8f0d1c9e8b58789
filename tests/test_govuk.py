"""GOV.UK's organisations (issue 13.6): the loader, and one node per body with the registry.

The bundled dump (data/reference/govuk) loads with the registry; a registry entry that
names a GOV.UK slug extends GOV.UK's record of the body, so the body is one node, named
as GOV.UK names it, with the registry's remit, sectors and frontline facts. Where the two
differ the build summary says so. Pages of the API load too (tests/fixtures/govuk).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import cypher_json, run  # noqa: E402  (tests/hostile.py)

from htkg.loaders import govuk  # noqa: E402
from htkg.loaders.base import Source  # noqa: E402
from htkg.loaders.registry import registry_graph  # noqa: E402

FIX = Path(__file__).parent / "fixtures"
PAGE = FIX / "govuk" / "organisations-page-1.json"
DUMP = "govuk_organisations_2026-02-02.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[str, str]:
    """(store, build output) of the bundled registry and GOV.UK organisations, no figures."""
    db = tmp_path_factory.mktemp("govuk-store") / "store"
    result = run("build", "--db", db, "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    return str(db), result.output


def node(db, entity_id: str) -> dict:
    rows = cypher_json(db, "MATCH (n {id: $id}) RETURN properties(n) AS p", "-p", f"id={entity_id}")
    assert len(rows) == 1, entity_id
    return rows[0]["p"]


# -- recognising and reading ----------------------------------------------------------------------
def test_recognises_the_saved_list_and_a_page_and_nothing_else(tmp_path):
    assert govuk.recognises(Source(govuk.bundled_files()[0]))       # the dump, as .json.xz
    assert govuk.recognises(Source(PAGE))
    other = tmp_path / "graph.json"
    other.write_text(json.dumps({"nodes": [{"id": "home-office"}], "relationships": []}))
    assert not govuk.recognises(Source(other))                      # htkg's own JSON export
    assert not govuk.recognises(Source(FIX / "registry" / "extra-bodies.yaml"))


def test_a_page_loads_with_its_closed_body_and_says_the_next_page_is_missing(tmp_path):
    db = tmp_path / "store"
    result = run("build", PAGE, "--no-bundled", "--db", db, "--no-map")
    assert result.exit_code == 0, result.output
    assert ("a page of the GOV.UK Organisations API: the next page "
            "(https://www.gov.uk/api/organisations?page=2) is not in this file") in result.output
    closed = node(db, "example-closed-agency")
    assert closed["dissolved"] == "2019-03-31" and closed["kind"] == "agency"
    assert closed["status"] == "dissolved 2019-03-31; succeeded by Border Force"
    rows = cypher_json(db, "MATCH (a {id: 'example-closed-agency'})-[r:SUCCEEDED_BY]->(b) "
                           "RETURN b.id AS b, r.date AS date, r.sources AS s")
    assert rows == [{"b": "border-force", "date": "2019-03-31",
                     "s": ["organisations-page-1.json#example-closed-agency (govuk)"]}]
    parents = cypher_json(db, "MATCH (a)-[:PART_OF]->(b) RETURN a.id AS a, b.id AS b ORDER BY a")
    assert parents == [{"a": "border-force", "b": "home-office"},
                       {"a": "example-closed-agency", "b": "home-office"},
                       {"a": "gangmasters-and-labour-abuse-authority", "b": "home-office"}]


def test_an_entry_that_extends_a_govuk_body_needs_the_govuk_file(tmp_path):
    own = tmp_path / "own-bodies.yaml"
    own.write_text("label: Organisation\nentries:\n  - id: my-office\n    govuk_slug: my-office\n"
                   "    nation: UK\n    citation: https://example.org\n", encoding="utf-8")
    result = run("build", own, "--no-bundled", "--db", tmp_path / "store", "--no-map")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {own}:3: Organisation 'my-office' is missing required properties: name, kind; "
        f"it leaves them to GOV.UK's record 'my-office' (the GOV.UK organisations file), which "
        f"no file loaded gave")


# -- one node per body, GOV.UK's name and format shown, every fact cited --------------------------
def test_a_body_in_govuk_and_the_registry_is_one_node():
    kg = registry_graph()
    by_slug: dict[str, list[str]] = {}
    for node_id, _, props in kg.nodes("Organisation"):
        if props.get("govuk_slug"):
            by_slug.setdefault(props["govuk_slug"], []).append(node_id)
    assert {s: ids for s, ids in by_slug.items() if len(ids) > 1} == {}
    for slug, (node_id,) in by_slug.items():
        assert slug == node_id or kg.node(slug) is None, (slug, node_id)
    names = [p["name"] for _, _, p in kg.nodes("Organisation")]
    for name in ["Gangmasters and Labour Abuse Authority", "National Crime Agency", "Home Office",
                 "The Scottish Government", "Foreign, Commonwealth & Development Office"]:
        assert names.count(name) == 1, name
    assert len(by_slug) >= 45 and kg.counts()[0]["Organisation"] > 700


def test_govuk_names_formats_and_parents_are_shown(built):
    db, _ = built
    ofwat = node(db, "ofwat")
    assert (ofwat["name"], ofwat["govuk_format"], ofwat["kind"]) == (
        "The Water Services Regulation Authority", "Non-ministerial department", "regulator")
    assert {"Ofwat", "the-water-services-regulation-authority"} <= set(ofwat["aliases"])
    assert ofwat["govuk_url"] == \
        "https://www.gov.uk/government/organisations/the-water-services-regulation-authority"
    assert ofwat["nation"] == ["GB-ENG", "GB-WLS"]             # what the registry adds
    scotland = node(db, "scottish-government")
    assert (scotland["name"], scotland["kind"]) == ("The Scottish Government", "devolved_government")
    glaa = cypher_json(db, "MATCH (a {id: 'gangmasters-and-labour-abuse-authority'})-[r:PART_OF]->(b) "
                           "RETURN b.name AS parent, r.sources AS sources")
    assert glaa == [{"parent": "Home Office",
                     "sources": [f"{DUMP}#gangmasters-and-labour-abuse-authority (govuk)"]}]
    home = node(db, "home-office")
    assert f"{DUMP}#home-office (govuk)" in home["sources"]
    assert any(s.startswith("data/registry/organisations.yaml:") for s in home["sources"])


def test_bodies_govuk_still_lists_as_open_are_not_successions(built):
    """GOV.UK says the Northern Ireland Executive 'supersedes' the PSNI, whose pages moved
    off GOV.UK; the PSNI exists, so no succession is recorded."""
    db, out = built
    assert node(db, "police-service-of-northern-ireland")["status"] == "current"
    assert cypher_json(db, "MATCH (a {id: 'police-service-of-northern-ireland'})"
                           "-[:SUCCEEDED_BY]->(b) RETURN b.id AS b") == []
    assert ("28 'superseded' links name bodies GOV.UK still lists as open (their pages moved "
            "off GOV.UK), so they are not successions and are left out") in out


def test_govuk_successions_join_the_registry_s_bodies(built):
    db, _ = built
    rows = cypher_json(db, "MATCH (a {id: 'department-for-business-energy-and-industrial-strategy'})"
                           "-[r:SUCCEEDED_BY]->(b) RETURN b.id AS b, r.date AS date, "
                           "r.sources AS sources ORDER BY b")
    assert [(r["b"], r["date"]) for r in rows] == [
        ("department-for-business-and-trade", "2023-02-07"),
        ("department-for-energy-security-and-net-zero", "2023-02-07"),
        ("department-for-science-innovation-and-technology", "2023-02-07")]
    dsit = rows[2]["sources"]          # the registry's dated link and GOV.UK's record, both
    assert any("organisations.yaml" in s for s in dsit)
    assert f"{DUMP}#department-for-science-innovation-and-technology (govuk)" in dsit


# -- conflicts in the build summary ---------------------------------------------------------------
def test_the_build_summary_lists_where_govuk_and_the_registry_differ(built):
    _, out = built
    for line in [
        "National Crime Agency (national-crime-agency): kind law_enforcement in the registry, "
        "which is shown; GOV.UK's format 'Non-ministerial department' would make it department",
        "Department of Justice (Northern Ireland) (department-of-justice-northern-ireland): kind "
        "department in the registry, which is shown; GOV.UK's format 'Other' would make it "
        "public_body",
    ]:
        assert line in out, line


def test_a_registry_file_that_names_a_body_otherwise_is_reported(tmp_path):
    own = tmp_path / "own-bodies.yaml"
    own.write_text("label: Organisation\nentries:\n  - id: border-force\n"
                   "    name: UK Border Force Command\n    kind: law_enforcement\n"
                   "    citation: https://example.org\n    part_of: national-crime-agency\n",
                   encoding="utf-8")
    result = run("build", own, "--db", tmp_path / "store", "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    assert ("Border Force (border-force): this file names it 'UK Border Force Command', which "
            "is an alias; 'Border Force', loaded first, is shown") in result.output
    assert ("Border Force (border-force): part of national-crime-agency in this file, of "
            "home-office as loaded; both are kept") in result.output


def test_govuk_notes_what_a_registry_loaded_before_it_says_otherwise(tmp_path):
    """A page of the API read after a registry file of one's own (--no-bundled): GOV.UK's
    record is compared with the entry, and the entry's name, loaded first, is shown."""
    own = tmp_path / "own-bodies.yaml"
    own.write_text("label: Organisation\nentries:\n  - id: border-force\n"
                   "    name: UK Border Force Command\n    kind: law_enforcement\n"
                   "    govuk_slug: border-force\n    citation: https://example.org\n",
                   encoding="utf-8")
    result = run("build", own, PAGE, "--no-bundled", "--db", tmp_path / "store", "--no-map")
    assert result.exit_code == 0, result.output
    assert ("Border Force (border-force): the registry names it 'UK Border Force Command', "
            "GOV.UK 'Border Force'; 'UK Border Force Command' is shown and GOV.UK's name is an "
            "alias") in result.output
    assert ("Border Force (border-force): kind law_enforcement in the registry, which is "
            "shown; GOV.UK's format 'Sub organisation' would make it agency") in result.output


def test_registry_entries_keep_only_what_govuk_lacks():
    """An entry for a body in the bundled GOV.UK file gives no name, no parent and not
    GOV.UK's abbreviation: GOV.UK gives those."""
    import lzma
    from htkg.loaders.registry import REGISTRY_DIR
    from htkg.yamlfile import parse_yaml
    records = {r["details"]["slug"]: r for r in json.loads(
        lzma.decompress(govuk.bundled_files()[0].read_bytes()))}
    extended = 0
    for path in sorted(REGISTRY_DIR.glob("*.yaml")):
        for entry in parse_yaml(path.read_text(encoding="utf-8"), str(path)) or []:
            record = records.get(entry.get("govuk_slug"))
            if record is None:
                continue
            extended += 1
            assert "name" not in entry and "part_of" not in entry, entry["id"]
            # A written form GOV.UK lacks stays ("MoJ" beside GOV.UK's "MOJ": minutes match
            # short abbreviations in the case written).
            assert record["details"]["abbreviation"] not in entry.get("aliases", []), entry["id"]
    assert extended >= 35
