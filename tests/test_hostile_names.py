"""A registry name that passes for another body's (issue 17, low).

A name differing from an existing body's only by an invisible character (a
zero-width space, a soft hyphen, a bidi mark, a no-break space for a space) was
accepted as a new body that lists exactly like the first. It is refused with
file:line naming the body it collides with; names are resolved the same way, so
such a name finds the body it looks like.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import dump, error_line, run, write  # noqa: E402  (tests/hostile.py)

HOME = "home-office, govuk_organisations_2026-02-02.json#home-office"   # GOV.UK names it


def registry_file(folder: Path, label: str, entries: list[dict]) -> Path:
    lines = [f"label: {label}", "entries:"]
    for e in entries:
        lines.append(f"  - id: {e['id']}")
        lines += [f"    {k}: {json.dumps(v, ensure_ascii=True)}" for k, v in e.items() if k != "id"]
    return write(folder / "mine.yaml", "\n".join(lines) + "\n")


def body(entity_id: str, name: str, **more) -> dict:
    return {"id": entity_id, "name": name, "kind": "department",
            "citation": "https://example.org/lookalike", **more}


@pytest.fixture(scope="module")
def pristine(registry_store):
    return dump(registry_store)


# (case, label, entries, line of the refused entry, words of the error)
REFUSED = [
    ("soft-hyphen", "Organisation", [body("home-office-2", "Home Of\u00adfice")], 3,
     ["name 'Home Of\\xadfice' differs from 'Home Office' (" + HOME, "(U+00AD)"]),
    ("zero-width-space", "Organisation", [body("home-office-2", "Ho\u200bme Office")], 3,
     ["(U+200B)"]),
    ("trailing-left-to-right-mark", "Organisation", [body("home-office-2", "Home Office\u200e")], 3,
     ["(U+200E)"]),
    ("bidi-isolates", "Organisation", [body("home-office-2", "\u2066Home Office\u2069")], 3,
     ["(U+2066, U+2069)"]),
    ("no-break-space", "Organisation", [body("home-office-2", "Home\u00a0Office")], 3,
     ["(U+00A0)"]),
    ("narrow-no-break-space", "Organisation", [body("royal-mail-2", "Royal\u202fMail")], 3,
     ["differs from 'Royal Mail' (royal-mail, data/registry/", "(U+202F)"]),
    ("byte-order-mark", "Organisation", [body("royal-mail-2", "\ufeffRoyal Mail")], 3,
     ["(U+FEFF)"]),
    ("word-joiner", "Organisation", [body("royal-mail-2", "Royal\u2060 Mail")], 3, ["(U+2060)"]),
    ("an-alias", "Organisation", [body("nca-2", "Not The Agency", aliases=["N\u200bCA"])], 3,
     ["name 'N\\u200bCA' differs from 'NCA' (national-crime-agency", "(U+200B)"]),
    ("a-person", "Person", [{"id": "person-mark-harper-2", "name": "Mark\u00a0Harper",
                            "citation": "https://example.org/p"}], 3,
     ["Person 'person-mark-harper-2'", "differs from 'Mark Harper' (person-mark-harper"]),
    ("within-one-file", "Organisation", [body("example-trust", "Example Trust"),
                                         body("example-trust-2", "Example\u200b Trust")], 7,
     ["Organisation 'example-trust-2'", "differs from 'Example Trust' (example-trust, ",
      "mine.yaml:3)"]),
]


@pytest.mark.parametrize("case, label, entries, line, words", REFUSED,
                         ids=[c[0] for c in REFUSED])
def test_a_lookalike_of_another_body_is_refused(case, label, entries, line, words, tmp_path,
                                                registry_store, pristine):
    path = registry_file(tmp_path, label, entries)
    result = run("build", path, "--db", registry_store, "--no-map", "--no-figures")
    error_line(result, f"{path}:{line}: ", *words, "to add to that body use its id")
    assert dump(registry_store) == pristine


@pytest.fixture(scope="module")
def homonym_store(tmp_path_factory) -> str:
    """Two people called Sam Carter (a homonym is not a lookalike), and a body of its own."""
    folder = tmp_path_factory.mktemp("homonyms")
    path = registry_file(folder, "Person", [
        {"id": "person-sam-carter-nca", "name": "Sam Carter", "citation": "https://example.org/1"},
        {"id": "person-sam-carter-cps", "name": "Sam Carter", "citation": "https://example.org/2"},
    ])
    db = folder / "store"
    result = run("build", path, "--db", db, "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    return str(db)


def test_a_homonym_is_accepted_and_show_asks_which(homonym_store):
    result = run("show", "Sam Carter", "--db", homonym_store)
    error_line(result, "Error: 'Sam Carter' could mean several: Sam Carter "
                       "(person-sam-carter-cps), Sam Carter (person-sam-carter-nca); give the id")
    shown = run("show", "person-sam-carter-nca", "--db", homonym_store)
    assert shown.exit_code == 0
    assert shown.output.split("\n")[0] == "Sam Carter  [Person] id=person-sam-carter-nca"


@pytest.mark.parametrize("written", ["Ho\u200bme Of\u00adfice", "Home\u00a0Office\u200e",
                                     "\u2066HOME OFFICE\u2069", "Ｈｏｍｅ Office"])
def test_names_with_invisible_characters_resolve_to_the_body_they_look_like(written,
                                                                            registry_store):
    result = run("query", "organisation-profile", "-p", f"organisation={written}",
                 "--db", registry_store, "--format", "json")
    plain = run("query", "organisation-profile", "-p", "organisation=home-office",
                "--db", registry_store, "--format", "json")
    assert result.exit_code == plain.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(plain.output) != []
    shown = run("show", written, "--db", registry_store)
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("Home Office  [Organisation] id=home-office\n")


def test_minutes_resolve_an_attendee_body_written_with_invisible_characters(tmp_path):
    path = write(tmp_path / "lookalike-2020-01-15.txt",
                 "Working Group on Invisible Characters\n15 January 2020\n\nAttendees:\n"
                 "Ho\u200bme Of\u00adfice   Ann Vale MP CHAIR\nRoyal\u00a0Mail   Official\n\n"
                 "1. Welcome\n1.1 The Chair welcomed members.\nActions: None\n")
    result = run("minutes", path, "--format", "json")
    assert result.exit_code == 0, result.output
    attendees = json.loads(result.output)["attendees"]
    assert [a["organisation_id"] for a in attendees] == ["home-office", "royal-mail"]
