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
    ("Scottish Executive", "scottish-government"),
    ("Welsh Assembly Government", "welsh-government"),
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
])
def test_successor_bodies_are_dated_relationships(old, new, year):
    succession = _succession(registry_graph())
    assert (old, new) in succession
    assert succession[(old, new)].startswith(year)


def test_scan_finds_names_in_running_text(resolver):
    text = "The FCO works closely with SOCA in Nigeria; agriculture is regulated by the GLA."
    found = {entity for entity, _, _ in resolver.scan(text)}
    assert {"foreign-and-commonwealth-office", "serious-organised-crime-agency", "country-ng",
            "sector-agriculture", "gangmasters-licensing-authority"} <= found
