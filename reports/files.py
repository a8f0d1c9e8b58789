"""Writing a report to a file: the entry point the command (and any front end) calls.

>>> format_for("ng.md", None), format_for(None, None)
('md', 'html')
>>> default_path("country", "Côte d'Ivoire", "md").name
'htkg-report-cote-divoire.md'
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from htkg.errors import QueryError
from htkg.graph.records import slugify
from htkg.graph.store import open_store
from htkg.maps import write_bytes_atomic
from htkg.reports.country import country_report
from htkg.reports.document import Report
from htkg.reports.html import render_html
from htkg.reports.markdown import render_markdown
from htkg.reports.nation import nation_report
from htkg.reports.reading import Period, nation_code

KINDS = ("country", "nation")
FORMATS = ("html", "md")
SUFFIXES = {"html": ("html", "htm"), "md": ("md", "markdown")}


@dataclass
class ReportResult:
    """What :func:`write_report` wrote."""

    path: Path
    format: str
    report: Report


def format_for(path: str | Path | None, fmt: str | None) -> str:
    """The format: given, else from the file's suffix, else html."""
    if fmt:
        if fmt not in FORMATS:
            raise QueryError(f"unknown report format '{fmt}'; use one of: {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".") if path else ""
    return next((f for f, names in SUFFIXES.items() if suffix in names), "html")


def default_path(kind: str, name: str, fmt: str) -> Path:
    """``htkg-report-nigeria.html`` (or ``.md``) in the current directory."""
    return Path.cwd() / f"htkg-report-{slugify(name) or kind}.{fmt}"


def make_report(store: Any, kind: str, name: str, *, start: Any = None, end: Any = None,
                with_map: bool = True) -> Report:
    """The ``country`` or ``nation`` report on ``name`` from an open store."""
    if kind == "country":
        return country_report(store, name, start=start, end=end, with_map=with_map)
    if kind == "nation":
        return nation_report(store, name, start=start, end=end, with_map=with_map)
    raise QueryError(f"unknown kind of report '{kind}'; use one of: {', '.join(KINDS)}")


def render(report: Report, fmt: str = "html") -> str:
    """The report as HTML or Markdown text."""
    return render_markdown(report) if fmt == "md" else render_html(report)


def check(kind: str, name: str, path: str | Path | None, fmt: str | None, start: Any,
          end: Any) -> str:
    """Everything that can be checked before a store opens; returns the format."""
    if kind not in KINDS:
        raise QueryError(f"unknown kind of report '{kind}'; use one of: {', '.join(KINDS)}")
    fmt = format_for(path, fmt)
    suffix = Path(path).suffix.lower().lstrip(".") if path else ""
    other = next((f for f, names in SUFFIXES.items() if suffix in names), None)
    if other and other != fmt:
        raise QueryError(f"{Path(path).name} ends in .{suffix} but the format asked for is "
                         f"{fmt}; name the file .{SUFFIXES[fmt][0]} or leave out --format")
    Period.of(start, end)
    if kind == "nation":
        nation_code(name)
    if not str(name).strip():
        raise QueryError(f"give the {kind} to report on")
    return fmt


def write_report(db_or_store: Any, kind: str, name: str, path: str | Path | None = None,
                 fmt: str | None = None, *, start: Any = None, end: Any = None) -> ReportResult:
    """Make the ``country`` or ``nation`` report on ``name`` and write it to ``path``
    (default: ``htkg-report-NAME.html`` here), as ``html`` or ``md`` (default: from the
    suffix, else html).

    ``db_or_store`` is an open :class:`~htkg.graph.store.Store`, or what ``--db``
    takes. Options are checked before a store opens; the file is written whole or
    not at all.
    """
    fmt = check(kind, name, path, fmt, start, end)
    if hasattr(db_or_store, "read"):
        report = make_report(db_or_store, kind, name, start=start, end=end)
    else:
        with open_store(db_or_store) as store:
            report = make_report(store, kind, name, start=start, end=end)
    target = Path(path) if path else default_path(kind, report.subject, fmt)
    write_bytes_atomic(target, render(report, fmt).encode("utf-8"))
    return ReportResult(target, fmt, report)
