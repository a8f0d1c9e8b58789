"""``htkg export --format neo4j-csv -o DIR`` replaces only what it wrote, and any alias
can be exported (issue 17, classes 4 and low).

It replaced a whole folder that merely held a file named ``import.sh``; now every
exported folder carries a mark file (``.htkg-export``) and only an empty or marked
folder is replaced. An alias holding every array-delimiter candidate broke the
export; now the last candidate, U+001F, is one no stored text can hold.
"""
from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import error_line, run, write  # noqa: E402  (tests/hostile.py)

from htkg.errors import HtkgError  # noqa: E402
from htkg.exports.files import MARK  # noqa: E402
from htkg.exports.interchange import write_neo4j_csv  # noqa: E402
from htkg.graph.model import KnowledgeGraph  # noqa: E402
from htkg.graph.records import Node  # noqa: E402

NOT_OURS = "is a folder that is not empty and holds no previous htkg export"


def export(db, folder):
    return run("export", "--format", "neo4j-csv", "-o", folder, "--db", db)


@pytest.mark.parametrize("case, files", [
    ("an-import-sh-alone", {"import.sh": "#!/bin/sh\necho mine\n"}),
    ("an-import-sh-and-work", {"import.sh": "x", "thesis.tex": "years of work"}),
    ("a-previous-export-without-the-mark", {"import.sh": "x", "README.txt": "x",
                                            "constraints.cypher": "x",
                                            "nodes_Organisation.csv": "id:ID(Organisation)\n"}),
    ("a-mark-that-is-a-folder", {f"{MARK}/inside": "x", "notes.txt": "mine"}),
])
def test_a_folder_htkg_did_not_write_is_left_as_it_is(case, files, registry_store, tmp_path):
    folder = tmp_path / case
    for name, text in files.items():
        write(folder / name, text)
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    error_line(export(registry_store, folder), f"{folder} {NOT_OURS}", "give a new or empty folder")
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [case]     # no temporary folder left


def test_a_mark_that_is_a_link_is_no_mark(registry_store, tmp_path):
    elsewhere = write(tmp_path / "elsewhere" / MARK, "Written by htkg\n")
    folder = tmp_path / "out"
    write(folder / "notes.txt", "mine")
    os.symlink(elsewhere, folder / MARK)
    error_line(export(registry_store, folder), f"{folder} {NOT_OURS}")
    assert (folder / "notes.txt").read_text() == "mine"


def test_a_link_to_an_export_folder_is_refused(registry_store, tmp_path):
    real = tmp_path / "real"
    assert export(registry_store, real).exit_code == 0
    link = tmp_path / "link"
    os.symlink(real, link)
    error_line(export(registry_store, link), f"cannot write {link}: it is a link")
    assert (real / MARK).is_file() and link.is_symlink()


def test_an_export_replaces_its_own_folder_whole_and_nothing_beside_it(registry_store, tmp_path):
    folder = tmp_path / "neo4j-import"
    assert export(registry_store, folder).exit_code == 0
    assert (folder / MARK).read_text(encoding="utf-8").startswith(
        "Written by htkg export --format neo4j-csv.")
    write(folder / "stray.txt", "left inside an export folder")
    # a folder of the user's that happens to bear the name the old code moved exports to
    keep = write(tmp_path / ".neo4j-import.old" / "keep.txt", "mine")
    result = export(registry_store, folder)
    assert result.exit_code == 0, result.output
    assert not (folder / "stray.txt").exists() and (folder / "import.sh").is_file()
    assert keep.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".neo4j-import.old", "neo4j-import"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert export(registry_store, empty).exit_code == 0 and (empty / MARK).is_file()
    a_file = write(tmp_path / "a-file", "text")
    error_line(export(registry_store, a_file), "it is a file, and this format writes a folder")
    assert a_file.read_text() == "text"


def test_aliases_holding_every_delimiter_candidate_export(formula_store, tmp_path):
    folder = tmp_path / "soup"
    result = export(formula_store, folder)
    assert result.exit_code == 0, result.output
    assert "--array-delimiter=U+001F" in (folder / "import.sh").read_text(encoding="utf-8")
    assert "Arrays are delimited by 'U+001F'" in (folder / "README.txt").read_text(encoding="utf-8")
    with open(folder / "nodes_Organisation.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    soup = dict(zip(rows[0], next(r for r in rows if r[0] == "delimiter-soup-trust")))
    assert soup["aliases:string[]"].split("\x1f") == [
        "semi;colon", "pipe|bar", "broken¦bar", "record␞separator", "all ;|¦␞ four"]


def test_a_graph_holding_the_last_delimiter_names_the_entity(tmp_path):
    """Only a graph not built by htkg can hold U+001F (the schema refuses it): the
    export then stops with one line naming where it is."""
    kg = KnowledgeGraph()
    kg.add(Node("Organisation", "odd-body", {"name": "Odd Body", "kind": "ngo",
                                             "aliases": ["a;b|c¦d␞e"]}, "x.yaml:1 (registry)"))
    kg.g.nodes["odd-body"]["props"]["aliases"].append("unit\x1fseparator")
    with pytest.raises(HtkgError) as err:
        write_neo4j_csv(kg, tmp_path / "out")
    assert str(err.value).startswith("cannot write the neo4j-csv export: 'aliases' of "
                                     "Organisation 'odd-body' holds a control character (U+001F)")
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []
