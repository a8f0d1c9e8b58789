"""Graph records from parsed minutes.

:func:`minutes_records` yields the meeting, who attended or sent apologies
(a person and the organisation represented), the actions and their owners,
the entities each paragraph names, and the few relations the text states
in wording the loader knows (see :func:`stated_relations`). Every record
carries the paragraph or line it came from. Names that resolve to nothing
are collected in ``minutes.unresolved``; no entity is invented for them.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from htkg import textfile
from htkg.errors import LoadError
from htkg.graph.records import Edge, Node, provenance, slugify
from htkg.loaders.minutes.parse import Minutes
from htkg.loaders.minutes.people import OFFICES, POST_NOMINALS, Names

LOADER = "minutes"
_COURTESY = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Rt", "Hon", "The", "Sir", "Dame", "Professor",
             "Prof", "Cllr", "Councillor"}
_MENTIONABLE = {"Organisation", "Country", "Sector", "Person", "Initiative"}
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“\"'])")
_WORKS_WITH_RE = re.compile(r"\s+works?\s+(?:closely\s+|together\s+)*with\s+(?:the\s+)?")
_REGULATED_RE = re.compile(r"\bregulated\s+by\s+(?:the\s+)?")
_CONTACT_RE = re.compile(r"\b(?:(?:can|may|could|might|often|do|does|will|would|regularly)\s+)*"
                         r"comes?\s+into\s+contact\s+with\s+(?:[\w-]+\s+){0,2}?victims"
                         r"(?:\s+of\s+(?:human\s+)?trafficking)?")
_EXAMPLE_RE = re.compile(r"\bexamples?\s+of\s+such\b|\bidentified\s+as\s+an?\s+example\b")


def person_id(name: str) -> str:
    """The id of a person named in minutes, without post-nominals or courtesy titles.

    >>> person_id("Ann Vale MP CHAIR"), person_id("Baroness Ellery"), person_id("Rt Hon Tom Reed MSP")
    ('person-ann-vale', 'person-baroness-ellery', 'person-tom-reed')
    """
    return "person-" + slugify(" ".join(_bare(name)))


def _bare(name: str) -> list[str]:
    words = [w for w in name.replace(",", " ").split() if w not in POST_NOMINALS and w != "CHAIR"]
    while words and words[0].rstrip(".") in _COURTESY:
        words = words[1:]
    return words


def meeting_id(minutes: Minutes) -> str:
    """``meeting-<group slug>-<yyyy-mm-dd>``."""
    return f"meeting-{slugify(minutes.title or '') or 'meeting'}-{minutes.date.isoformat()}"


def minutes_records(minutes: Minutes, file: str | Path, resolver) -> Iterator[Node | Edge]:
    """Yield the graph records of one parsed file of minutes.

    Raises :class:`~htkg.errors.LoadError` when the minutes have no date
    (a meeting cannot be placed without one).
    """
    names = Names(resolver)
    fname = textfile.plain_name(file)
    if minutes.date is None:
        raise LoadError("no meeting date found; the minutes need a date line such as "
                        "'4 June 2014' before they can be added to the graph", fname)
    mid = meeting_id(minutes)
    group = minutes.title or "meeting"
    at_title = provenance(LOADER, fname, line=minutes.title_line or None)
    yield Node("Meeting", mid, {"name": f"{group} {minutes.date.isoformat()}",
                                "date": minutes.date.isoformat(), "group": group}, at_title)
    committee = names.org(group, minutes.title_line)
    if committee:
        yield Edge("MEETING_OF", mid, committee, {}, at_title)
    yield from _attendance(minutes, names, mid, fname)
    yield from _actions(minutes, names, mid, fname)
    mentioned: set[tuple[str, str]] = set()
    for m in _mentions(minutes, names):
        if names.label_of(m[0]) in _MENTIONABLE and m not in mentioned:
            mentioned.add(m)
            yield Edge("MENTIONED_IN", m[0], mid, {"paragraph": m[1]},
                       provenance(LOADER, fname, paragraph=m[1]))
    for record, para in stated_relations(minutes, names):
        src = provenance(LOADER, fname, paragraph=para)
        record.source = src
        yield record
        ids = [record.id] if isinstance(record, Node) else [record.source_id, record.target_id]
        for entity in ids:
            if (entity, para) not in mentioned:
                mentioned.add((entity, para))
                yield Edge("MENTIONED_IN", entity, mid, {"paragraph": para}, src)
    for name, line in names.unresolved.items():
        if (name, line) not in minutes.unresolved:
            minutes.unresolved.append((name, line))


def _attendance(minutes: Minutes, names: Names, mid: str, fname: str) -> Iterator[Node | Edge]:
    for etype, people in (("ATTENDED", minutes.attendees), ("SENT_APOLOGIES", minutes.apologies)):
        for a in people:
            src = provenance(LOADER, fname, line=a.line)
            org_id = a.organisation_id or (names.org(a.organisation, a.line)
                                           if a.organisation else None)
            if etype == "ATTENDED":
                capacity = "chair" if a.role == "chair" else "official" if a.official else "member"
                props = {"capacity": capacity, "remote": a.remote,
                         "organisation_as_written": a.organisation}
                if a.on_behalf_of:
                    props["on_behalf_of"] = a.on_behalf_of
            else:
                props = {"organisation_as_written": a.organisation}
            pid = a.name and (names.person(a.name) or person_id(a.name))
            if pid and pid != "person-":
                bare = " ".join(_bare(a.name)) or a.name
                person = {"name": bare, "aliases": [a.name]}
                honorific = ([w for w in a.name.split() if w in OFFICES]
                             or [w for w in a.name.split() if w in POST_NOMINALS])
                if honorific:
                    person["honorific"] = honorific[0]
                yield Node("Person", pid, person, src)
                yield Edge(etype, pid, mid, dict(props), src)
            if org_id:
                yield Edge(etype, org_id, mid, dict(props), src)


def _actions(minutes: Minutes, names: Names, mid: str, fname: str) -> Iterator[Node | Edge]:
    for item in minutes.items:
        for n, action in enumerate(item.actions, 1):
            aid = f"{mid}-action-{item.number}-{n}"
            src = provenance(LOADER, fname, line=action.line)
            text = action.text
            short = text if len(text) <= 80 else text[:79].rsplit(" ", 1)[0] + "…"
            yield Node("Action", aid, {"name": short, "text": text, "item": item.number,
                                       "item_title": item.title or None}, src)
            yield Edge("AGREED_AT", aid, mid, {}, src)
            owners = [names.owner(o, action.line) for o in action.owners] if names.active \
                else list(action.owner_ids)
            for owner in dict.fromkeys(o for o in owners if o):
                if names.label_of(owner) == "Organisation":
                    yield Edge("OWNS", owner, aid, {}, src)


def _mentions(minutes: Minutes, names: Names) -> list[tuple[str, str]]:
    if minutes.mentions:
        return [(m.entity_id, m.paragraph) for m in minutes.mentions]
    return [(e, p.number) for i in minutes.items for p in i.paragraphs
            for e, _, _ in names.scan(p.text)]


def stated_relations(minutes: Minutes, names: Names) -> Iterator[tuple[Node | Edge, str]]:
    """Relations a paragraph states in wording the loader knows, with the paragraph.

    * "X works closely with Y" gives ``WORKS_WITH`` X -> Y;
    * "... regulated by the Z" with a sector named in the same sentence gives
      ``REGULATES`` Z -> sector;
    * "X can come into contact with (trafficking) victims", or an
      organisation given as an example of such bodies in the next sentence,
      gives a node update: ``frontline_contact`` and ``frontline_context``.
    """
    for item in minutes.items:
        for para in item.paragraphs:
            sentences = _SENTENCE_RE.split(para.text)
            for k, sentence in enumerate(sentences):
                found = [(e, s, t, names.label_of(e)) for e, s, t in names.scan(sentence)]
                yield from ((r, para.number) for r in _works_with(sentence, found))
                yield from ((r, para.number) for r in _regulates(sentence, found))
                nxt = sentences[k + 1] if k + 1 < len(sentences) else ""
                yield from ((r, para.number) for r in _frontline(sentence, nxt, para.number, names))


def _works_with(sentence: str, found: list) -> Iterator[Edge]:
    for m in _WORKS_WITH_RE.finditer(sentence):
        left = [e for e, _, end, label in found if label == "Organisation"
                and not sentence[end:m.start()].strip()]
        right = [e for e, start, _, label in found if label == "Organisation"
                 and start == m.end()]
        if left and right and left[0] != right[0]:
            yield Edge("WORKS_WITH", left[0], right[0], {})


def _regulates(sentence: str, found: list) -> Iterator[Edge]:
    m = _REGULATED_RE.search(sentence)
    if not m:
        return
    regulator = [e for e, start, _, label in found if label == "Organisation" and start == m.end()]
    for e, _, _, label in found:
        if regulator and label == "Sector":
            yield Edge("REGULATES", regulator[0], e, {})


def _frontline(sentence: str, nxt: str, para: str, names: Names) -> Iterator[Node]:
    m = _CONTACT_RE.search(sentence)
    if not m:
        return
    words = sentence[:m.start()].split()
    subject = None
    for size in range(min(5, len(words)), 0, -1):
        subject = names.lookup(" ".join(words[-size:]), "Organisation")
        if subject:
            phrase = " ".join(words[-size:]) + " " + m.group()
            break
    targets = [subject] if subject else []
    if not subject:
        phrase = " ".join(words[-4:] + [m.group()])
        if _EXAMPLE_RE.search(nxt):
            targets = [e for e, _, _ in names.scan(nxt) if names.label_of(e) == "Organisation"]
    for target in dict.fromkeys(targets):
        context = f"{para}: {' '.join(phrase.split())}"
        yield Node("Organisation", target, {"frontline_contact": True,
                                            "frontline_context": context[:160]})
