"""Render query results for people (aligned tables) and programs (JSON, CSV)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMATS = ("table", "json", "csv")


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


def render(columns: list[str], rows: list[dict], fmt: str = "table", title: str | None = None,
           width: int | None = None) -> str:
    """Rows as a table with a row count, a JSON array of objects, or CSV.

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
        return json.dumps(rows, ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])
        return buf.getvalue()
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(Text(c), overflow="fold")
    for row in rows:
        # Text, not markup: a value such as "[bold]" or "[/tmp/a]" shows as written.
        table.add_row(*[Text(cell(row.get(c))) for c in columns], end_section=False)
    console = Console(file=io.StringIO(), width=width or 120, force_terminal=False,
                      color_system=None, highlight=False)
    console.print(table)
    n = len(rows)
    console.print(f"{n} row{'s' if n != 1 else ''}")
    return console.file.getvalue().rstrip("\n")
