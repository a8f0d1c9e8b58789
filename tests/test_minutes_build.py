"""`htkg build` and `htkg minutes` on minutes: the graph answers the minutes' questions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "minutes"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, shared):
    seed = shared("seeds", "idmg-minutes-2013-03-11.txt")
    db = tmp_path_factory.mktemp("seed-store")
    result = run("build", seed, "--db", db, "--no-figures")
    assert result.exit_code == 0, result.output
    assert "unresolved names: none" in result.output
    return db


def rows(db, query, *params):
    result = run("cypher", query, "--db", db, "--format", "json", *params)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_which_actions_does_the_home_office_own(seed_store):
    found = rows(seed_store, "MATCH (:Organisation {id: 'home-office'})-[r:OWNS]->(a:Action)"
                             "-[:AGREED_AT]->(m:Meeting) RETURN a.item AS item, r.sources AS s, "
                             "m.date AS date")
    assert sorted(r["item"] for r in found) == ["2", "4", "5", "6", "6", "7", "7"]
    assert {r["date"] for r in found} == {"2013-03-11"}
    assert all(r["s"][0].startswith("idmg-minutes-2013-03-11.txt:") for r in found)


def test_who_represented_whom(seed_store):
    found = rows(seed_store, "MATCH (o:Organisation)-[r:ATTENDED]->(:Meeting) "
                             "WHERE r.on_behalf_of IS NOT NULL "
                             "RETURN o.id AS org, r.on_behalf_of AS principal")
    pairs = {(r["org"], r["principal"]) for r in found}
    assert ("department-for-education", "Edward Timpson MP") in pairs
    assert ("scottish-government", "Kenny MacAskill MSP") in pairs
    remote = rows(seed_store, "MATCH (p:Person)-[r:ATTENDED {remote: true}]->(:Meeting) "
                              "RETURN p.id AS id")
    assert remote == [{"id": "person-david-ford"}]
    chair = rows(seed_store, "MATCH (p:Person)-[:ATTENDED {capacity: 'chair'}]->(:Meeting) "
                             "RETURN p.id AS id")
    assert chair == [{"id": "person-mark-harper"}]


def test_mentions_carry_their_paragraph(seed_store):
    found = rows(seed_store, "MATCH (c:Country {id: 'country-ng'})-[r:MENTIONED_IN]->(:Meeting) "
                             "RETURN r.paragraph AS p, r.sources AS s ORDER BY p")
    assert [r["p"] for r in found][:2] == ["6.1", "6.2"]
    assert found[0]["s"] == ["idmg-minutes-2013-03-11.txt ¶6.1 (minutes)"]
    works = rows(seed_store, "MATCH (:Organisation {id: 'foreign-and-commonwealth-office'})"
                             "-[r:WORKS_WITH]->(:Organisation {id: 'serious-organised-crime-agency'})"
                             " RETURN r.sources AS s")
    assert any("¶6.2 (minutes)" in s for s in works[0]["s"])


def test_minutes_command_json(shared):
    seed = shared("seeds", "idmg-minutes-2013-03-11.txt")
    result = run("minutes", seed, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["title"].startswith("Inter-Departmental Ministerial Group")
    assert data["date"] == "2013-03-11"
    assert set(data) == {"title", "date", "attendees", "apologies", "items", "mentions", "warnings"}
    first = data["attendees"][0]
    assert set(first) == {"organisation", "organisation_id", "name", "official", "on_behalf_of",
                          "role", "remote"}


def test_non_minutes_text_is_refused_by_name(tmp_path):
    notes = tmp_path / "shopping.txt"
    notes.write_text("Eggs\nMilk\nBread\n")
    result = run("minutes", notes)
    assert result.exit_code == 1
    assert "shopping.txt" in result.output and "no attendee list" in result.output
    result = run("build", notes, "--db", tmp_path / "s", "--no-figures")
    assert result.exit_code == 1 and "does not know this kind of file" in result.output
