"""YAML that expands or hides (issue 17, class 7, and class 5 for YAML).

A 511-byte registry file of nested aliases took more than 5 GB and two minutes.
Every YAML htkg reads goes through htkg.yamlfile, which refuses anchors and aliases
(from the parser's events, before anything is built) and characters that end or
hide a line, each with file:line and what to do.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import dump, error_line, run, write  # noqa: E402  (tests/hostile.py)

from htkg.errors import LoadError, SchemaError  # noqa: E402
from htkg.schema.model import parse_schema  # noqa: E402
from htkg.yamlfile import parse_yaml  # noqa: E402

ENTRY = ("- id: yaml-test-trust\n  name: YAML Test Trust\n  kind: ngo\n"
         "  citation: https://example.org/yaml\n")


def bomb(levels: int = 9, width: int = 9) -> str:
    """Each level a list of ``width`` aliases of the level before: width**levels leaves."""
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(width))}]")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def pristine(registry_store):
    return dump(registry_store)


def test_an_alias_bomb_is_refused_at_once_and_in_little_memory(tmp_path, registry_store,
                                                               pristine):
    path = write(tmp_path / "organisations.yaml", bomb())
    assert len(path.read_bytes()) < 600            # 9**8 = 43 million leaves if expanded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = run("build", path, "--db", registry_store, "--no-map", "--no-figures")
    assert time.perf_counter() - started < 30
    # expanded, it took more than 5 GB; refused, far less than 1 GB (the JVM may grow a little)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 1_000_000   # KB
    error_line(result, f"{path}:1: ", "an anchor '&a0'", "anchors and aliases",
               "write the values out in full")
    assert dump(registry_store) == pristine


# (case, YAML text, line, words): anchors and aliases anywhere a registry file may hold one
REFUSED = [
    ("anchor-on-an-entry", "- &body\n" + ENTRY[2:], 1, ["an anchor '&body'"]),
    ("alias-as-a-value", ENTRY + "  aliases: *names\n", 5, ["an alias '*names'"]),
    ("merge-key", ENTRY + "- <<: *base\n  id: second-trust\n", 5, ["an alias '*base'"]),
    ("anchor-in-a-mapping-file",
     "label: Organisation\nentries: &all\n  - id: x-trust\n    name: X\n", 2,
     ["an anchor '&all'"]),
    ("alias-in-a-flow-list", ENTRY + "  aliases: [a, *b]\n", 5, ["an alias '*b'"]),
]


@pytest.mark.parametrize("case, text, line, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_anchors_and_aliases_are_refused_with_the_line(case, text, line, words, tmp_path,
                                                       registry_store, pristine):
    path = write(tmp_path / case / "organisations.yaml", text)
    result = run("build", path, "--db", registry_store, "--no-map", "--no-figures")
    error_line(result, f"{path}:{line}: ", *words, "write the values out in full")
    assert dump(registry_store) == pristine


def test_an_ampersand_or_asterisk_inside_a_value_is_text():
    doc = parse_yaml(ENTRY.replace("YAML Test Trust", "'Smith & Jones *Trust*'")
                     + "  aliases: [\"&a\", \"*b\"]\n", "x.yaml")
    assert doc[0]["name"] == "Smith & Jones *Trust*" and doc[0]["aliases"] == ["&a", "*b"]


# A comment that an editor shows as one line, but that the YAML reader ends at the
# separator: the entry after it would be loaded while looking like part of the comment.
HIDING = [("\u2028", "line separator U+2028"), ("\u2029", "paragraph separator U+2029"),
          ("\x85", "control character U+0085"), ("\r", "control character U+000D")]


@pytest.mark.parametrize("char, kind", HIDING, ids=[k for _, k in HIDING])
def test_an_entry_hidden_in_a_comment_is_refused(char, kind, tmp_path, registry_store,
                                                 pristine):
    text = ENTRY + f"# reviewed by the team{char}- id: hidden-trust\n"
    path = write(tmp_path / "organisations.yaml", text)
    result = run("build", path, "--db", registry_store, "--no-map", "--no-figures")
    error_line(result, f"{path}:5: ", kind, "remove it")
    assert dump(registry_store) == pristine


def test_windows_line_ends_still_read():
    doc = parse_yaml(ENTRY.replace("\n", "\r\n"), "x.yaml")
    assert doc[0]["id"] == "yaml-test-trust"


def test_the_schema_reader_refuses_them_too():
    text = "labels: &l\n  Organisation: {}\n"
    with pytest.raises(SchemaError) as err:
        parse_schema(text, "schema.yaml")
    assert str(err.value).startswith("schema.yaml:1: an anchor '&l'")
    with pytest.raises(LoadError) as err:
        parse_yaml(bomb(30, 2), "deep.yaml")
    assert str(err.value).startswith("deep.yaml:1: an anchor '&a0'")
