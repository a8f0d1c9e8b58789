"""The official geography: ONS police force areas and districts, mySociety's councils.

First the loader on small files of our own (tests/fixtures/geography: real rows of
the bundled files), read into a graph of the registry; then the bundled geography as
every build loads it, checked against the bundled CSVs themselves (expected links are
computed from the files, never written in by hand).
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import pytest

import htkg
from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.resolver import Resolver
from htkg.loaders import geography, registry, route
from htkg.loaders.base import Source
from htkg.loaders.registry import load_registry
from htkg.pipeline.load import REFERENCE, Context, merge
from htkg.textfile import read_utf8

FIX = Path(__file__).parent / "fixtures" / "geography"
PFAS = FIX / "pfa19_names_codes_uk.csv"
COUNTRIES = FIX / "lad19_country19_uk.csv"
LAD_PFA = FIX / "lad19_csp19_pfa19_england_wales.csv"
COUNCILS = FIX / "uk_local_authorities_mysociety.csv"
BUNDLED = REFERENCE / "geography"


def load_files(*paths: Path, registry_files: tuple[Path, ...] = ()) -> tuple[KnowledgeGraph, list]:
    """The registry (and registry files of one's own), then each geography file in the
    order given, as a build merges them."""
    kg = KnowledgeGraph()
    load_registry(kg)
    ctx = Context(kg)
    for path in registry_files:
        merge(kg, registry, Source(path), registry.read(Source(path), ctx))
    reports = []
    for path in paths:
        source = Source(path)
        assert route(source) is geography, path
        reports.append(merge(kg, geography, source, geography.read(source, ctx)))
    return kg, reports


def links(kg: KnowledgeGraph, rel: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for a, b, _, _ in kg.edges(rel):
        out[a].add(b)
    return out


def bundled_rows(name: str) -> list[dict]:
    text = read_utf8(BUNDLED / f"{name}.xz", name, "CSV", "")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- the loader, on small files -----------------------------------------------------------
@pytest.fixture(scope="module")
def small():
    return load_files(PFAS, COUNTRIES, LAD_PFA, COUNCILS)


def test_each_kind_of_file_is_recognised_and_ranked():
    ranks = [geography.rank(Source(p)) for p in (PFAS, COUNTRIES, LAD_PFA, COUNCILS)]
    assert ranks == sorted(ranks) and len(set(ranks)) == 4
    for other in [Path(__file__).parent / "fixtures" / "nrm" / "good" /
                  "nrm_referrals_ngo_2023_q4.csv"]:
        assert not geography.recognises(Source(other))


def test_a_build_loads_the_files_in_rank_order_whatever_order_they_come_in(tmp_path):
    result = htkg.load([COUNCILS, LAD_PFA, COUNTRIES, PFAS], bundled=False)
    names = [Path(f.path).name for f in result.files]
    assert names == [PFAS.name, COUNTRIES.name, LAD_PFA.name, COUNCILS.name]


def test_police_force_areas_are_served_by_their_force_with_its_nation(small):
    kg, reports = small
    serves = links(kg, "SERVES")
    expected = {"cumbria-constabulary": "area-e23000002", "kent-police": "area-e23000032",
                "dorset-police": "area-e23000039", "police-scotland": "area-s23000009",
                "police-service-of-northern-ireland": "area-police-force-area-northern-ireland"}
    for force, area in expected.items():
        assert serves[force] == {area}, force
        _, props = kg.node(force)
        # No nation is typed for a territorial force: it comes from its area's GSS code.
        assert props["nation"] == kg.node(area)[1]["nation"]
        assert any(s.endswith("(geography)") for s in props["sources"])
    _, ni = kg.node("area-police-force-area-northern-ireland")
    assert "gss" not in ni and ni["nation"] == ["GB-NIR"]      # ONS gives a placeholder code
    _, kent = kg.node("area-e23000032")
    assert (kent["name"], kent["gss"], kent["kind"]) == ("Kent (police force area)",
                                                          "E23000032", "police_force_area")
    assert kent["sources"] == ["pfa19_names_codes_uk.csv:3 (geography)",
                               "lad19_csp19_pfa19_england_wales.csv:7 (geography)"]
    assert "2 rows" not in " ".join(reports[0].notes)
    assert "1 rows without a name (ONS placeholders) skipped" in reports[0].notes


def test_districts_lie_in_their_nation_and_police_force_area(small):
    kg, _ = small
    part_of = links(kg, "PART_OF")
    assert part_of["area-e07000026"] == {"country-gb-eng", "area-e23000002"}   # Allerdale
    assert part_of["area-e06000058"] == {"country-gb-eng", "area-e23000039"}   # BCP
    # Scotland and Northern Ireland are one police force area each: their districts lie in it.
    assert part_of["area-s12000049"] == {"country-gb-sct", "area-s23000009"}   # Glasgow City
    assert part_of["area-n09000003"] == {"country-gb-nir",
                                         "area-police-force-area-northern-ireland"}
    _, bcp = kg.node("area-e06000058")
    assert bcp["nation"] == ["GB-ENG"] and bcp["kind"] == "local_authority_district"


def test_councils_govern_their_districts_and_carry_nation_and_region(small):
    kg, _ = small
    serves = links(kg, "SERVES")
    # A council of 2023 governs the districts of the councils it replaced.
    assert serves["cumberland-council"] == {"area-e07000026", "area-e07000028", "area-e07000029"}
    assert serves["allerdale-borough-council"] == {"area-e07000026"}
    # A county council governs the districts of the councils in its county.
    assert serves["kent-county-council"] == {"area-e07000110"}            # Maidstone, here
    assert serves["medway-council"] == {"area-e06000035"}
    _, glasgow = kg.node("glasgow-city-council")
    assert (glasgow["nation"], glasgow["region"], glasgow["kind"]) == (
        ["GB-SCT"], "Scotland", "local_authority")
    _, allerdale = kg.node("allerdale-borough-council")
    assert allerdale["dissolved"] == "2023-04-01" and allerdale["gss"] == "E07000026"
    succeeded = {(a, b): p for a, b, _, p in kg.edges("SUCCEEDED_BY")}
    assert succeeded[("allerdale-borough-council", "cumberland-council")]["date"] == "2023-04-01"
    assert ("cumbria-county-council", "westmorland-and-furness-council") in succeeded
    # Closed before the 2019 boundaries: no district of its own; its successor has one.
    assert "christchurch-borough-council" not in serves
    assert succeeded[("christchurch-borough-council",
                      "bournemouth-christchurch-and-poole-council")]
    assert serves["bournemouth-christchurch-and-poole-council"] == {"area-e06000058"}


def test_councils_are_found_by_former_names_and_codes(small):
    kg, _ = small
    r = Resolver.from_graph(kg)
    assert r.resolve("Allerdale Borough Council", "Organisation") == "allerdale-borough-council"
    assert r.resolve("E07000026", "Organisation") == "allerdale-borough-council"
    assert r.resolve("S12000046", "Organisation") == "glasgow-city-council"   # a former code
    assert r.resolve("Glasgow City", "Organisation") == "glasgow-city-council"
    # A bare short name is never a council's name: "Hart" is also a surname, "Eden" a river.
    assert r.resolve("Cumberland", "Organisation") is None
    assert r.resolve("Allerdale", "Organisation") is None
    # "Scotland" the police force area is never taken for Scotland the nation.
    assert r.resolve("Scotland") == "country-gb-sct"


def test_a_council_already_in_the_graph_is_the_same_body(tmp_path):
    mine = tmp_path / "councils.yaml"
    mine.write_text("label: Organisation\nentries:\n  - id: kent-cc\n"
                    "    name: Kent County Council\n    kind: local_authority\n"
                    "    citation: https://www.kent.gov.uk/\n")
    kg, reports = load_files(PFAS, COUNTRIES, LAD_PFA, COUNCILS, registry_files=(mine,))
    assert kg.node("kent-county-council") is None
    _, kent = kg.node("kent-cc")
    assert kent["gss"] == "E10000016" and kent["nation"] == ["GB-ENG"]
    assert "area-e07000110" in links(kg, "SERVES")["kent-cc"]
    assert "1 councils already in the graph, facts added to them: Kent County Council" in \
        reports[-1].notes


def test_councils_alone_say_the_districts_are_missing():
    kg, reports = load_files(COUNCILS)
    assert not links(kg, "SERVES")
    assert any("load the ONS lookups too" in n for n in reports[0].notes)


@pytest.mark.parametrize("name, text, line, words", [
    ("pfa.csv", "FID,PFA19CD,PFA19NM\n1,E2300000X,Kent\n", 2, ["not a GSS code", "E2300000X"]),
    ("pfa.csv", "FID,PFA19CD,PFA19NM\n1,E23000032,Kent\n2,E23000032,Kent\n", 3,
     ["duplicate row for E23000032"]),
    ("pfa.csv", "FID,PFA19CD,PFA19NM\n1,E23000032,\n", 2, ["has no name"]),
    ("pfa.csv", "FID,PFA19CD,PFA19NM\n", 2, ["header but no rows"]),
    ("lad.csv", "FID,LAD19CD,CTRY19CD,CTRY19NM\n1,E07000110,E92000001,England\n", 1,
     ["missing column LADnnCD and LADnnNM"]),
    ("lad.csv", "FID,LAD19CD,LAD19NM,CTRY19CD,CTRY19NM\n1,E07000110,Maidstone,E92000001,England\n"
                "2,E07000110,Maidstone,E92000001,England\n", 3, ["E07000110 is named at line 2"]),
    ("lad.csv", "FID,LAD19CD,LAD19NM,PFA19CD,PFA19NM\n1,E07000110,Maidstone,E23000032\n", 2,
     ["row has 4 fields, expected 5"]),
    ("lad.csv", "FID,LAD19CD,LAD19NM,PFA19CD,PFA19NM\n1,E07000110,Maidstone,E23000032,Kent",
     2, ["ends in the middle of a line"]),
    ("councils.csv", None, 2, ["'end-date' is not a date", "2023-13-01"]),
    ("councils.csv", None, 2, ["refers to council 'XYZ'"]),
])
def test_bad_geography_files_are_refused_with_file_and_line(tmp_path, name, text, line, words):
    if text is None:         # a council row damaged in one of two ways
        lines = COUNCILS.read_text(encoding="utf-8").split("\n")
        row = next(i for i, l in enumerate(lines) if l.startswith("ALL,"))
        bad = (lines[row].replace("2023-04-01", "2023-13-01") if "date" in words[0]
               else lines[row].replace(",CBD,", ",XYZ,"))
        text = "\n".join([lines[0], bad, ""])
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_files(path)
    assert (err.value.file, err.value.line) == (name, line), str(err.value)
    for w in words:
        assert w in str(err.value)


def test_an_unknown_force_or_nation_is_listed_not_invented(tmp_path):
    path = tmp_path / "pfa.csv"
    path.write_text("FID,PFA19CD,PFA19NM\n1,E23000099,Atlantis\n", encoding="utf-8")
    kg, reports = load_files(path)
    assert [(u.name, u.source) for u in kg.unresolved] == [("Atlantis", "pfa.csv:2 (geography)")]
    assert kg.node("area-e23000099")[1]["nation"] == ["GB-ENG"]
    assert "no force found for Atlantis" in reports[0].notes[0]


# -- the bundled geography, as every build loads it ------------------------------------------
@pytest.fixture(scope="module")
def bundled():
    result = htkg.load(figures=False)
    return result.graph, result


def test_the_bundled_files_load_cleanly(bundled):
    kg, result = bundled
    files = [f for f in result.files if f.loader == "geography"]
    assert [Path(f.path).name for f in files] == [
        "pfa19_names_codes_uk.csv.xz", "lad19_country19_uk.csv.xz",
        "lad19_csp19_pfa19_england_wales.csv.xz", "uk_local_authorities_mysociety.csv.xz"]
    assert not kg.unresolved
    # Provenance names the table without its compression suffix.
    assert kg.node("area-e23000032")[1]["sources"][0] == "pfa19_names_codes_uk.csv:33 (geography)"


def test_every_force_area_is_served_by_its_force(bundled):
    kg, _ = bundled
    pfas = {r["PFA19CD"]: r["PFA19NM"] for r in bundled_rows("pfa19_names_codes_uk.csv")
            if r["PFA19NM"]}
    served = {b: a for a, b, _, _ in kg.edges("SERVES") if b.startswith("area-")
              and kg.node(a)[1]["kind"] == "police_force"}
    assert len(pfas) == 45 and len(served) == 45
    for aid, force in served.items():
        _, area = kg.node(aid)
        _, props = kg.node(force)
        assert props["nation"] == area["nation"], force


def test_every_district_lies_in_its_published_police_force_area(bundled):
    kg, _ = bundled
    part_of = links(kg, "PART_OF")
    rows = bundled_rows("lad19_csp19_pfa19_england_wales.csv")
    for r in rows:
        assert f"area-{r['PFA19CD'].lower()}" in part_of[f"area-{r['LAD19CD'].lower()}"]
    countries = bundled_rows("lad19_country19_uk.csv")
    scottish = [r for r in countries if r["CTRY19NM"] == "Scotland"]
    assert len(scottish) == 32
    for r in scottish:
        assert part_of[f"area-{r['LAD19CD'].lower()}"] == {"country-gb-sct", "area-s23000009"}


def test_every_current_council_with_a_2019_district_is_linked(bundled):
    kg, _ = bundled
    serves = links(kg, "SERVES")
    districts = {r["LAD19CD"] for r in bundled_rows("lad19_country19_uk.csv")}
    for r in bundled_rows("uk_local_authorities_mysociety.csv"):
        if r["gss-code"] in districts:
            name = " ".join(r["official-name"].split())    # spacing tidied, as loaded
            council = next(i for i, _, p in kg.nodes("Organisation")
                           if p.get("gss") == r["gss-code"] and p["name"] == name)
            assert f"area-{r['gss-code'].lower()}" in serves[council], r["official-name"]
