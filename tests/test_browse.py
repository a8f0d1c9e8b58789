"""The library reads under `htkg app` (htkg.browse, the row cap, the referral trend),
against the report tests' fixture graph (tests/conftest.py) in the real embedded engine."""
from __future__ import annotations

import pytest

from htkg import browse
from htkg.errors import QueryError, ResolveError
from htkg.graph.store import open_store
from htkg.queries import load_catalogue, run_query
from htkg.reports import figures_context, referral_trend


@pytest.fixture(scope="module")
def store(hostile_report_store):
    with open_store(hostile_report_store) as s:
        yield s


def test_an_abbreviation_offers_every_body_that_shares_it(store):
    found = browse.search(store, "GLA")
    assert [(m.id, m.matched, m.kind) for m in found[:2]] == [
        ("gangmasters-licensing-authority", "GLA", "regulator"),
        ("greater-london-authority", "GLA", "public_body")]
    # Then names that start with it: its successor, GLAA.
    assert found[2].id == "gangmasters-and-labour-abuse-authority"
    assert "country-gb-eng" not in [m.id for m in found]    # "England" holds "gla": not a match


def test_search_finds_old_names_prefixes_and_words(store):
    old = browse.search(store, "scottish executive")[0]
    assert (old.id, old.name, old.matched, old.label) == (
        "scottish-government", "Scottish Government", "Scottish Executive", "Organisation")
    assert browse.search(store, "salv")[0].id == "the-salvation-army"
    assert browse.search(store, "labour abuse")[0].id == "gangmasters-and-labour-abuse-authority"
    assert browse.search(store, "Nigerian")[0].id == "country-ng"
    assert browse.search(store, "xyzzy plugh") == []
    assert browse.search(store, "  ") == []
    hostile = browse.search(store, "<img src=x")
    assert hostile[0].name == "<img src=x onerror=window.__pwned=1>"


def test_a_profile_lists_properties_relationships_and_their_sources(store):
    p = browse.profile(store, "Nigerian")
    assert (p.id, p.label, p.name) == ("country-ng", "Country", "Nigeria")
    assert p.props["iso2"] == "NG" and "sources" not in p.props and "name" not in p.props
    assert p.sources == ["pycountry:iso3166-1#NG (registry)"]
    groups = {(g.type, g.outgoing): g for g in p.groups}
    active = groups[("ACTIVE_IN", False)]
    assert active.total == len(active.links) == 6
    dfid = next(link for link in active.links
                if link.other == "department-for-international-development")
    assert (dfid.other_name, dfid.other_label, dfid.sources) == (
        "Department for International Development", "Organisation",
        ["fixture/registry.yaml:141 (registry)"])
    mentions = groups[("MENTIONED_IN", True)]
    assert [(m.other, m.props, m.sources) for m in mentions.links] == [
        ("meeting-idmg-2013-03-11", {"paragraph": "6.1"}, ["idmg-2013-03-11.txt ¶6.1 (minutes)"]),
        ("meeting-idmg-2013-03-11", {"paragraph": "6.4"}, ["idmg-2013-03-11.txt ¶6.4 (minutes)"])]
    # NRM figures are never listed; their quarterly totals are counted (a responder
    # and a quarter each: Salvation Army Q3 and Q4, BAWSO, TARA, the hostile body).
    assert p.figures == {"REFERRED_QUARTER": 5}
    assert not any(g.type in ("REFERRED", "REFERRED_QUARTER") for g in p.groups)


def test_a_profile_says_how_many_relationships_it_left_out(store):
    p = browse.profile(store, "home-office", most=3)
    assert sum(len(g.links) for g in p.groups) == 3
    assert sum(g.total for g in p.groups) > 3
    assert sum(g.more for g in p.groups) == sum(g.total for g in p.groups) - 3


def test_unknown_and_ambiguous_names_list_the_closest(store):
    with pytest.raises(ResolveError) as unknown:
        browse.profile(store, "Home Ofice")
    assert "no entity called 'Home Ofice'" in str(unknown.value)
    assert "Home Office (home-office)" in unknown.value.candidates
    with pytest.raises(ResolveError) as several:
        browse.profile(store, "GLA")
    assert set(several.value.candidates) == {"gangmasters-licensing-authority",
                                             "greater-london-authority"}


def test_an_entity_map_draws_the_most_linked_and_what_was_expanded(store):
    small = browse.entity_map(store, "Nigeria", most=3)
    assert small.focus == "country-ng" and len(small.nodes) == 4
    assert small.notes == ["Nigeria: the 3 entities it has most relationships with are drawn, "
                           "of 10"]
    # The Salvation Army referred most people of Nigeria: it has the most relationships.
    assert "the-salvation-army" in small.nodes
    wider = browse.entity_map(store, "Nigeria", ["Home Office"], most=3)
    assert wider.anchors == ["country-ng", "home-office"]
    assert set(small.nodes) < set(wider.nodes) and "home-office" in wider.nodes
    assert wider.title == "Nigeria and its neighbours, with 1 more expanded"
    ids = {r.a for r in wider.relationships} | {r.b for r in wider.relationships}
    assert ids <= set(wider.nodes)
    with pytest.raises(QueryError, match="at most 12"):
        browse.entity_map(store, "Nigeria", [f"country-{c}" for c in
                                             ("al", "vn", "er", "gr", "ne", "gb", "gb-eng",
                                              "gb-sct", "gb-wls", "gb-nir")] +
                          ["home-office", "bawso", "kalayaan"])


def test_a_read_capped_at_most_rows_says_it_cut(store):
    result = store.read("MATCH (n:Organisation) RETURN n.id AS id ORDER BY id", most=5)
    assert len(result.rows) == 5 and result.more
    every = store.read("MATCH (n:Organisation) RETURN n.id AS id ORDER BY id")
    assert result.rows == every.rows[:5] and not every.more
    exact = store.read("MATCH (n:Organisation) RETURN n.id AS id", most=len(every.rows))
    assert len(exact.rows) == len(every.rows) and not exact.more
    query = load_catalogue().get("organisations")
    capped = run_query(store, query, {}, most=2)
    assert len(capped.rows) == 2 and capped.more


def test_the_referral_trend_of_a_body_and_of_a_country(store):
    ctx = figures_context(store)
    body = referral_trend(store, responder="the-salvation-army", context=ctx)
    assert body.command == 'htkg query referrals-by-quarter -p "responder=The Salvation Army"'
    chart, table = body.blocks
    assert chart.categories == ["2022 Q4", "2023 Q1", "2023 Q2", "2023 Q3", "2023 Q4"]
    # 2023 Q4: 2 + 1 Nigerians and one Albanian Greek, counted once as the tables do
    assert [r["total"] for r in table.rows] == [0, None, None, 7, 4]
    assert table.total["total"] == sum(r["people"] for r in body.rows) == 11
    country = referral_trend(store, country="country-ng", context=ctx)
    assert country.params == {"country": "country-ng"}
    assert country.command == "htkg query referrals-by-quarter -p country=Nigeria"
    assert country.blocks[1].total["total"] == 17    # 12, and the hostile body's 5
    none = referral_trend(store, responder="home-office", context=ctx)
    assert none.rows == [] and none.blocks[0].empty.startswith("No referrals")
