"""GOV.UK's organisations, as the GOV.UK Organisations API gives them.

The API (``https://www.gov.uk/api/organisations``) answers in pages,
``{"results": [...], "next_page_url": ...}``; a saved dump is the array of
the records themselves. This loader reads either: each record becomes an
Organisation.

- Its id is the entity whose ``govuk_slug`` is the record's slug (a registry
  entry that extends GOV.UK's record of the body), else the slug itself: a body
  in both is one node.
- ``title`` is its name (GOV.UK's official name); ``format`` is kept as
  ``govuk_format`` and gives its ``kind`` (:data:`KINDS`) unless the registry
  states one; the abbreviation and the slug are aliases; ``web_url`` is kept as
  ``govuk_url``; ``details.closed_at`` gives ``dissolved``.
- Each parent organisation is a ``PART_OF``; each superseded organisation that
  has closed is a ``SUCCEEDED_BY`` to this body (dated by its ``closed_at`` when
  the data holds it), as is each superseding one of a closed record. GOV.UK also
  lists as "superseded" bodies it still lists as open (the Northern Ireland
  Executive "supersedes" the PSNI, whose pages moved off GOV.UK): those are not
  successions and are left out, with a note, as are links to bodies that are in
  neither this file nor the graph.

Every fact cites the record: ``<file>#<slug> (govuk)``. Where the registry says
otherwise (a name, a kind, a parent), a note in the build summary says so and
which is shown.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from htkg.errors import LoadError
from htkg.graph.records import Edge, Node, Provenance, provenance
from htkg.loaders.base import GraphContext, Note, Record, RowsRead, Source

NAME = "govuk"
DESCRIPTION = "GOV.UK Organisations API JSON: the saved list of organisations, or one page"
FOLDER = Path(__file__).resolve().parent.parent / "data" / "reference" / "govuk"
API = "https://www.gov.uk/api/organisations/"

#: GOV.UK's format -> htkg's kind, for a body the registry gives no kind.
KINDS = {
    "Ministerial department": "department",
    "Non-ministerial department": "department",
    "Executive office": "department",
    "Executive agency": "agency",
    "Sub organisation": "agency",
    "Devolved government": "devolved_government",
    "Executive non-departmental public body": "public_body",
    "Advisory non-departmental public body": "public_body",
    "Ad-hoc advisory group": "committee",
    "Independent monitoring body": "public_body",
    "Special health authority": "public_body",
    "Public corporation": "public_body",
    "Tribunal": "public_body",
    "Court": "public_body",
    "Civil service": "public_body",
    "Other": "public_body",
}
#: The kind of a body whose format is not in :data:`KINDS` (a new one; a note says so).
OTHER_KIND = "public_body"
_FIX = "save the GOV.UK Organisations API's answer again (www.gov.uk/api/organisations)"
_PAGE_KEYS = ("results", "current_page", "next_page_url", "previous_page_url", "pages", "total",
              "page_size", "start_index")
_LOOKS_PAGED = re.compile(r'^\s*\{\s*"(?:%s)"' % "|".join(_PAGE_KEYS))


def bundled_files() -> list[Path]:
    """The GOV.UK dumps that ship with htkg (``data/reference/govuk``)."""
    return sorted(p for p in FOLDER.glob("*.json*") if p.is_file())


def recognises(source: Source) -> bool:
    """A ``.json`` file that is the API's answer: it names the API's records, or
    opens as one of its pages."""
    if source.suffix != ".json":
        return False
    head = source.head()
    return API in head or bool(_LOOKS_PAGED.match(head))


@dataclass
class Item:
    """One record, checked."""

    at: str                       # where, for messages: "record 12 ('home-office')"
    slug: str
    title: str
    format: str
    abbreviation: str
    web_url: str | None
    closed_at: str | None
    parents: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    superseding: list[str] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return bool(self.closed_at)


def parse(text: str, shown: str) -> tuple[list[Item], str | None]:
    """The records of one file, checked, and the next page's URL (a page's).

    >>> items, next_page = parse('{"results": [{"title": "Home Office", "format": '
    ...     '"Ministerial department", "details": {"slug": "home-office"}}], '
    ...     '"next_page_url": "https://www.gov.uk/api/organisations?page=2"}', "p.json")
    >>> [(i.slug, i.title) for i in items], next_page
    ([('home-office', 'Home Office')], 'https://www.gov.uk/api/organisations?page=2')
    >>> parse('{"organisations": []}', "p.json")
    Traceback (most recent call last):
    ...
    htkg.errors.LoadError: p.json: not the GOV.UK Organisations API's answer: expected a list of organisations, or a page with 'results' (this is an object with 'organisations'); save the GOV.UK Organisations API's answer again (www.gov.uk/api/organisations)
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        cut = ("; the file ends too soon: is it cut short?"
               if text.rstrip()[-1:] not in ("]", "}") else "")
        what = re.sub(r"\s+(starting )?at$", "", exc.msg).lower()
        raise LoadError(f"not valid JSON: {what} at column {exc.colno}{cut}; {_FIX}",
                        shown, exc.lineno) from None
    next_page = None
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        records, next_page = doc["results"], doc.get("next_page_url")
        if next_page is not None and not isinstance(next_page, str):
            raise LoadError(f"'next_page_url' is not a URL; {_FIX}", shown)
    elif isinstance(doc, list):
        records = doc
    elif isinstance(doc, dict) and "results" in doc:
        raise LoadError(f"not the GOV.UK Organisations API's answer: its 'results' is a JSON "
                        f"{type(doc['results']).__name__}, not a list of organisations; {_FIX}",
                        shown)
    else:
        what = (f"an object with {', '.join(repr(k) for k in list(doc)[:4]) or 'no keys'}"
                if isinstance(doc, dict) else f"a JSON {type(doc).__name__}")
        raise LoadError(f"not the GOV.UK Organisations API's answer: expected a list of "
                        f"organisations, or a page with 'results' (this is {what}); {_FIX}",
                        shown)
    items, seen = [], {}
    for i, record in enumerate(records, 1):
        item = _item(record, i, shown)
        if item.slug in seen:
            raise LoadError(f"{item.at} repeats the slug of record {seen[item.slug]}; {_FIX}",
                            shown)
        seen[item.slug] = i
        items.append(item)
    return items, next_page


