"""Every saved query that ranks bodies (or countries) by strength lists them strongest
first (issue 18 item 4), checked on the real bundled figures: the order an official reads
is the order of the numbers beside it, and a list of names that a figure rests on runs
from the body that referred the most.
"""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.queries import load_catalogue

#: The saved queries whose rows carry a number of people, and how their rows are ordered.
RANKINGS = {"top-source-countries", "nation-source-countries", "responders", "country-links",
            "exploitation-types", "referrals", "unattributed"}
TIME_SERIES = {"referrals-by-quarter"}      # by quarter: a trend, not a ranking
KIND_WORDS = {"police forces": "police_force", "NGOs": "ngo", "agencies": "agency"}


def query(db: str, name: str, **params) -> list[dict]:
    args = ["query", name, "--db", db, "--format", "json"]
    for key, value in params.items():
        args += ["-p", f"{key}={value}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def descending(values: list) -> bool:
    return all(a >= b for a, b in zip(values, values[1:]))


def test_every_query_that_counts_people_is_classified():
    """A new query with a people column must say whether it ranks (and be tested here)."""
    counting = {q.name for q in load_catalogue()
                if {"people", "total_people"} & set(q.columns)}
    assert counting == RANKINGS | TIME_SERIES


def rests_on_figures(entries: list[str], responders: list[dict]) -> list[int]:
    """The people behind each entry of a rests_on list: one responder's, or the total of
    a kind given as 'N police forces'."""
    by_name = {r["responder"]: r["people"] for r in responders}
    figures = []
    for entry in entries:
        if entry in by_name:
            figures.append(by_name[entry])
            continue
        count, _, words = entry.partition(" ")
        kind = KIND_WORDS.get(words, words.removesuffix(" bodies").replace(" ", "_"))
        group = [r["people"] for r in responders if r["kind"] == kind]
        assert len(group) == int(count), entry
        figures.append(sum(group))
    return figures


@pytest.mark.parametrize("params", [{}, {"year": 2023, "quarter": 4},
                                    {"exploitation": "labour"}])
def test_top_source_countries_and_what_each_rests_on_run_strongest_first(default_build,
                                                                         params):
    db = default_build[0]
    rows = query(db, "top-source-countries", limit=6, **params)
    assert len(rows) == 6 and descending([r["people"] for r in rows])
    period = {"start": "2023Q4", "end": "2023Q4"} if params.get("year") else {}
    for row in rows[:3]:
        responders = query(db, "responders", country=row["country"], limit=1000, **period,
                           **{k: v for k, v in params.items() if k == "exploitation"})
        figures = rests_on_figures(row["rests_on"], responders)
        assert descending(figures), (row["country"], list(zip(row["rests_on"], figures)))
        assert sum(figures) == row["people"]


def test_a_nations_responders_run_strongest_first(default_build):
    db = default_build[0]
    rows = query(db, "nation-source-countries", year=2023, limit=4)
    for nation in ("England", "Scotland", "Wales", "Northern Ireland"):
        mine = [r for r in rows if r["nation"] == nation]
        assert mine and descending([r["people"] for r in mine]), nation
        assert [r["rank"] for r in mine] == sorted(r["rank"] for r in mine)
        responders = query(db, "responders", nation=nation, start="2023Q1", end="2023Q4",
                           limit=1000)
        figures = rests_on_figures(mine[0]["rests_on"], responders)
        assert descending(figures), (nation, list(zip(mine[0]["rests_on"], figures)))


@pytest.mark.parametrize("params", [{}, {"country": "Vietnam"}, {"nation": "Wales"},
                                    {"exploitation": "Sexual", "kind": "ngo"}])
def test_responders_run_strongest_first(default_build, params):
    rows = query(default_build[0], "responders", limit=30, **params)
    assert len(rows) > 3 and descending([r["people"] for r in rows])


def test_country_links_give_the_strongest_referrers_first(default_build):
    rows = query(default_build[0], "country-links", country="Vietnam")
    referred = [r["total_people"] for r in rows if r["total_people"] is not None]
    assert len(referred) > 20 and descending(referred)
    assert rows[:len(referred)] == [r for r in rows if r["total_people"] is not None]


def test_exploitation_types_and_referrals_run_largest_first(default_build):
    db = default_build[0]
    types = query(db, "exploitation-types", start="2023Q1")
    assert len(types) > 10 and descending([r["people"] for r in types])
    rows = query(db, "referrals", country="Vietnam", limit=10_000)
    quarters = sorted({(r["year"], r["quarter"]) for r in rows})
    assert len(quarters) == 7
    for q in quarters:
        assert descending([r["people"] for r in rows if (r["year"], r["quarter"]) == q]), q
    assert [(r["year"], r["quarter"]) for r in rows] == sorted(
        (r["year"], r["quarter"]) for r in rows)
    left = query(db, "unattributed", limit=10_000)
    assert len({(r["year"], r["quarter"]) for r in left}) == 7
    for q in quarters:
        assert descending([r["people"] for r in left if (r["year"], r["quarter"]) == q]), q
