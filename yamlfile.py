"""Read YAML with line numbers, turning syntax errors into ``LoadError``."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from htkg.errors import LoadError


def read_yaml(path: str | Path, shown: str | None = None) -> Any:
    """Parse a YAML file in round-trip mode, so nodes carry ``.lc`` line info."""
    shown = shown or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror}", shown) from None
    if b"\x00" in raw[:4096]:
        raise LoadError("this is a binary file, not YAML text", shown)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError("not UTF-8 text; save the file as UTF-8", shown, line) from None
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str, error: type[LoadError] = LoadError) -> Any:
    """Parse YAML text; a syntax error becomes ``error`` with file and line."""
    try:
        return YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"not valid YAML: {problem}", shown,
                    mark.line + 1 if mark else None) from None


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
