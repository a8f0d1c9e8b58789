"""Minutes of another meeting (issue 17, minutes parsing): runs of post-nominals and
short forms of devolved bodies, on invented fixtures.

"Clara Munro QC MP" left a phantom attendee "MP" with no organisation; "the
Executive" beside a member whose post-nominal places them (MLA) stayed unresolved.
A short form is now read beside the member's seat, or from another line of the same
minutes; what cannot be placed is listed with a warning saying what to write.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import cypher_json, run  # noqa: E402  (tests/hostile.py)

FIX = Path(__file__).parent / "fixtures" / "minutes"
SEATS = FIX / "devolved-seats-2019-10-02.txt"
HONOURS = FIX / "honours-run-2021-04-20.txt"


def review(path: Path) -> dict:
    result = run("minutes", path, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def people(entries: list[dict]) -> list[tuple]:
    return [(a["organisation"], a["organisation_id"], a["name"], a["on_behalf_of"])
            for a in entries]


def test_short_forms_are_read_beside_the_members_seat():
    data = review(SEATS)
    assert people(data["attendees"]) == [
        ("Home Office", "home-office", "Clara Munro QC MP", None),
        ("Ministry of Justice", "ministry-of-justice", "Daniel Okoro MP", None),
        ("the Executive", "northern-ireland-executive", "Fiona Gault OBE MLA", None),
        ("the Government", "scottish-government", "Iain Baird MSP", None),
        ("the Government", "welsh-government", None, "Owen Price AM"),
        ("the Assembly", None, "Megan Rhys AM", None),
        ("Crown Prosecution Service", "crown-prosecution-service", None, None)]
    assert people(data["apologies"]) == [
        ("Home Office", "home-office", "Peter Lusk KC MP", None),
        ("the Department of Justice", None, "Sean Doyle MLA", None),
        # no seat on the line, but the Executive is placed by Fiona Gault MLA above
        ("the Executive", "northern-ireland-executive", None, None),
        # placed twice above, to two bodies: left unplaced
        ("the Government", None, None, None)]
    assert [(w["line"], w["message"]) for w in data["warnings"]] == [
        (10, "'the Assembly' beside an AM (a member in Wales): no single body of Wales is "
             "called 'Assembly'; write the body's full name"),
        (15, "'the Department of Justice' beside an MLA (a member in Northern Ireland): no "
             "single body of Northern Ireland is called 'Department of Justice'; write the "
             "body's full name"),
        (17, "'the Government' is a short form htkg cannot place; write the body's full name")]


def test_a_run_of_post_nominals_leaves_no_phantom_attendee():
    data = review(HONOURS)
    assert people(data["attendees"]) == [
        ("Home Office", "home-office", "Dame Alice Trent DBE QC MP", None),
        ("National Crime Agency", "national-crime-agency", "Robert Hale QPM", None),
        ("Welsh Government", "welsh-government", "Gwen Morgan MS", None),
        ("Scottish Government", "scottish-government", "Niall Ross OBE MSP", None),
        ("Crown Prosecution Service", "crown-prosecution-service", "Helen Marsh CBE KC", None)]
    assert data["attendees"][0]["role"] == "chair"
    assert data["warnings"] == []


@pytest.mark.parametrize("line, expected", [
    ("Home Office   Clara Munro QC MP CHAIR", [("Home Office", "Clara Munro QC MP CHAIR")]),
    ("Home Office Clara Munro QC MP Ministry of Justice Daniel Okoro MP",
     [("Home Office", "Clara Munro QC MP"), ("Ministry of Justice", "Daniel Okoro MP")]),
    ("Scottish Government Niall Ross OBE MSP Welsh Government Gwen Morgan MS",
     [("Scottish Government", "Niall Ross OBE MSP"), ("Welsh Government", "Gwen Morgan MS")]),
])
def test_entries_run_together_keep_their_post_nominals(line, expected):
    from htkg.loaders.registry import default_resolver
    from htkg.loaders.minutes.people import Names, attendee_entries
    assert attendee_entries(line, Names(default_resolver())) == expected


def test_text_review_of_minutes_lists_what_was_read():
    """The text form of 'htkg minutes', line by line."""
    result = run("minutes", SEATS)
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").split("\n")
    assert lines[:16] == [
        "Joint Forum on Forced Labour in Supply Chains — 2019-10-02",
        "",
        "Attendees (7):",
        "  Home Office [home-office]: Clara Munro QC MP (CHAIR)",
        "  Ministry of Justice [ministry-of-justice]: Daniel Okoro MP",
        "  the Executive [northern-ireland-executive]: Fiona Gault OBE MLA",
        "  the Government [scottish-government]: Iain Baird MSP",
        "  the Government [welsh-government]: official (for Owen Price AM, remote)",
        "  the Assembly [not resolved]: Megan Rhys AM",
        "  Crown Prosecution Service [crown-prosecution-service]: official",
        "",
        "Apologies (4):",
        "  Home Office [home-office]: Peter Lusk KC MP",
        "  the Department of Justice [not resolved]: Sean Doyle MLA",
        "  the Executive [northern-ireland-executive]: official",
        "  the Government [not resolved]: official",
    ]
    assert "  ACTION [Ministry of Justice -> ministry-of-justice] Ministry of Justice to share " \
           "a draft audit template with members by December." in lines
    assert lines[-4:] == [
        "Warnings (3):",
        "  line 10: 'the Assembly' beside an AM (a member in Wales): no single body of Wales "
        "is called 'Assembly'; write the body's full name",
        "  line 15: 'the Department of Justice' beside an MLA (a member in Northern Ireland): "
        "no single body of Northern Ireland is called 'Department of Justice'; write the "
        "body's full name",
        "  line 17: 'the Government' is a short form htkg cannot place; write the body's full name"]


def test_built_minutes_link_the_placed_bodies_and_list_the_rest(tmp_path):
    db = tmp_path / "store"
    result = run("build", SEATS, HONOURS, "--db", db, "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    assert "unresolved names (5), loaded nowhere until added to the registry:" in result.output
    for text in ["organisation or person 'Roundtable on Victim Support' at "
                 "honours-run-2021-04-20.txt:1",          # the group: no such body either
                 "organisation or person 'the Assembly' at devolved-seats-2019-10-02.txt:10",
                 "organisation or person 'the Department of Justice' at "
                 "devolved-seats-2019-10-02.txt:15",
                 "organisation or person 'the Government' at devolved-seats-2019-10-02.txt:17"]:
        assert text in result.output
    assert "'the Executive'" not in result.output          # placed by the seat, then by context
    rows = cypher_json(db, "MATCH (o:Organisation)-[r]->(m:Meeting) WHERE m.date = '2019-10-02' "
                           "RETURN o.id AS org, type(r) AS type ORDER BY org, type")
    assert rows == [
        {"org": "crown-prosecution-service", "type": "ATTENDED"},
        {"org": "home-office", "type": "ATTENDED"},
        {"org": "home-office", "type": "SENT_APOLOGIES"},
        {"org": "ministry-of-justice", "type": "ATTENDED"},
        {"org": "northern-ireland-executive", "type": "ATTENDED"},
        {"org": "northern-ireland-executive", "type": "SENT_APOLOGIES"},
        {"org": "scottish-government", "type": "ATTENDED"},
        {"org": "welsh-government", "type": "ATTENDED"}]
    persons = cypher_json(db, "MATCH (p:Person) WHERE p.id IN $ids RETURN p.id AS id, "
                              "p.name AS name, p.honorific AS honorific ORDER BY id",
                          "-p", 'ids=["person-clara-munro", "person-fiona-gault", '
                                '"person-alice-trent", "person-robert-hale"]')
    assert persons == [
        {"id": "person-alice-trent", "name": "Alice Trent", "honorific": "MP"},
        {"id": "person-clara-munro", "name": "Clara Munro", "honorific": "MP"},
        {"id": "person-fiona-gault", "name": "Fiona Gault", "honorific": "MLA"},
        {"id": "person-robert-hale", "name": "Robert Hale", "honorific": "QPM"}]
    phantom = cypher_json(db, "MATCH (p:Person) WHERE p.name IN ['MP', 'KC', 'QC', 'MLA'] "
                              "RETURN p.id AS id")
    assert phantom == []


def test_a_stray_carriage_return_does_not_start_a_line(tmp_path):
    """A terminal shows 'Royal Mail   Official' over the start of line 5; htkg reads
    line numbers as an editor does, and reports the line rather than guess."""
    from hostile import write
    path = write(tmp_path / "line-ends-2020-05-05.txt",
                 "Working Group on Line Ends\n5 May 2020\n\nAttendees:\n"
                 "Home Office   Ann Vale MP CHAIR\rRoyal Mail   Official\nNCA   Official\n\n"
                 "1. Welcome\n1.1 The Chair welcomed members.\nActions: None\n")
    data = review(path)
    assert people(data["attendees"]) == [("NCA", "national-crime-agency", None, None)]
    assert data["warnings"] == [{"line": 5, "message": "unreadable attendee line: "
                                 "'Home Office   Ann Vale MP CHAIR\\rRoyal Ma'"}]
    assert data["items"][0]["paragraphs"] == [{"number": "1.1",
                                               "text": "The Chair welcomed members."}]
