"""Parse the minutes of IDMG-style cross-government meetings.

:func:`parse_minutes` is pure: text in, a :class:`Minutes` tree out (title,
date, attendees and apologies, items with their paragraphs and actions,
mentions and warnings, each element with the line it starts on).
:func:`read_minutes` only opens the file. The column rejoining lives in
:mod:`.layout`; turning minutes into graph records in
:mod:`.records`.

A resolver is optional and duck-typed: either an object with
``resolve(name, label=None)`` (and ``scan(text)`` for mentions) or a plain
callable ``name -> id | None``.

>>> m = parse_minutes('''Working Group on Exploitation
... 2 May 2016
... Attendees:
... Home Office   Ann Vale MP CHAIR
... 1. Welcome
... 1.1 The Chair welcomed members.
... Actions: None''')
>>> m.date.isoformat(), m.attendees[0].name, m.attendees[0].role, m.items[0].paragraphs[0].text
('2016-05-02', 'Ann Vale MP', 'chair', 'The Chair welcomed members.')
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from htkg import textfile
from htkg.errors import LoadError
from htkg.loaders.minutes import layout
from htkg.loaders.minutes.joining import join_fragments
from htkg.loaders.minutes.people import (Names, attendee_entries, person_part, seat_of,
                                         split_owners)

_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_DATE_RES = [
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2,8})\.?,?\s+(\d{4})\b"), (1, 2, 3)),
    (re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"), (2, 1, 3)),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), (3, 2, 1)),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), (1, 2, 3)),
]
_SECTION_RE = re.compile(r"^(attendees|attending|present|in\s+attendance|attendance"
                         r"|members\s+present|apologies(?:\s+(?:received|for\s+absence))?)\s*(?::\s*(.*)|$)", re.I)
_MINUTES_RE = re.compile(r"^(?:minutes|draft minutes|note of (?:the )?meeting)\b[\s:.]*", re.I)
#: Characters in one line beyond which a line is not read (with a warning): a
#: paragraph of minutes is a few hundred; a line of megabytes is not minutes.
LONGEST_LINE = 20_000
_META_RE = re.compile(r"^(?:venue|location|time|room|held at|date|place)\b", re.I)


@dataclass
class Attendee:
    organisation: str | None
    organisation_id: str | None = None
    name: str | None = None
    official: bool = False
    on_behalf_of: str | None = None
    role: str | None = None
    remote: bool = False
    line: int = 0

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("organisation", "organisation_id", "name",
                                              "official", "on_behalf_of", "role", "remote")}


@dataclass
class Paragraph:
    number: str
    text: str
    line: int = 0

    def to_json(self) -> dict:
        return {"number": self.number, "text": self.text}


@dataclass
class Action:
    text: str
    owners: list[str] = field(default_factory=list)
    owner_ids: list[str] = field(default_factory=list)
    line: int = 0

    def to_json(self) -> dict:
        return {"text": self.text, "owners": list(self.owners), "owner_ids": list(self.owner_ids)}


@dataclass
class Item:
    number: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    line: int = 0

    def to_json(self) -> dict:
        return {"number": self.number, "title": self.title,
                "paragraphs": [p.to_json() for p in self.paragraphs],
                "actions": [a.to_json() for a in self.actions]}


@dataclass
class Mention:
    entity_id: str
    paragraph: str
    start: int = 0   # offsets in the paragraph text
    end: int = 0

    def to_json(self) -> dict:
        return {"entity_id": self.entity_id, "paragraph": self.paragraph}


@dataclass
class ParseWarning:
    line: int | None
    message: str

    def to_json(self) -> dict:
        return {"line": self.line, "message": self.message}


@dataclass
class Minutes:
    """Everything parsed from one file of minutes."""

    title: str | None
    date: dt.date | None
    attendees: list[Attendee] = field(default_factory=list)
    apologies: list[Attendee] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    file: str = "<text>"
    title_line: int = 0
    unresolved: list[tuple[str, int]] = field(default_factory=list)

    def to_json(self) -> dict:
        """The review object printed by ``htkg minutes --format json``."""
        return {"title": self.title, "date": self.date.isoformat() if self.date else None,
                "attendees": [a.to_json() for a in self.attendees],
                "apologies": [a.to_json() for a in self.apologies],
                "items": [i.to_json() for i in self.items],
                "mentions": [m.to_json() for m in self.mentions],
                "warnings": [w.to_json() for w in self.warnings]}

    def paragraph(self, number: str) -> Paragraph | None:
        """The paragraph numbered ``number`` ("4.4"), or None."""
        return next((p for i in self.items for p in i.paragraphs if p.number == number), None)

    def item(self, number: str | int) -> Item | None:
        return next((i for i in self.items if i.number == str(number)), None)


def read_minutes(path: str | Path, resolve=None) -> Minutes:
    """Read a file of minutes (UTF-8 text, see :mod:`htkg.textfile`; ``.gz`` and
    ``.xz`` too).

    A binary or non-UTF-8 file raises :class:`~htkg.errors.LoadError` naming
    the file (and the line of the first bad byte).
    """
    shown = str(path)
    raw = textfile.read_bytes(path, shown)
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in raw[:4096])
    if b"\x00" in raw[:4096] or controls > 0.05 * max(1, len(raw[:4096])):
        raise LoadError("this is a binary file, not minutes as text: give the minutes as plain "
                        "text (copy the text out of a PDF or Word file and save it as UTF-8)",
                        shown)
    text = textfile.decode_utf8(raw, shown, "minutes as text",
                                "save the minutes as plain text in UTF-8 (in Notepad or Word, "
                                "choose the UTF-8 encoding when saving)")
    return parse_minutes(text, shown, resolve)


def parse_minutes(text: str, file: str = "<text>", resolve=None) -> Minutes:
    """Parse the text of minutes into a :class:`Minutes` tree.

    Raises :class:`~htkg.errors.LoadError` naming ``file`` when the text has
    neither an attendee list nor numbered agenda items.
    """
    names = Names(resolve)
    lines, sep = layout.clean_lines(text)
    minutes = Minutes(None, None, file=file)
    warn = minutes.warnings
    for line in lines:
        if len(line.text) > LONGEST_LINE:
            warn.append(ParseWarning(line.no, f"a line of {len(line.text):,} characters, longer "
                                              f"than minutes ever hold ({LONGEST_LINE:,}): not "
                                              f"read; check the file is minutes as plain text"))
    lines = [line for line in lines if len(line.text) <= LONGEST_LINE]
    start = next((i for i, line in enumerate(lines) if layout.ITEM_RE.match(line.text)
                  or layout.PARA_RE.match(line.text)), len(lines))
    sections = _front_matter(lines[:start], minutes)
    unplaced_orgs: list[tuple[Attendee, str]] = []
    for kind, entries in sections:
        for line in entries:
            _attendee_line(line, names, minutes.apologies if kind == "apologies"
                           else minutes.attendees, unplaced_orgs)
    _place_from_context(minutes, names, unplaced_orgs)
    raw_items, unplaced = layout.BodyParser(lines[start:], sep,
                                            lambda s: split_owners(s, names, lead=True) is not None
                                            ).run()
    warn.extend(ParseWarning(no, msg) for no, msg in unplaced)
    if not raw_items and not minutes.attendees and not minutes.apologies:
        raise LoadError("not minutes: found no attendee list and no numbered agenda items",
                        file)
    vocab = layout.vocabulary(lines)
    for raw in raw_items:
        minutes.items.append(_item(raw, vocab, names, warn))
    if minutes.date is None:
        warn.append(ParseWarning(None, "no meeting date found"))
    if not minutes.attendees:
        warn.append(ParseWarning(None, "no attendee list found"))
    if not raw_items:
        warn.append(ParseWarning(None, "no numbered agenda items found"))
    _mentions(minutes, names)
    warn.sort(key=lambda w: (w.line or 0))
    minutes.unresolved = list(names.unresolved.items())
    return minutes


def _front_matter(lines: list[layout.Line], minutes: Minutes) -> list:
    """Title, date and the attendee/apology sections, from the lines before item 1."""
    sections: list[tuple[str, list]] = []
    title: list[layout.Line] = []
    for line in lines:
        t = line.text
        m = _SECTION_RE.match(t)
        if m:
            kind = "apologies" if m[1].lower().startswith("apolog") else "attendees"
            sections.append((kind, []))
            if (m[2] or "").strip():
                sections[-1][1].append(layout.Line(line.no, m[2].strip()))
            continue
        if sections:
            sections[-1][1].append(line)
            continue
        date = _date(t)
        if date and minutes.date is None:
            minutes.date = date
            rest = _title_text(_strip_date(t))
            if not title and len(rest) > 8 and not rest.lower().startswith("meeting"):
                title.append(layout.Line(line.no, rest))
        elif _MINUTES_RE.match(t) and len(t) < 30 or _META_RE.match(t):
            pass
        elif not layout.garbled(t) and (not title or (len(title) < 3 and minutes.date is None
                                                      and (t[:1].islower()
                                                           or layout.ends_open(title[-1].text)))):
            title.append(line)
        else:
            minutes.warnings.append(ParseWarning(line.no, f"could not place: {t[:40]!r}"))
    if title:
        minutes.title = _title_text(join_fragments([t.text for t in title])) or None
        minutes.title_line = title[0].no
    return sections


def _title_text(text: str) -> str:
    """The group's name from a title line ("Minutes of the meeting of the X held on").

    >>> _title_text("Minutes of the meeting of the Anti-Slavery Forum held on")
    'Anti-Slavery Forum'
    """
    text = _MINUTES_RE.sub("", text)
    text = re.sub(r"^(?:of\s+)?(?:the\s+)?(?:meeting\s+of\s+(?:the\s+)?)?", "", text, flags=re.I)
    text = re.sub(r"\s*(?:[-–—:,]\s*)?(?:(?:meeting\s+)?held\s*(?:on|at)?|minutes|meeting)$", "",
                  text, flags=re.I)
    return text.strip(" -–—:,")


def _date(text: str) -> dt.date | None:
    """The first calendar date written in a line.

    >>> _date("Minutes of the meeting held on Tuesday 4th June 2014")
    datetime.date(2014, 6, 4)
    """
    for regex, (d, m, y) in _DATE_RES:
        for match in regex.finditer(text):
            month = match[m]
            month = _MONTHS.get(month[:3].lower()) if not month.isdigit() else int(month)
            try:
                return dt.date(int(match[y]), month or 0, int(match[d]))
            except (ValueError, TypeError):
                continue
    return None


def _strip_date(text: str) -> str:
    for regex, _ in _DATE_RES:
        text = regex.sub("", text)
    text = re.sub(r"\b(?:held\s+)?on\s*$|\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b", "", text)
    return " ".join(text.split()).strip(" ,-–—:")


def _attendee_line(line: layout.Line, names: Names, out: list[Attendee],
                   unplaced: list[tuple[Attendee, str]]) -> None:
    """Read one attendee line into ``out``; an attendee whose organisation is a short
    form that could not be placed goes to ``unplaced`` with the warning it earns."""
    if layout.garbled(line.text):
        unplaced.append((None, ParseWarning(line.no, f"unreadable attendee line: "
                                                     f"{line.text[:40]!r}")))
        return
    for org, rest in attendee_entries(line.text, names):
        name, official, behalf, chair, remote = person_part(rest)
        if not org and not name:
            unplaced.append((None, ParseWarning(line.no, f"could not read an attendee in "
                                                         f"{line.text[:40]!r}")))
            continue
        org_id, why = names.org_beside(org, seat_of(name, behalf), line.no) if org else (None, None)
        attendee = Attendee(org or None, org_id, name, official, behalf,
                            "chair" if chair else None, remote, line.no)
        out.append(attendee)
        if why:
            unplaced.append((attendee, ParseWarning(line.no, why)))


def _place_from_context(minutes: Minutes, names: Names,
                        unplaced: list[tuple[Attendee | None, ParseWarning]]) -> None:
    """A short form the same minutes place elsewhere ("the Executive" beside an MLA)
    means that body on every line; what stays unplaced is warned about."""
    placed: dict[str, set[str]] = {}
    for a in minutes.attendees + minutes.apologies:
        if a.organisation and a.organisation_id:
            placed.setdefault(a.organisation, set()).add(a.organisation_id)
    for attendee, warning in unplaced:
        found = placed.get(attendee.organisation, set()) if attendee is not None else set()
        if len(found) == 1:      # "the Government" beside an MSP and an AM places neither
            attendee.organisation_id = next(iter(found))
            names.unresolved.pop(attendee.organisation, None)
        else:
            minutes.warnings.append(warning)


def _item(raw: layout.RawItem, vocab: set[str], names: Names, warn: list) -> Item:
    title = join_fragments([t for _, t in raw.title.parts], vocab)
    item = Item(raw.number, title, line=raw.title.line)
    for block in raw.paragraphs:
        text = join_fragments([t for _, t in block.parts], vocab)
        item.paragraphs.append(Paragraph(block.number or raw.number, text, block.line))
    for block in raw.actions:
        text = join_fragments([t for _, t in block.parts], vocab)
        owners = split_owners(text, names, lead=True) or split_owners(text, names, lead=False)
        action = Action(text, line=block.line)
        if owners:
            action.owners = [o for o, _ in owners]
            ids = [names.owner(o, block.line) for o, _ in owners]
            action.owner_ids = list(dict.fromkeys(i for i in ids if i))
        else:
            warn.append(ParseWarning(block.line, f"action without an owner: {text[:40]!r}"))
        item.actions.append(action)
    return item


def _mentions(minutes: Minutes, names: Names) -> None:
    seen = set()
    for item in minutes.items:
        for para in item.paragraphs:
            for entity_id, start, end in names.scan(para.text):
                if (entity_id, para.number) not in seen:
                    seen.add((entity_id, para.number))
                    minutes.mentions.append(Mention(entity_id, para.number, start, end))


__all__ = ["Minutes", "Attendee", "Item", "Paragraph", "Action", "Mention", "ParseWarning",
           "parse_minutes", "read_minutes"]
