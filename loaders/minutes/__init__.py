"""The minutes loader: meetings, attendance, actions and mentions from minutes as text.

Parsing lives in :mod:`.parse` (text to a tree a person can review with
``htkg minutes FILE``) and :mod:`.records` (tree to records); this module
recognises minutes and yields their records.
"""
from __future__ import annotations

import re
from typing import Iterable

from htkg.errors import LoadError
from htkg.graph.model import Unresolved
from htkg.graph.records import provenance
from htkg.loaders.base import Note, Record, RowsRead, Source
from htkg.loaders.minutes.parse import Minutes, parse_minutes, read_minutes
from htkg.loaders.minutes.text import format_text
from htkg.loaders.minutes.records import minutes_records

NAME = "minutes"
DESCRIPTION = "meeting minutes as text, with attendees and numbered items"
_SUFFIXES = {".txt", ".text", ".md"}
_SIGNS = re.compile(r"^\s*(attendees|present|in attendance|apologies)\s*:?", re.I | re.M)
_NUMBERED = re.compile(r"^\s*\d{1,2}\.\d{0,2}\s+\S", re.M)

__all__ = ["DESCRIPTION", "Minutes", "NAME", "format_text", "parse_minutes", "read",
           "read_minutes", "recognises"]


def recognises(source: Source) -> bool:
    """Text with an attendee or apologies heading and numbered items or paragraphs."""
    head = source.head()
    if source.suffix not in _SUFFIXES or not _SIGNS.search(head):
        return False
    if _NUMBERED.search(head):
        return True
    # Front matter longer than the head (a long attendee list, a line of
    # megabytes): look for the first numbered item further on.
    try:
        text = source.bytes().decode("utf-8", errors="replace")
    except LoadError:
        return False
    return any(_NUMBERED.search(line) for line in text.split("\n"))


def read(source: Source, ctx) -> Iterable[Record]:
    resolver = ctx.resolver()
    minutes = read_minutes(source.path, resolve=resolver)
    yield RowsRead(len(minutes.items))
    yield from minutes_records(minutes, source.path, resolver)
    for name, line in minutes.unresolved:
        yield Unresolved(name, "organisation or person", provenance(NAME, source.name, line=line))
    yield Note(f"{minutes.title or 'untitled'} {minutes.date or ''}: "
               f"{len(minutes.attendees)} attendees, {len(minutes.apologies)} apologies, "
               f"{len(minutes.items)} items, "
               f"{sum(len(i.actions) for i in minutes.items)} actions")
    for w in minutes.warnings:
        where = f"line {w.line}: " if w.line else ""
        yield Note(f"warning: {where}{w.message}")

