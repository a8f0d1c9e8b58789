"""What an official would check in the answers (issue 13.7, issue 18.1, 18.2, 18.5): no
regulator shown outside its remit, care regulators in every nation, a dissolved body shown
as such with its successor, "discussed" never passed off as "engaged", "GLA" as the docs say.

Built from the bundled registry and GOV.UK organisations (no figures) and the invented
minutes of tests/fixtures/minutes, which name the GLA in 2014.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import run  # noqa: E402  (tests/hostile.py)

from htkg.loaders.registry import registry_graph  # noqa: E402

FIX = Path(__file__).parent / "fixtures"
MINUTES_2014 = FIX / "minutes" / "two-column-2014-07-09.txt"
NATIONS = {"England": "GB-ENG", "Northern Ireland": "GB-NIR", "Scotland": "GB-SCT",
           "Wales": "GB-WLS"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[str, str]:
    db = tmp_path_factory.mktemp("remit-store") / "store"
    result = run("build", MINUTES_2014, "--db", db, "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    return str(db), result.output


def query(db, name: str, *params: str) -> list[dict]:
    args = ["query", name, "--db", db, "--format", "json"]
    for p in params:
        args += ["-p", p]
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_id(rows: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in rows}


# -- remits ---------------------------------------------------------------------------------------
def test_no_regulator_is_shown_for_an_organisation_outside_its_remit(built):
    db, _ = built
    nations = {i: set(p.get("nation") or []) for i, _, p in registry_graph().nodes("Organisation")}
    names = {p["name"]: i for i, _, p in registry_graph().nodes("Organisation")}
    rows = query(db, "frontline-organisations")
    assert rows
    shown = 0
    for row in rows:
        for text in row["regulators"]:
            name, _, where = text.partition(" (")
            regulator = names[name]
            covered = nations[regulator] & set(row["nation"])
            assert covered, (row["organisation"], text)
            if where:                    # the nations named are those it covers for the body
                assert {NATIONS[n] for n in where.rstrip(")").split(", ")} == covered, text
            shown += 1
    assert shown > 15


@pytest.mark.parametrize("body, regulators", [
    ("scottish-water", ["Water Industry Commission for Scotland"]),          # not Ofwat
    ("health-and-social-care-trusts-northern-ireland",                        # not the CQC
     ["Regulation and Quality Improvement Authority"]),
    ("scottishpower", ["Ofgem"]),                                  # not the Utility Regulator
    ("dwr-cymru-welsh-water", ["The Water Services Regulation Authority"]),  # Ofwat, as GOV.UK names it
    ("northern-ireland-water", ["Utility Regulator"]),
    ("nhs-england", ["Care Quality Commission"]),
    ("utility-companies", ["Ofgem (England, Scotland, Wales)",
                           "The Water Services Regulation Authority (England, Wales)",
                           "Utility Regulator (Northern Ireland)",
                           "Water Industry Commission for Scotland (Scotland)"]),
])
def test_each_body_shows_the_regulators_of_its_own_nations(built, body, regulators):
    db, _ = built
    assert by_id(query(db, "frontline-organisations"))[body]["regulators"] == regulators


def test_the_build_s_sample_answer_respects_remits(built):
    _, out = built
    sample = out[out.index("Sample query"):]
    assert "Care Quality Commission" not in sample.split("Health and Social Care")[1].split("│ Healthcare")[0]
    assert "Utility Regulator" not in "".join(line for line in sample.splitlines()
                                              if "British Gas" in line or "ScottishPower" in line)


def test_care_homes_in_every_nation_have_a_regulator(built):
    db, _ = built
    (row,) = query(db, "regulated-sectors", "sector=care homes")
    assert row["regulators"] == ["Care Inspectorate (Scotland)", "Care Inspectorate Wales (Wales)",
                                 "Care Quality Commission (England)",
                                 "Regulation and Quality Improvement Authority (Northern Ireland)"]
    (health,) = query(db, "regulated-sectors", "sector=healthcare")
    assert "Healthcare Improvement Scotland (Scotland)" in health["regulators"]
    assert "Healthcare Inspectorate Wales (Wales)" in health["regulators"]
    (building,) = query(db, "regulated-sectors", "sector=construction")
    assert building["regulators"] == [
        "Health and Safety Executive (Great Britain)",
        "Health and Safety Executive for Northern Ireland (Northern Ireland)"]


def test_utilities_reach_water_as_well_as_energy(built):
    db, _ = built
    rows = by_id(query(db, "frontline-organisations", "sector=utilities"))
    assert {"scottish-water", "thames-water", "british-gas", "utility-companies"} <= set(rows)
    scots = by_id(query(db, "frontline-organisations", "sector=utilities", "nation=Scotland"))
    assert "thames-water" not in scots
    assert scots["scottish-water"]["regulators"] == ["Water Industry Commission for Scotland"]
    sectors = [r["sector"] for r in query(db, "regulated-sectors", "sector=utilities")]
    assert sectors == ["Energy utilities", "Utilities (energy and water)", "Water utilities"]


@pytest.mark.parametrize("body, nations", [
    ("civil-nuclear-constabulary", ["GB-ENG", "GB-SCT", "GB-WLS"]),    # no civil nuclear site in NI
    ("attorney-generals-office", ["GB-ENG", "GB-NIR", "GB-WLS"]),      # Scotland has its own
    ("gangmasters-and-labour-abuse-authority", ["GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS"]),
    ("health-and-safety-executive", ["GB-ENG", "GB-SCT", "GB-WLS"]),
    ("home-office", ["GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS"]),
])
def test_uk_wide_and_great_britain_are_told_apart(body, nations):
    _, props = registry_graph().node(body)
    assert props["nation"] == nations
    if body == "gangmasters-and-labour-abuse-authority":
        assert "in England and Wales only" in props["remit"]


def test_gb_is_refused_as_ambiguous(tmp_path):
    own = tmp_path / "own-bodies.yaml"
    own.write_text("label: Organisation\nentries:\n  - id: x\n    name: X\n    kind: ngo\n"
                   "    nation: GB\n    citation: https://example.org\n", encoding="utf-8")
    result = run("build", own, "--no-bundled", "--db", tmp_path / "store", "--no-map")
    assert result.exit_code == 1
    assert f"{own.name}:6: nation 'GB' is ambiguous" in result.output
    assert "write UK for the whole United Kingdom, GB-GBN for Great Britain" in result.output


# -- dissolved bodies -----------------------------------------------------------------------------
def test_country_links_shows_the_fco_dissolved_and_the_fcdo_inheriting(built):
    db, _ = built
    rows = query(db, "country-links", "country=Vietnam")
    fco = [r for r in rows if r["body_id"] == "foreign-and-commonwealth-office"]
    assert [(r["connection"], r["status"]) for r in fco] == [
        ("works in the country",
         "dissolved 2020-09-02; succeeded by Foreign, Commonwealth & Development Office")]
    fcdo = [r for r in rows if r["body_id"] == "foreign-commonwealth-and-development-office"]
    assert [(r["connection"], r["detail"], r["status"]) for r in fcdo] == [
        ("works in the country (inherited)",
         "inherited from Foreign and Commonwealth Office, dissolved 2020-09-02, which it "
         "succeeded", "current")]
    assert all(r["status"] for r in rows)


def test_regulated_sectors_shows_the_gla_replaced_by_the_glaa(built):
    db, _ = built
    (row,) = query(db, "regulated-sectors", "sector=agriculture")
    assert row["regulators"] == ["Gangmasters and Labour Abuse Authority (UK)"]
    assert row["former_regulators"] == [
        "Gangmasters Licensing Authority (UK; dissolved 2017-04-30; succeeded by Gangmasters "
        "and Labour Abuse Authority)"]


def test_a_line_of_renamings_ends_at_the_body_that_exists_now(built):
    db, _ = built
    rows = query(db, "successors", "organisation=DCLG")
    assert [(r["body"], r["successor"], r["date"]) for r in rows] == [
        ("Department for Communities and Local Government",
         "Ministry of Housing, Communities and Local Government (2018 to 2021)", "2018-01-08"),
        ("Ministry of Housing, Communities and Local Government (2018 to 2021)",
         "Department for Levelling Up, Housing and Communities", "2021-09-19"),
        ("Department for Levelling Up, Housing and Communities",
         "Ministry of Housing, Communities and Local Government", "2024-07-08")]
    assert rows[0]["successor_status"] == (
        "dissolved 2021-09-19; succeeded by Department for Levelling Up, Housing and "
        "Communities; now Ministry of Housing, Communities and Local Government")
    wag = query(db, "successors", "organisation=Welsh Assembly Government")
    assert [(r["successor"], r["date"]) for r in wag] == [("Welsh Government", "2011")]


def test_show_gla_is_the_gangmasters_licensing_authority_and_says_it_was_replaced(built):
    db, _ = built
    result = run("show", "GLA", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Gangmasters Licensing Authority  [Organisation]")
    assert ("  status: dissolved 2017-04-30; succeeded by Gangmasters and Labour Abuse "
            "Authority") in result.output


# -- discussed, not engaged -----------------------------------------------------------------------
def test_a_successor_is_discussed_where_its_predecessor_was_named_with_the_action_and_owner(built):
    """The 2014 minutes name the GLA at 2.2; the GLAA is discussed there, in those words,
    with the action's text and owners, not its id."""
    db, _ = built
    glaa = by_id(query(db, "frontline-organisations"))["gangmasters-and-labour-abuse-authority"]
    assert glaa["engaged"] == ["part of Home Office"]
    assert ("discussed under item 2 of the meeting of 2014-07-09 (¶2.2 names its predecessor "
            "Gangmasters Licensing Authority), where an action was agreed: \"MOJ and GLA/NCA to "
            "map the joint visits carried out in 2013 and report the findings to the Group.\" "
            "(owner: Gangmasters Licensing Authority (dissolved 2017-04-30; succeeded by "
            "Gangmasters and Labour Abuse Authority), Ministry of Justice, National Crime "
            "Agency)") in glaa["discussed"]
    assert not re.search(r"meeting-[\w-]+-action-", json.dumps(glaa))


