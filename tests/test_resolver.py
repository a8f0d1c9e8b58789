"""The shared entity resolver over the bundled registry."""
from __future__ import annotations

import pytest

from htkg.graph.resolver import Resolver, normalise
from htkg.loaders.registry import default_resolver
from htkg.loaders.registry import registry_graph


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return default_resolver()


@pytest.mark.parametrize("written, expected", [
    ("MOJ", "ministry-of-justice"),
    ("MoJ", "ministry-of-justice"),
    ("DfID", "department-for-international-development"),
    ("DFID", "department-for-international-development"),
    ("FCO", "foreign-and-commonwealth-office"),
    ("BIS", "department-for-business-innovation-and-skills"),
    ("UKHTC", "uk-human-trafficking-centre"),
    ("SOCA", "serious-organised-crime-agency"),
    ("GLA", "gangmasters-licensing-authority"),
    ("CPS", "crown-prosecution-service"),
    ("AGO", "attorney-generals-office"),
    ("the gangmasters licensing authority", "gangmasters-licensing-authority"),
    ("Scottish Executive", "scottish-executive"),          # a body of its own until 2007
    ("Welsh Assembly Government", "welsh-assembly-government"),
    ("Scottish Government", "scottish-government"),
    ("The Scottish Government", "scottish-government"),      # GOV.UK's name
    ("DoH (NI)", "department-of-health-northern-ireland"),
    ("Northern Ireland Executive Office", "the-executive-office-northern-ireland"),
    ("PPSNI", "public-prosecution-service-for-northern-ireland"),
    ("utilities", "sector-utilities"),
    ("EU Directive 2011/36/EU", "initiative-eu-directive-2011-36"),
    ("DLUHC", "department-for-levelling-up-housing-and-communities"),
    ("MHCLG", "ministry-of-housing-communities-and-local-government"),
    ("Ofwat", "ofwat"),
    ("hm-revenue-customs", "hm-revenue-and-customs"),      # a GOV.UK slug
    ("Northern Ireland Executive", "northern-ireland-executive"),
    ("Royal Mail", "royal-mail"),
    ("Barnardo's", "barnardos"),
    ("National Crime Agency NCA", "national-crime-agency"),
    ("Home Office - UK Visas and Immigration UKVI", "uk-visas-and-immigration"),
    ("Nigeria", "country-ng"),
    ("Nigerian", "country-ng"),
    ("UK", "country-gb"),
    ("Scotland", "country-gb-sct"),
])
def test_resolves_abbreviations_and_historical_names(resolver, written, expected):
    assert resolver.resolve(written) == expected


@pytest.mark.parametrize("written", ["DoH", "PPS", "EU Directive", "Great Britain", "Britain",
                                     "Jo", "CSC"])
def test_names_too_generic_to_mean_one_body_resolve_to_none(resolver, written):
    """"DoH" is England's Department of Health and Northern Ireland's; "PPS" and "EU
    Directive" name many things; "Great Britain" is not the United Kingdom; GOV.UK's
    two-letter abbreviations ("JO") read as given names; "CSC" is two GOV.UK bodies."""
    assert resolver.resolve(written) is None


def test_punctuation_and_case_do_not_matter():
    assert normalise("The Children’s Society") == normalise("childrens society")
    assert normalise("HM Revenue & Customs") == normalise("hm revenue and customs")


def test_unknown_names_resolve_to_nothing_and_suggest(resolver):
    assert resolver.resolve("Ministry of Magic") is None
    near = resolver.candidates("Gangmasters Licencing Authority")
    assert any("gangmasters-licensing-authority" in c for c in near)


def test_label_filter(resolver):
    assert resolver.resolve("Scotland", label="Organisation") is None
    assert resolver.resolve("Scotland", label="Country") == "country-gb-sct"


def _succession(kg):
    return {(a, b): p.get("date") for a, b, _, p in kg.edges("SUCCEEDED_BY")}


@pytest.mark.parametrize("old, new, year", [
    ("serious-organised-crime-agency", "national-crime-agency", "2013"),
    ("gangmasters-licensing-authority", "gangmasters-and-labour-abuse-authority", "2017"),
    ("foreign-and-commonwealth-office", "foreign-commonwealth-and-development-office", "2020"),
    ("department-for-international-development", "foreign-commonwealth-and-development-office",
     "2020"),
    ("department-for-business-innovation-and-skills",
     "department-for-business-energy-and-industrial-strategy", "2016"),
    ("department-for-business-energy-and-industrial-strategy",
     "department-for-science-innovation-and-technology", "2023"),
    ("department-for-business-energy-and-industrial-strategy",
     "department-for-business-and-trade", "2023"),
    ("department-for-business-energy-and-industrial-strategy",
     "department-for-energy-security-and-net-zero", "2023"),
    ("department-for-communities-and-local-government",
     "ministry-of-housing-communities-and-local-government-2018-2021", "2018-01-08"),
    ("ministry-of-housing-communities-and-local-government-2018-2021",
     "department-for-levelling-up-housing-and-communities", "2021-09-19"),
    ("department-for-levelling-up-housing-and-communities",
     "ministry-of-housing-communities-and-local-government", "2024-07-08"),
    ("scottish-executive", "scottish-government", "2007-09-03"),
    ("department-of-health", "department-of-health-and-social-care", "2018-01-08"),
])
def test_successor_bodies_are_dated_relationships(old, new, year):
    succession = _succession(registry_graph())
    assert (old, new) in succession
    assert succession[(old, new)].startswith(year)


def test_a_renaming_known_only_by_year_carries_the_year():
    kg = registry_graph()
    rel = [p for a, b, _, p in kg.edges("SUCCEEDED_BY")
           if (a, b) == ("welsh-assembly-government", "welsh-government")]
    assert rel and rel[0].get("year") == 2011 and "date" not in rel[0]


def test_every_renamed_public_body_is_two_entities():
    """No public body keeps an earlier name of its own as an alias: the earlier name is
    an entity of its own, linked by SUCCEEDED_BY (the renaming model, everywhere)."""
    kg = registry_graph()
    for old, new in [("Scottish Executive", "scottish-government"),
                     ("Welsh Assembly Government", "welsh-government"),
                     ("Department for Communities and Local Government",
                      "ministry-of-housing-communities-and-local-government"),
                     ("Department for Levelling Up, Housing and Communities",
                      "ministry-of-housing-communities-and-local-government"),
                     ("Gangmasters Licensing Authority", "gangmasters-and-labour-abuse-authority"),
                     ("Modern Slavery Police Transformation Unit",
                      "modern-slavery-and-organised-immigration-crime-unit")]:
        assert old not in kg.node(new)[1]["aliases"], (old, new)


def test_scan_finds_names_in_running_text(resolver):
    text = "The FCO works closely with SOCA in Nigeria; agriculture is regulated by the GLA."
    found = {entity for entity, _, _ in resolver.scan(text)}
    assert {"foreign-and-commonwealth-office", "serious-organised-crime-agency", "country-ng",
            "sector-agriculture", "gangmasters-licensing-authority"} <= found
