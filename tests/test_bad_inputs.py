"""Bad input for every loader, through `htkg build` (and `htkg query` for saved queries).

Every file here either meets a one-line "Error: <file>[:<line>]: ..." that says what
to do, with the store left exactly as it was (compared by a full dump of nodes and
relationships), or is valid data a loader accepts (with a warning where it had to
guess): then its hostile text is stored verbatim, read back through `htkg cypher`
with the text passed as a parameter, and nothing in it ever ran as Cypher.

The corpus: small files in tests/fixtures/bad/ (hostile names, missing keys and
columns, cut-off files), and variants generated here from good files (UTF-16,
Latin-1 with accents, a PNG header, a NUL byte, a 5 MB line, a file cut mid-line)
for each kind of input: registry YAML, minutes text, the NRM referral, Duty to
Notify and longitudinal tables, Turtle, JSON-LD and N-Triples, GOV.UK Organisations
API JSON, and saved queries.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main

TESTS = Path(__file__).parent
FIX = TESTS / "fixtures" / "bad"
NRM_GOOD = TESTS / "fixtures" / "nrm" / "good"
GEOGRAPHY = TESTS / "fixtures" / "geography"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8
HUGE = 5_000_000
# As tests/test_build.py: every node with each outgoing relationship, properties included.
DUMP = ("MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN n.id AS id, properties(n) AS props, type(r) AS type, m.id AS target, "
        "properties(r) AS rprops ORDER BY id, type, target, rprops.key")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def cypher_json(db, query, *params):
    result = run("cypher", query, "--db", db, "--format", "json", *params)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def dump(db) -> list[str]:
    """The store's whole content as sorted JSON lines (list order inside a property aside)."""
    rows = cypher_json(db, DUMP)
    for row in rows:
        for props in (row["props"], row["rprops"] or {}):
            for k, v in props.items():
                if isinstance(v, list):
                    props[k] = sorted(map(str, v))
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


# kind -> (good file, name of a variant, 1-based line and the text on it that the
# variants damage). Names carry what routes them: suffix, NRM prefix, period.
BASES = {
    "registry": (FIX / "registry" / "base-bodies.yaml", "bodies-{v}.yaml", 5,
                 "Bad Input Test Trust"),
    "minutes": (FIX / "minutes" / "base-2016-05-12.txt", "minutes-{v}-2016-05-12.txt", 6,
                "Rowena Hart"),
    "referrals": (NRM_GOOD / "nrm_referrals_ngo_2023_q4.csv", "nrm_referrals_{v}_2023_q4.csv",
                  3, "Vietnamese"),
    "duty-to-notify": (NRM_GOOD / "nrm_duty_to_notify_2023_q4.csv",
                       "nrm_duty_to_notify_{v}_2023_q4.csv", 3, "Albanian Greek"),
    "longitudinal": (NRM_GOOD / "nrm_referrals_longitudinal.csv",
                     "nrm_referrals_longitudinal_{v}.csv", 3, "Adult (18 or over)"),
    "dtn-longitudinal": (NRM_GOOD / "nrm_duty_to_notify_longitudinal.csv",
                         "nrm_duty_to_notify_longitudinal_{v}.csv", 2, "1000"),
    "geography": (GEOGRAPHY / "lad19_csp19_pfa19_england_wales.csv", "lad19_pfa19_{v}.csv", 3,
                  "Barrow-in-Furness"),
    "councils": (GEOGRAPHY / "uk_local_authorities_mysociety.csv", "councils_{v}.csv", 3,
                 "Barrow-in-Furness Borough Council"),
    "turtle": (TESTS / "fixtures" / "export" / "hand-written.ttl", "graph-{v}.ttl", 9,
               "Example Outreach Project"),
    "jsonld": (FIX / "rdf" / "base.jsonld", "graph-{v}.jsonld", 4, "JSON-LD Test Trust"),
    "govuk": (FIX / "govuk" / "base-page.json", "govuk-{v}.json", 5, "Bad Input Test Agency"),
    "query": (TESTS / "fixtures" / "queries" / "mine" / "bodies-in-nation.cypher",
              "{v}/bodies-in-nation.cypher", 2, "Organisations whose"),
}


