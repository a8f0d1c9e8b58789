"""Render query results for people (aligned tables) and programs (JSON, CSV).

Two guards live here, used by every writer: :func:`visible` keeps control
characters (an escape sequence hidden in a name) from ever reaching a
terminal, and :func:`csv_cell` keeps a spreadsheet from running a value
written to any CSV file as a formula (see docs/security.md).
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

FORMATS = ("table", "json", "csv")

# C0 controls but tab and line feed, DEL, and the C1 range (U+009B is an escape
# sequence's introducer on its own).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: First characters that make a spreadsheet read a cell as a formula (OWASP's
#: list, and their full-width forms, which some locales read the same way).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
# What JSON leaves raw but a terminal may act on, or an editor show as a line end.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def visible(text: str) -> str:
    """Text as printed: control characters (an escape sequence hidden in a name
    from a table) shown as ``\\x1b``, never sent to the terminal.

    >>> visible("a\\x1b[2Jb\\x9bc\\td")
    'a\\\\x1b[2Jb\\\\x9bc\\td'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def csv_cell(text: str) -> str:
    """A text cell as written to any CSV file: one that starts like a formula
    (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``, so a
    spreadsheet shows it as text and never runs it. Numbers ("-5", "+1.5e3")
    are left as they are.

    >>> [csv_cell(v) for v in ["=HYPERLINK(\\"http://x\\")", "@SUM(A1)", "-5", "Home Office"]]
    ['\\'=HYPERLINK("http://x")', "'@SUM(A1)", '-5', 'Home Office']
    """
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        return "'" + text
    return text


def json_text(data: Any, indent: int | None = 2) -> str:
    """JSON for people and programs alike: the values exact, and no raw character
    a terminal acts on (JSON escapes C0 itself; DEL, C1 and U+2028/U+2029 are
    written as ``\\u`` escapes too, which read back as the same text).

    >>> json_text({"a": "x\\x1b\\x9by"}, None)
    '{"a": "x\\\\u001b\\\\u009by"}'
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cell(value: Any) -> str:
    """One value as table or CSV text: lists joined, maps and paths as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _csv_value(value: Any) -> str:
    """One value as a CSV cell: numbers and booleans as they are, text neutralised."""
    text = cell(value)
    if isinstance(value, (bool, int, float)) or value is None:
        return text
    return csv_cell(visible(text))


def render(columns: list[str], rows: list[dict], fmt: str = "table", title: str | None = None,
           width: int | None = None) -> str:
    """Rows as a table with a row count, a JSON array of objects, or CSV.

    Table and CSV show control characters escaped (:func:`visible`); CSV cells
    of text that starts like a formula are neutralised (:func:`csv_cell`);
    JSON keeps every value exact (:func:`json_text`).

    >>> print(render(["a", "b"], [{"a": 1, "b": ["x", "y"]}], "csv"), end="")
    a,b
    1,x; y
    >>> "[/tmp/a]" in render(["path"], [{"path": "[/tmp/a]"}])
    True
    >>> print(render(["a"], [{"a": 1}], "json"))
    [
      {
        "a": 1
      }
    ]
    """
    if fmt == "json":
        return json_text(rows)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([csv_cell(visible(c)) for c in columns])
        for row in rows:
            writer.writerow([_csv_value(row.get(c)) for c in columns])
        return buf.getvalue()
    from rich.console import Console  # deferred: rich loads only where a table is drawn
    from rich.table import Table  # deferred: as above
    from rich.text import Text  # deferred: as above
    table = Table(title=None if title is None else Text(visible(title)), show_lines=False,
                  header_style="bold")
    for c in columns:
        table.add_column(Text(visible(c)), overflow="fold")
    for row in rows:
        # Text, not markup: a value such as "[bold]" or "[/tmp/a]" shows as written.
        table.add_row(*[Text(visible(cell(row.get(c)))) for c in columns], end_section=False)
    console = Console(file=io.StringIO(), width=width or 120, force_terminal=False,
                      color_system=None, highlight=False)
    console.print(table)
    n = len(rows)
    console.print(f"{n} row{'s' if n != 1 else ''}")
    return console.file.getvalue().rstrip("\n")
