"""The minutes adapter for ``htkg build``: recognise minutes, add their records.

Parsing lives in :mod:`.parse` (text to a tree a person can
review with ``htkg minutes FILE``) and :mod:`.records`
(tree to records); this module only routes a file to them.
"""
from __future__ import annotations

import re
from pathlib import Path

from htkg.graph.records import provenance
from htkg.loaders import FileReport, LoadContext
from htkg.loaders.minutes.parse import Minutes, format_text, parse_minutes, read_minutes
from htkg.loaders.minutes.records import minutes_records

NAME = "minutes"
DESCRIPTION = "meeting minutes as text, with attendees and numbered items"
_SUFFIXES = {".txt", ".text", ".md"}
_SIGNS = re.compile(r"^\s*(attendees|present|in attendance|apologies)\s*:?", re.I | re.M)
_NUMBERED = re.compile(r"^\s*\d{1,2}\.\d{0,2}\s+\S", re.M)


def recognises(path: Path, head: str) -> bool:
    """Text with an attendee or apologies heading and numbered items or paragraphs."""
    if path.suffix.lower() not in _SUFFIXES or not _SIGNS.search(head):
        return False
    if _NUMBERED.search(head):
        return True
    # Front matter longer than the head (a long attendee list, a line of
    # megabytes): look for the first numbered item further on.
    try:
        with open(path, "rb") as f:
            return any(_NUMBERED.search(line.decode("utf-8", errors="replace")) for line in f)
    except OSError:
        return False


def load(path: Path, ctx: LoadContext) -> FileReport:
    resolver = ctx.resolver()
    minutes = read_minutes(path, resolve=resolver)
    records = list(minutes_records(minutes, path, resolver))
    added = ctx.kg.add_all(records)
    for name, line in minutes.unresolved:
        ctx.kg.report_unresolved(name, "organisation or person",
                                 provenance(NAME, path.name, line=line))
    report = FileReport(str(path), NAME, rows=len(minutes.items), records=added)
    report.notes.append(f"{minutes.title or 'untitled'} {minutes.date or ''}: "
                        f"{len(minutes.attendees)} attendees, {len(minutes.apologies)} apologies, "
                        f"{len(minutes.items)} items, "
                        f"{sum(len(i.actions) for i in minutes.items)} actions")
    for w in minutes.warnings:
        where = f"line {w.line}: " if w.line else ""
        report.notes.append(f"warning: {where}{w.message}")
    return report