def variant(kind: str, how: str) -> tuple[str, bytes]:
    """(file name, bytes) of a damaged copy of the kind's good file."""
    base, name, line, value = BASES[kind]
    text = base.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert value in lines[line - 1], (kind, lines[line - 1])
    name = name.format(v=how)
    if how == "utf16":
        return name, text.encode("utf-16")
    if how == "binary":
        return name, PNG
    if how == "truncated":   # cut in the middle of the damaged line's value
        cut = lines[line - 1].index(value) + len(value) // 2
        return name, "\n".join(lines[:line - 1] + [lines[line - 1][:cut]]).encode()
    suffix = {"latin1": " Café", "nul": "\x00", "huge": "A" * HUGE}[how]
    lines[line - 1] = lines[line - 1].replace(value, value + suffix, 1)
    return name, "\n".join(lines).encode("latin-1" if how == "latin1" else "utf-8")


def test_the_good_files_the_variants_start_from_load():
    import htkg
    from htkg.queries.catalogue import read_query
    given = [base for kind, (base, *_) in BASES.items() if kind != "query"]
    report = htkg.load(given, figures=False)
    # Each file once, beside the bundled registry and reference data.
    loaded = sorted(f.path for f in report.files if f.path in map(str, given))
    assert loaded == sorted(map(str, given))
    assert not report.skipped
    assert read_query(BASES["query"][0]).name == "bodies-in-nation"