def test_engaged_means_an_explicit_link_and_unengaged_lists_bodies_only_discussed(built):
    db, _ = built
    unengaged = by_id(query(db, "unengaged-frontline"))
    engaged = by_id(query(db, "frontline-organisations"))
    for body, links in [("gangmasters-and-labour-abuse-authority", ["part of Home Office"]),
                        ("trafficking-awareness-raising-alliance",
                         ["works with The Scottish Government"]),
                        ("police-service-of-northern-ireland",
                         ["part of Department of Justice (Northern Ireland)"])]:
        assert engaged[body]["engaged"] == links
        assert body not in unengaged
    assert "royal-mail" in unengaged and engaged["royal-mail"]["engaged"] == []


def test_the_docs_say_what_the_code_does_with_gla():
    """docs/queries.md and README say "GLA" is the Gangmasters Licensing Authority in the
    bundled graph, and ambiguous once the Greater London Authority is added, with this error."""
    from htkg.errors import ResolveError
    from htkg.graph.lookup import resolve_entity
    from htkg.graph.resolver import Resolver
    docs = (Path(__file__).parents[1] / "docs" / "queries.md").read_text(encoding="utf-8")
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    r = Resolver.from_graph(registry_graph())
    assert resolve_entity(r, "GLA") == "gangmasters-licensing-authority"
    assert '"GLA" is the Gangmasters Licensing Authority' in " ".join(readme.split())
    r.add("greater-london-authority", "Organisation", ["Greater London Authority", "GLA"])
    with pytest.raises(ResolveError) as err:
        resolve_entity(r, "GLA")
    assert f"Error: {err.value}" in docs.splitlines()
    with pytest.raises(ResolveError, match="'CSC' could mean several: Civil Service Commission"):
        resolve_entity(r, "CSC")