def _text(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _item(record: Any, i: int, shown: str) -> Item:
    where = f"record {i}"
    if not isinstance(record, dict):
        raise LoadError(f"{where} is not an organisation (an object with 'title' and "
                        f"'details'); {_FIX}", shown)
    details = record.get("details")
    if not isinstance(details, dict):
        raise LoadError(f"{where} has no 'details'; {_FIX}", shown)
    slug = details.get("slug")
    if not isinstance(slug, str) or not slug:
        raise LoadError(f"{where} has no 'details.slug'; {_FIX}", shown)
    where = f"record {i} ({slug!r})"
    title, fmt = _text(record.get("title")), _text(record.get("format"))
    if title is None or fmt is None:
        raise LoadError(f"{where} has no {'title' if title is None else 'format'}; {_FIX}",
                        shown)
    closed_at = details.get("closed_at")
    if closed_at is not None and not isinstance(closed_at, str):
        raise LoadError(f"{where}: 'closed_at' is not a date; {_FIX}", shown)

    def links(key: str) -> list[str]:
        value = record.get(key, [])
        if not isinstance(value, list) or not all(
                isinstance(v, dict) and isinstance(v.get("id"), str) for v in value):
            raise LoadError(f"{where}: '{key}' is not a list of organisations with an 'id'; "
                            f"{_FIX}", shown)
        return [v["id"].rstrip("/").rsplit("/", 1)[-1] for v in value]

    web_url = record.get("web_url")
    return Item(where, slug, title, fmt, _text(details.get("abbreviation")) or "",
                web_url if isinstance(web_url, str) else None,
                closed_at[:10] if closed_at else None, links("parent_organisations"),
                links("superseded_organisations"), links("superseding_organisations"))


def read(source: Source, ctx) -> Iterator[Record]:
    """The organisations of one file (see the module docstring)."""
    shown = str(source.path)
    items, next_page = parse(source.text(shown, "JSON text", _FIX), shown)
    yield RowsRead(len(items))
    yield from records(items, source.name, ctx)
    if next_page:
        yield Note(f"a page of the GOV.UK Organisations API: the next page "
                   f"({next_page}) is not in this file; give every page to load them all")


def records(items: list[Item], shown: str, ctx) -> Iterator[Record]:
    """Nodes, then relationships, then notes, for checked records."""
    in_file = {i.slug: i for i in items}
    extended = ctx.by_property("govuk_slug")

    def id_of(slug: str) -> str | None:
        ids = extended.get(slug)
        if ids:
            return ids[0]
        return slug if slug in in_file else None

    def src(item: Item) -> str:
        return provenance(NAME, f"{shown}#{item.slug}")

    notes: list[str] = []
    for item in items:
        node_id = id_of(item.slug)
        known = ctx.entity(node_id)
        props = _props(item)
        if props["govuk_format"] not in KINDS:
            notes.append(f"{item.title} ({node_id}): GOV.UK format '{item.format}' is new to "
                         f"htkg; its kind is {OTHER_KIND}")
        if known is not None:
            notes += _differences(item, node_id, known[1], ctx, id_of)
        yield Node("Organisation", node_id, props, src(item))
    edges: dict[tuple[str, str, str], Edge] = {}
    open_predecessors: list[str] = []
    unknown: set[str] = set()
    for item in items:
        node_id = id_of(item.slug)
        for parent in item.parents:
            parent_id = id_of(parent) or (parent if ctx.entity(parent) else None)
            if parent_id is None:
                unknown.add(parent)
            elif parent_id != node_id:
                edges.setdefault(("PART_OF", node_id, parent_id),
                                 Edge("PART_OF", node_id, parent_id, {}, src(item)))
        for old in item.superseded:
            earlier = in_file.get(old)
            if earlier is not None and not earlier.closed:
                open_predecessors.append(f"{item.title} supersedes {earlier.title}")
                continue
            old_id = id_of(old)
            if old_id is None:
                unknown.add(old)
                continue
            date = earlier.closed_at if earlier is not None else None
            edges.setdefault(("SUCCEEDED_BY", old_id, node_id),
                             Edge("SUCCEEDED_BY", old_id, node_id,
                                  {"date": date} if date else {}, src(item)))
        if item.closed:
            for new in item.superseding:
                new_id = id_of(new)
                if new_id is None:
                    unknown.add(new)
                    continue
                edges.setdefault(("SUCCEEDED_BY", node_id, new_id),
                                 Edge("SUCCEEDED_BY", node_id, new_id,
                                      {"date": item.closed_at}, src(item)))
    yield from edges.values()
    for note in notes:
        yield Note(note)
    if open_predecessors:
        yield Note(f"{len(open_predecessors)} 'superseded' links name bodies GOV.UK still lists "
                   f"as open (their pages moved off GOV.UK), so they are not successions and "
                   f"are left out: {'; '.join(open_predecessors[:3])}"
                   + ("..." if len(open_predecessors) > 3 else ""))
    if unknown:
        yield Note(f"{len(unknown)} organisation{'s' if len(unknown) != 1 else ''} that records "
                   f"name as parent, predecessor or successor {'are' if len(unknown) != 1 else 'is'}"
                   f" neither in this file nor in the graph (closed before the file was made, or "
                   f"on a page not given): those links are left out")


#: Shortest abbreviation kept as an alias: two letters ("JO", "HE", "SE") read as words
#: and given names ("Jo Swinson") wherever names are resolved without regard to case.
SHORTEST_ABBREVIATION = 3


def _props(item: Item) -> dict:
    abbreviation = item.abbreviation if len(item.abbreviation) >= SHORTEST_ABBREVIATION else ""
    aliases = [a for a in (abbreviation, item.slug) if a and a != item.title]
    props = {"name": item.title, "kind": KINDS.get(item.format, OTHER_KIND),
             "govuk_format": item.format, "govuk_slug": item.slug, "aliases": aliases,
             "govuk_url": item.web_url, "citation": API + item.slug}
    if item.closed_at:
        props["dissolved"] = item.closed_at
    return props


def _differences(item: Item, node_id: str, known: dict, ctx, id_of) -> list[str]:
    """Notes on what the graph already says of a body that GOV.UK says otherwise."""
    out = []
    who = f"{item.title} ({node_id})"
    name = known.get("name")
    if name and " ".join(name.split()) != item.title:
        out.append(f"{who}: the registry names it '{name}', GOV.UK '{item.title}'; "
                   f"'{name}' is shown and GOV.UK's name is an alias")
    kind, mapped = known.get("kind"), KINDS.get(item.format, OTHER_KIND)
    if kind and kind != mapped:
        out.append(f"{who}: kind {kind} in the registry, which is shown; GOV.UK's format "
                   f"'{item.format}' would make it {mapped}")
    theirs = {id_of(p) or p for p in item.parents}
    ours = set(ctx.related(node_id, "PART_OF"))
    if ours and ours != theirs:
        out.append(f"{who}: part of {', '.join(sorted(ours))} in the registry; GOV.UK's parent "
                   f"{'is ' + ', '.join(sorted(theirs)) if theirs else 'is none'}; both are kept")
    return out


def explain(record, error: LoadError, source: Source) -> LoadError:
    """The model's error about one of a file's records, naming the file and the record."""
    file = Provenance.parse(getattr(record, "source", "") or "").file
    entry = file.split("#", 1)[1] if "#" in file else None
    return LoadError(f"record {entry!r}: {error.message}" if entry else error.message,
                     str(source.path))


def load_into(kg, paths: Iterable[Path] | None = None) -> None:
    """Add GOV.UK dumps (the bundled ones by default) to a graph that holds the
    registry: for :func:`htkg.loaders.registry.registry_graph`."""
    ctx = GraphContext(kg)
    for path in bundled_files() if paths is None else paths:
        for record in read(Source(path), ctx):
            if isinstance(record, (Node, Edge)):
                kg.add(record)