# -- refused inputs: (case, file, line or None, words the message must hold) ------------------
# A file is either generated ("kind:variant") or under tests/fixtures/bad.
REFUSED = [
    # registry YAML
    ("registry:utf16", 1, ["UTF-16 text", "save the file as UTF-8"]),
    ("registry:latin1", 5, ["not UTF-8 text", "save the file as UTF-8"]),
    ("registry:binary", 3, ["binary data", "not YAML text"]),
    ("registry:nul", 5, ["binary data", "not YAML text"]),
    ("registry:huge", 4, ["5,000,020 characters", "more than the 2,000", "broken"]),
    ("registry:truncated", 4, ["missing required property: kind"]),
    ("registry/truncated.yaml", 6, ["not valid YAML", "correct the YAML"]),
    ("registry/entry-cut-short.yaml", 4, ["missing required property: name"]),
    ("registry/no-id.yaml", 3, ["entry has no 'id'"]),
    ("registry/no-entries.yaml", 2, ["a mapping with 'label' and 'entries'"]),
    ("registry/hostile-id.yaml", 4, ["expected a slug", "DETACH DELETE"]),
    ("registry/hostile-target.yaml", 7, ["WORKS_WITH refers to unknown entity"]),
    ("registry/hostile-key.yaml", 4, ["has no property 'name`: 1}) DETACH DELETE n //'"]),
    ("registry/hostile-label.yaml", 3, ["unknown label 'Organisation`) DETACH DELETE n //'"]),
    ("registry/escape-sequence.yaml", 4, ["control character U+001B", "remove it"]),
    ("registry/nul-escape.yaml", 4, ["control character U+0000", "remove it"]),
    # minutes text
    ("minutes:utf16", None, ["UTF-16 text", "save the file as UTF-8"]),
    # One encoding policy for every reader (htkg.textfile): cp1252 is refused too.
    ("minutes:latin1", 6, ["not UTF-8 text (byte 0xe9)", "save the minutes as plain text in UTF-8"]),
    ("minutes:binary", None, ["it reads: registry", "this file is binary data, not text"]),
    ("minutes:nul", None, ["binary file, not minutes as text", "plain text"]),
    ("minutes:truncated", None, ["does not know this kind of file",
                                 "meeting minutes as text, with attendees and numbered items"]),
    ("minutes/truncated-2016-05-12.txt", None, ["does not know this kind of file"]),
    ("minutes/no-date.txt", None, ["no meeting date found", "a date line such as"]),
    # NRM referral tables
    ("referrals:utf16", 1, ["UTF-16 text", "'CSV UTF-8'"]),
    ("referrals:latin1", 3, ["not UTF-8 text (byte 0xe9)", "'CSV UTF-8'"]),
    ("referrals:binary", 3, ["binary data (a NUL byte)", "'CSV UTF-8'"]),
    ("referrals:nul", 3, ["binary data (a NUL byte)", "'CSV UTF-8'"]),
    ("referrals:huge", 3, ["a value longer than 131,072 characters", "download it again"]),
    ("referrals:truncated", 3, ["ends in the middle of a line", "download it again"]),
    ("nrm/nrm_referrals_truncated_2023_q4.csv", 3, ["ends in the middle of a line"]),
    ("nrm/nrm_referrals_missing-column_2023_q4.csv", 1, ["missing column 'Gender'",
                                                         "needs the columns"]),
    ("nrm/nrm_referrals_hostile-gender_2023_q4.csv", 3, ["unknown gender '<b>Male</b>'"]),
    ("referrals-escape", 3, ["control character U+001B", "remove it"]),
    # NRM Duty to Notify and longitudinal tables
    ("duty-to-notify:utf16", 1, ["UTF-16 text", "'CSV UTF-8'"]),
    ("duty-to-notify:latin1", 3, ["not UTF-8 text (byte 0xe9)"]),
    ("duty-to-notify:binary", 3, ["binary data (a NUL byte)"]),
    ("duty-to-notify:nul", 3, ["binary data (a NUL byte)"]),
    ("duty-to-notify:huge", 3, ["a value longer than 131,072 characters"]),
    ("duty-to-notify:truncated", 3, ["ends in the middle of a line"]),
    ("nrm/nrm_duty_to_notify_truncated_2023_q4.csv", 3, ["ends in the middle of a line"]),
    ("nrm/nrm_duty_to_notify_missing-column_2023_q4.csv", 1, ["missing column 'Total'"]),
    ("longitudinal:utf16", 1, ["UTF-16 text"]),
    ("longitudinal:binary", 3, ["binary data (a NUL byte)"]),
    ("longitudinal:nul", 3, ["binary data (a NUL byte)"]),
    ("longitudinal:latin1", 3, ["not UTF-8 text (byte 0xe9)"]),
    ("longitudinal:huge", 3, ["a value longer than 131,072 characters"]),
    ("longitudinal:truncated", 3, ["ends in the middle of a line"]),
    ("nrm/nrm_referrals_longitudinal_missing-column.csv", 1,
     ["missing column 'Location of exploitation'"]),
    ("nrm/nrm_referrals_longitudinal_hostile-age.csv", 3,
     ["unknown age '<img src=x onerror=alert(1)>'"]),
    ("nrm/nrm_referrals_longitudinal_hostile-year.csv", 2, ["'Year' is not a year", "fix the row"]),
    ("dtn-longitudinal:utf16", 1, ["UTF-16 text"]),
    ("dtn-longitudinal:latin1", 2, ["not UTF-8 text (byte 0xe9)"]),
    ("dtn-longitudinal:huge", 2, ["a value longer than 131,072 characters"]),
    ("dtn-longitudinal:binary", 3, ["binary data (a NUL byte)"]),
    ("dtn-longitudinal:nul", 2, ["binary data (a NUL byte)"]),
    ("dtn-longitudinal:truncated", 2, ["ends in the middle of a line"]),
    ("nrm/nrm_duty_to_notify_longitudinal_truncated.csv", 3, ["ends in the middle of a line"]),
    ("nrm/nrm_duty_to_notify_longitudinal_hostile-quarter.csv", 3,
     ["'Quarter' is not Q1-Q4 or Total: 'Q5; DROP DATABASE neo4j'"]),
    # the official geography: an ONS lookup, mySociety's councils
    ("geography:utf16", None, ["UTF-16 text", "save the file as UTF-8"]),
    ("geography:latin1", 3, ["not UTF-8 text (byte 0xe9)", "'CSV UTF-8'"]),
    ("geography:binary", None, ["this file is binary data, not text"]),
    ("geography:nul", 3, ["binary data (a NUL byte)", "'CSV UTF-8'"]),
    ("geography:huge", 3, ["a value longer than 131,072 characters", "download it again"]),
    ("geography:truncated", 3, ["ends in the middle of a line", "download it again"]),
    ("geography/pfa-bad-code.csv", 3, ["'PFA19CD' is not a GSS code", "'E23 000039'"]),
    ("councils:utf16", None, ["UTF-16 text", "save the file as UTF-8"]),
    ("councils:latin1", 3, ["not UTF-8 text (byte 0xe9)", "'CSV UTF-8'"]),
    ("councils:binary", None, ["this file is binary data, not text"]),
    ("councils:nul", 3, ["binary data (a NUL byte)", "'CSV UTF-8'"]),
    ("councils:huge", 3, ["a value longer than 131,072 characters"]),
    ("councils:truncated", 3, ["ends in the middle of a line"]),
    ("geography/councils-missing-column.csv", 1, ["missing column nation",
                                                  "mySociety's list of councils"]),
    # RDF
    ("turtle:utf16", 1, ["UTF-16 text", "save the file as UTF-8"]),
    ("turtle:latin1", 9, ["not UTF-8 text (byte 0xe9)", "save the file as UTF-8"]),
    ("turtle:binary", 3, ["binary data (a NUL byte), not RDF text"]),
    ("turtle:nul", 9, ["binary data (a NUL byte), not RDF text"]),
    ("turtle:huge", None, ["property 'name': 5,000,024 characters"]),
    ("turtle:truncated", None, ["not valid turtle", "export it again"]),
    ("rdf/truncated.ttl", 5, ["not valid turtle: newline found in string literal"]),
    ("rdf/no-name.ttl", None, ["missing required property: name"]),
    ("rdf/hostile-iri.ttl", None, ["expected a slug", "DETACH DELETE"]),
    ("rdf/nul-escape.ttl", None, ["control character U+0000", "remove it"]),
    ("rdf/bad-line.nt", None, ["not valid nt", "correct the file"]),
    ("jsonld:utf16", 1, ["UTF-16 text"]),
    ("jsonld:latin1", 4, ["not UTF-8 text (byte 0xe9)"]),
    ("jsonld:binary", 3, ["binary data (a NUL byte), not RDF text"]),
    ("jsonld:nul", 4, ["binary data (a NUL byte), not RDF text"]),
    ("jsonld:huge", None, ["property 'name': 5,000,018 characters"]),
    ("jsonld:truncated", 4, ["not valid JSON", "truncated"]),
    ("rdf/truncated.jsonld", 3, ["not valid JSON", "truncated"]),
    ("rdf/remote-context.jsonld", None, ["would be fetched from elsewhere", "htkg fetches nothing",
                                         "write the context into the file"]),
    # GOV.UK Organisations API JSON
    ("govuk:utf16", None, ["UTF-16 text", "save the file as UTF-8"]),
    ("govuk:latin1", 5, ["not UTF-8 text (byte 0xe9)", "save the GOV.UK Organisations API's"]),
    ("govuk:binary", None, ["does not know this kind of file", "this file is binary data"]),
    ("govuk:nul", 5, ["binary data (a NUL byte), not JSON text"]),
    ("govuk:huge", None, ["record 'bad-input-test-agency'", "property 'name': 5,000,021 characters"]),
    ("govuk:truncated", 5, ["not valid JSON", "the file ends too soon: is it cut short?"]),
    ("govuk/truncated-page.json", 6, ["not valid JSON: unterminated string at column 17",
                                      "cut short"]),
    ("govuk/not-the-api.json", None, ["record 1 has no 'details'",
                                      "save the GOV.UK Organisations API's answer again"]),
    ("govuk/results-not-a-list.json", None, ["not the GOV.UK Organisations API's answer",
                                             "'results' is a JSON dict, not a list"]),
    ("govuk/hostile-slug-page.json", None, ["expected a slug", "DETACH DELETE"]),
    ("govuk/escape-page.json", None, ["record 'bad-input-govuk-escape'",
                                      "control character U+001B", "remove it"]),
]
# Saved queries, read through --queries by `htkg query`: refused before the store opens.
QUERIES_REFUSED = [
    ("query:utf16", 1, ["UTF-16 text", "save the .cypher file as UTF-8"]),
    ("query:latin1", 2, ["not UTF-8 text (byte 0xe9)", "save the .cypher file as UTF-8"]),
    ("query:binary", 3, ["binary data (a NUL byte), not a saved query"]),
    ("query:nul", 2, ["binary data (a NUL byte), not a saved query"]),
    ("query:huge", 2, ["a line of 5,000,", "is this the right file?"]),
    ("query:truncated", 1, ["the header has no 'example:' line"]),
    ("queries/truncated/cut-short.cypher", 1, ["the header has no 'example:' line"]),
    ("queries/no-example/no-example.cypher", 1, ["the header has no 'example:' line"]),
    ("queries/bad-name/bad-name.cypher", 1, ["must be lower-case letters, digits and hyphens"]),
    ("queries/backtick-param/backtick-param.cypher", 3, ["a parameter is written 'NAME (TYPE"]),
    ("query-escape", 2, ["control character U+001B", "remove it"]),
]


