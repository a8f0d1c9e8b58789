"""Code hidden in a saved query's header (issue 17, class 5).

``str.splitlines`` breaks lines at U+2028, U+001E, U+0085 and more, which no editor
shows as a line end: a ``// description:`` holding one hid the Cypher after it from
``htkg queries`` and then ran it. Every such character is refused with file:line,
before the store opens; ``htkg queries --show NAME`` prints exactly what runs.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import dump, error_line, run, write  # noqa: E402  (tests/hostile.py)

MINE = Path(__file__).parent / "fixtures" / "queries" / "mine" / "bodies-in-nation.cypher"
WIPE = "MATCH (n) DETACH DELETE n"
HEADER = ["// name: {name}",
          "// description: Organisations in a nation{hide}",
          "// param: nation (nation, required) the nation",
          "// example: htkg query {name} -p nation=Scotland"]
BODY = ["MATCH (o:Organisation) WHERE $nation IN o.nation", "RETURN o.name AS name ORDER BY name"]


@pytest.fixture(scope="module")
def pristine(registry_store):
    return dump(registry_store)


def query_file(folder: Path, name: str, lines: list[str], hide: str = "") -> Path:
    text = "\n".join(lines).format(name=name, hide=hide) + "\n"
    return write(folder / name / f"{name}.cypher", text)


# (case, character, the line it sits on, where): a separator or control character
# followed by Cypher, in each part of a query file.
HIDDEN = [
    ("line-separator", "\u2028", 2, "description"),
    ("paragraph-separator", "\u2029", 2, "description"),
    ("record-separator", "\x1e", 2, "description"),
    ("group-separator", "\x1d", 2, "description"),
    ("file-separator", "\x1c", 2, "description"),
    ("next-line", "\x85", 2, "description"),
    ("vertical-tab", "\x0b", 2, "description"),
    ("form-feed", "\x0c", 2, "description"),
    ("lone-carriage-return", "\r", 2, "description"),
    ("in-a-param", "\u2028", 3, "param"),
    ("in-an-example", "\x1e", 4, "example"),
    ("in-a-body-comment", "\u2028", 6, "body"),
]


@pytest.mark.parametrize("case, char, line, part", HIDDEN, ids=[c[0] for c in HIDDEN])
def test_code_hidden_after_a_line_breaking_character_is_refused(
        case, char, line, part, registry_store, pristine, tmp_path):
    lines = list(HEADER) + list(BODY)
    hide = f"{char}{WIPE} //"
    if part == "description":
        path = query_file(tmp_path, case, lines, hide=hide)
    else:
        at = {"param": 2, "example": 3, "body": 5}[part]
        lines[at] = lines[at] + hide
        if part == "body":
            lines[at] = BODY[1] + " // note" + hide
        path = query_file(tmp_path, case, lines)
    kind = {"\u2028": "line separator U+2028", "\u2029": "paragraph separator U+2029"}.get(
        char, f"control character U+{ord(char):04X}")
    where = f"{path}:{line}: "
    # Listing the queries shows the refusal, not a description with the code cut off.
    listed = run("queries", "--queries", path.parent)
    error_line(listed, where, kind, "remove it")
    shown = run("queries", "--queries", path.parent, "--show", case)
    error_line(shown, where, kind)
    ran = run("query", case, "--queries", path.parent, "-p", "nation=Scotland",
              "--db", registry_store)
    error_line(ran, where, kind)
    assert dump(registry_store) == pristine


def test_show_prints_the_header_and_the_exact_cypher_that_runs(registry_store, tmp_path):
    lines = list(HEADER) + ["", ""] + list(BODY)
    path = query_file(tmp_path, "shown", lines)
    result = run("queries", "--queries", path.parent, "--show", "shown")
    assert result.exit_code == 0, result.output
    header = "\n".join(HEADER).format(name="shown", hide="")
    assert result.output == header + "\n\n" + "\n".join(BODY) + "\n"
    data = json.loads(run("queries", "--queries", path.parent, "--show", "shown",
                          "--format", "json").output)
    assert data == {"name": "shown", "file": str(path), "header": header,
                    "cypher": "\n".join(BODY)}
    # what --show prints is what runs: the rows of the query and of that Cypher are equal
    ran = run("query", "shown", "--queries", path.parent, "-p", "nation=Wales",
              "--db", registry_store, "--format", "json")
    direct = run("cypher", data["cypher"], "-p", "nation=GB-WLS", "--db", registry_store,
                 "--format", "json")
    assert ran.exit_code == direct.exit_code == 0
    assert json.loads(ran.output) == json.loads(direct.output) != []


def test_show_of_a_windows_file_and_of_a_bundled_query(tmp_path):
    text = MINE.read_text(encoding="utf-8")
    path = write(tmp_path / "crlf" / "bodies-in-nation.cypher", text.replace("\n", "\r\n"))
    result = run("queries", "--queries", path.parent, "--show", "bodies-in-nation")
    assert result.exit_code == 0, result.output
    header = [line for line in text.split("\n") if line.startswith("//")]
    body = [line for line in text.split("\n") if line and not line.startswith("//")]
    assert result.output == "\n".join(header) + "\n\n" + "\n".join(body) + "\n"
    assert "\r" not in result.output
    bundled = run("queries", "--show", "country-links")
    assert bundled.exit_code == 0
    from htkg.queries.catalogue import BUNDLED
    lines = (BUNDLED / "country-links.cypher").read_text(encoding="utf-8").split("\n")
    assert ([ln for ln in bundled.output.split("\n") if ln.strip()]
            == [ln.rstrip() for ln in lines if ln.strip()])


def test_show_of_an_unknown_query_names_the_near_ones():
    result = run("queries", "--show", "country-link")
    error_line(result, None, "no saved query 'country-link'", "did you mean 'country-links'")


def test_tab_is_still_allowed_in_a_header(tmp_path):
    lines = list(HEADER) + list(BODY)
    lines[1] = lines[1] + "\tand more"
    path = query_file(tmp_path, "tabbed", lines)
    result = run("queries", "--queries", path.parent, "--format", "json")
    assert result.exit_code == 0, result.output
    mine = next(q for q in json.loads(result.output) if q["name"] == "tabbed")
    assert mine["description"] == "Organisations in a nation\tand more"
