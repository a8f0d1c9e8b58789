"""Read users' YAML with line numbers, turning syntax errors into ``LoadError``.

Every YAML file htkg reads (the registry, one's own registry files, the
schema) comes through :func:`parse_yaml`, which refuses what a person would
not write by hand and could not see: anchors and aliases (``&a`` / ``*a``,
which a few hundred bytes can nest into gigabytes) and characters that end or
hide a line (U+2028, U+0085...; the YAML reader breaks lines there, an editor
does not).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from htkg.errors import LoadError
from htkg.textfile import UNSAFE, char_name, read_utf8, split_lines


def read_yaml(path: str | Path, shown: str | None = None) -> Any:
    """Parse a YAML file in round-trip mode, so nodes carry ``.lc`` line info."""
    shown = shown or str(path)
    text = read_utf8(path, shown, "YAML text", "save the file as UTF-8 text")
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str, error: type[LoadError] = LoadError) -> Any:
    """Parse YAML text; a syntax error becomes ``error`` with file and line.

    Anchors and aliases are refused before anything is built, so an alias
    bomb costs no more than reading its bytes.
    """
    from ruamel.yaml import YAML  # deferred: a command that reads no YAML never loads it
    from ruamel.yaml.error import YAMLError  # deferred: as above
    for no, line in enumerate(split_lines(text), 1):
        bad = UNSAFE.search(line)
        if bad:
            raise error(f"{char_name(bad.group())}: YAML here is plain text, and this character "
                        f"breaks or hides a line; remove it", shown, no)
    try:
        _refuse_anchors(text, shown, error)
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"not valid YAML: {problem}; correct the YAML there", shown,
                    mark.line + 1 if mark else None) from None
    # ruamel's constructors raise plain errors too: a date that does not exist
    # ("2001-02-30"), "!!int x", a mapping used as a key, nesting too deep.
    except RecursionError:
        raise error("not valid YAML: nested too deeply", shown) from None
    except (ValueError, TypeError) as exc:
        line = _bad_date_line(text)
        why = "a date that does not exist" if line else (
            "a mapping or list used as a key" if "unhashable" in str(exc) else
            " ".join(str(exc).split())[:200])
        raise error(f"not valid YAML: {why}; correct the YAML there", shown, line) from None


def _refuse_anchors(text: str, shown: str, error: type[LoadError]) -> None:
    """Refuse the first anchor (``&name``) or alias (``*name``, ``<<: *name``).

    Only the parser's events are read: no alias is ever expanded.
    """
    from ruamel.yaml import YAML  # deferred: as in parse_yaml
    from ruamel.yaml.events import AliasEvent  # deferred: as above
    for event in YAML(typ="rt").parse(text):
        alias = isinstance(event, AliasEvent)
        if alias or getattr(event, "anchor", None) is not None:
            what = f"an alias '*{event.anchor}'" if alias else f"an anchor '&{event.anchor}'"
            raise error(f"{what}: htkg does not read YAML anchors and aliases (a few of them "
                        f"can expand to gigabytes); write the values out in full", shown,
                        event.start_mark.line + 1)


_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def _bad_date_line(text: str) -> int | None:
    """The first line holding a date-like value that is no date ("2001-02-30")."""
    for no, line in enumerate(split_lines(text), 1):
        for m in _DATE.finditer(line):
            try:
                dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return no
    return None


def line_of(node: Any, key: Any = None) -> int | None:
    """1-based line of a mapping key, of a list item, or of the node itself."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return lc.line + 1
        if isinstance(key, int):
            return lc.item(key)[0] + 1
        return lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return lc.line + 1