def make(case: str, where: Path) -> Path:
    """The file of a case, written under ``where`` when it is generated."""
    if case == "referrals-escape":      # a terminal escape in a value that would be stored
        good = NRM_GOOD / "nrm_referrals_ngo_2023_q4.csv"
        header = good.read_text(encoding="utf-8").split("\n")[0]
        rows = [header, "NGO and third sector,The Salvation Army,Total,Total,Total,Albanian,4",
                "NGO and third sector,The Salvation Army,Labour\x1b[2J,Total,Total,Albanian,4"]
        name, data = "nrm_referrals_escape_2023_q4.csv", "\n".join(rows + [""]).encode()
    elif case == "query-escape":
        name, data = variant("query", "nul")
        name, data = "escape/bodies-in-nation.cypher", data.replace(b"\x00", b"\x1b[2J")
    elif ":" in case:
        name, data = variant(*case.split(":"))
    else:
        return FIX / case
    path = where / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> str:
    """An embedded store of the bundled registry and reference data (not the figures),
    built once: every refused input is built against it and must leave it as it was."""
    db = tmp_path_factory.mktemp("bad-input-store") / "store"
    result = run("build", "--db", db, "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    return str(db)


@pytest.fixture(scope="session")
def pristine(store) -> list[str]:
    return dump(store)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bad-inputs")


def one_line_error(result, path: Path, line: int | None, words: list[str]) -> str:
    assert result.exit_code == 1, result.output
    out = result.output.strip()
    assert "\n" not in out and out.startswith("Error: "), out[:2000]
    assert "Traceback" not in out
    where = f"{path.name}:{line}: " if line is not None else f"{path.name}: "
    assert where in out, f"expected {where!r} in {out[:600]!r}"
    for w in words:
        assert w in out, f"expected {w!r} in {out[:600]!r}"
    assert len(out) < 2000      # one readable line, never the file's content
    return out


@pytest.mark.parametrize("case, line, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_input_is_one_clear_line_and_the_store_is_unchanged(
        case, line, words, store, pristine, corpus):
    path = make(case, corpus)
    result = run("build", path, "--db", store, "--no-map", "--no-figures")
    one_line_error(result, path, line, words)
    assert dump(store) == pristine


@pytest.mark.parametrize("case, line, words", QUERIES_REFUSED, ids=[c[0] for c in QUERIES_REFUSED])
def test_refused_saved_query_is_one_clear_line_and_the_store_is_unchanged(
        case, line, words, store, pristine, corpus):
    path = make(case, corpus)
    result = run("query", path.stem, "--queries", path.parent, "-p", "nation=Scotland",
                 "--db", store)
    one_line_error(result, path, line, words)
    assert dump(store) == pristine


def test_every_kind_meets_every_damage():
    """The corpus damages every kind of input in each way (minutes read one with a warning)."""
    cases = {c for c, _, _ in REFUSED + QUERIES_REFUSED} | set(ACCEPTED)
    for kind in BASES:
        done = {c.split(":")[1] for c in cases if c.startswith(kind + ":")}
        assert done == {"utf16", "latin1", "binary", "nul", "huge", "truncated"}, kind


def test_writing_saved_query_and_hostile_parameters_change_nothing(store, pristine):
    writes = TESTS / "fixtures" / "queries" / "writes"
    result = run("query", "sneaky-write", "--queries", writes, "-p",
                 "name='}) MATCH (n) DETACH DELETE n //", "--db", store)
    assert result.exit_code == 1 and "only reads" in result.output
    result = run("query", "organisation-profile", "-p",
                 "organisation='}) MATCH (n) DETACH DELETE n //", "--db", store)
    assert result.exit_code == 1 and "Error: " in result.output
    result = run("cypher", "MATCH (n {name: $name}) RETURN n.id AS id", "-p",
                 "name=x'}) MATCH (n) DETACH DELETE n //", "--db", store, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output) == []
    assert dump(store) == pristine


# -- accepted inputs: hostile names are data, stored as written ------------------------------
ACCEPTED = ["registry/hostile-names.yaml", "minutes/hostile-2016-06-14.txt",
            "geography/hostile-councils.csv",
            "nrm/nrm_referrals_hostile_2023_q3.csv", "nrm/nrm_duty_to_notify_hostile_2023_q3.csv",
            "rdf/hostile-names.ttl", "minutes:huge", "govuk/hostile-names-page.json"]


@pytest.fixture(scope="session")
def accepted(tmp_path_factory, corpus) -> tuple[str, str]:
    """(store, build output) of one build of every accepted hostile or damaged file."""
    db = tmp_path_factory.mktemp("hostile-store") / "store"
    result = run("build", *[make(c, corpus) for c in ACCEPTED], "--db", db, "--no-map",
                 "--no-figures")
    assert result.exit_code == 0, result.output[-3000:]
    return str(db), result.output


FIND = "MATCH (n) WHERE n.name = $name OR $name IN n.aliases RETURN n.id AS id ORDER BY id"


@pytest.mark.parametrize("name, entity", [
    ("<img src=x onerror=alert(1)> Trust", "bad-input-hostile-markup"),
    ("'}) DETACH DELETE n //", "bad-input-hostile-markup"),
    ("$param OR 1=1", "bad-input-hostile-markup"),
    ("`backtick` MATCH (m) DETACH DELETE m", "bad-input-hostile-markup"),
    ("A [/bold] [red]Rich[/red] :pile_of_poo: Trust", "bad-input-hostile-rich"),
    ("\u202eevil\u202c Reversed Trust", "bad-input-hostile-rich"),
    ("<svg onload=alert(1)> RDF Trust", "bad-input-rdf-hostile"),
    ("'}) MATCH (n) DETACH DELETE n //", "bad-input-rdf-hostile"),
    ("$param `tick` RDF", "bad-input-rdf-hostile"),
    ("\u202eevil\u202c RDF", "bad-input-rdf-hostile"),
    ("<img src=x onerror=alert(1)> Council", "img-src-x-onerror-alert-1-council"),
    ("'}) MATCH (c) DETACH DELETE c // Council", "img-src-x-onerror-alert-1-council"),
    ("A [/bold] Council", "img-src-x-onerror-alert-1-council"),
    ("\u202eevil\u202c Council", "img-src-x-onerror-alert-1-council"),
    ("Ann <b>Vale</b>", "person-ann-b-vale-b"),
    ("$param `Backtick` Jones", "person-param-backtick-jones"),
    ("Sara \u202eevil\u202c Khan", "person-sara-evil-khan"),
    ("Tom [/bold] Reed", "person-tom-bold-reed"),
    ("<img src=x onerror=alert(1)> GOV.UK Body", "bad-input-govuk-markup"),
    ("'}) MATCH (g) DETACH DELETE g //", "bad-input-govuk-markup"),
    ("A [/bold] [red]Rich[/red] :pile_of_poo: GOV.UK Body", "bad-input-govuk-rich"),
    ("$param `tick`", "bad-input-govuk-rich"),
])
def test_hostile_names_are_stored_verbatim(accepted, name, entity):
    db, _ = accepted
    assert cypher_json(db, FIND, "-p", f"name={name}") == [{"id": entity}]


def test_hostile_values_of_relationships_and_actions_are_stored_verbatim(accepted):
    db, _ = accepted
    expl = "<b>Labour</b>'}) DETACH DELETE n // $x `y`"
    rows = cypher_json(db, "MATCH (o)-[r:REFERRED {exploitation: $x}]->(c) "
                           "RETURN o.id AS o, c.id AS c, r.people AS people", "-p", f"x={expl}")
    assert rows == [{"o": "the-salvation-army", "c": "country-al", "people": 4}]
    # The registry's hostile alias is a name like any other: the NRM responder written
    # so resolves to it.
    rows = cypher_json(db, "MATCH (o {id: $id})-[r:REFERRED]->(c) RETURN c.id AS c, "
                           "r.exploitation AS x, r.people AS people",
                       "-p", "id=bad-input-hostile-markup")
    assert rows == [{"c": "country-al", "x": "Labour", "people": 3}]
    rows = cypher_json(db, "MATCH (a:Action) WHERE a.text CONTAINS $x RETURN a.text AS t",
                       "-p", "x='}) DETACH DELETE n // note")
    assert rows == [{"t": "Home Office to circulate the '}) DETACH DELETE n // note by June."}]
    rows = cypher_json(db, "MATCH (o {id: $id}) RETURN o.frontline_context AS f",
                       "-p", "id=bad-input-hostile-markup")
    assert rows == [{"f": "<script>alert(1)</script> [/bold] {{template}}"}]


def test_hostile_names_ran_nothing(accepted, pristine):
    """Every entity of the registry is still there, with every relationship."""
    db, _ = accepted
    before = [json.loads(r) for r in pristine]
    after = [json.loads(r) for r in dump(db)]
    assert {r["id"] for r in before} <= {r["id"] for r in after}
    rels = {(r["id"], r["type"], r["target"], r["rprops"]["key"]) for r in before if r["type"]}
    assert rels <= {(r["id"], r["type"], r["target"], r["rprops"]["key"])
                    for r in after if r["type"]}


def test_build_summary_prints_hostile_names_as_written(accepted):
    _, out = accepted
    # Unresolved names are listed as written: markup is not interpreted, no emoji.
    for text in ["first responder '[/bold] $param `Evil` Org'",
                 "first responder 'Rtl \u202eevil\u202c Org'",
                 "nationality '<img src=x onerror=alert(1)>'}) DETACH DELETE n //'",
                 "nationality '[/bold] $param `x`'",
                 "organisation or person '<img src=x onerror=alert(1)>'"]:
        assert text in out, text
    assert ":pile_of_poo:" in out and "[red]Rich" in out      # the sample query's table
    # The warnings of the damaged minutes that were read.
    assert "warning: line 6: a line of 5,000,018 characters" in out


def test_table_output_shows_hostile_names_as_written(accepted):
    db, _ = accepted
    result = run("cypher", "MATCH (o {id: $id}) RETURN o.name AS name", "-p",
                 "id=bad-input-hostile-rich", "--db", db)
    assert result.exit_code == 0
    assert "A [/bold] [red]Rich[/red] :pile_of_poo: Trust" in result.output


def test_hostile_saved_query_text_is_shown_and_passed_as_written(store, pristine):
    folder = FIX / "queries" / "hostile"
    result = run("queries", "--queries", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    mine = [q for q in json.loads(result.output) if q["name"] == "echo-text"]
    assert mine[0]["description"] == ("<img src=x onerror=alert(1)> [/bold] '}) DETACH DELETE n "
                                      "// $notaparam `tick`")
    for text in ["'}) MATCH (n) DETACH DELETE n //", "$param `tick` \u202eevil\u202c",
                 "<img src=x onerror=alert(1)> [/bold]"]:
        result = run("query", "echo-text", "--queries", folder, "-p", f"text={text}",
                     "--db", store, "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == [{"text": text}]
    assert dump(store) == pristine
