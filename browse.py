"""What a front end for browsing reads about the graph: a search over every name
and alias, one entity's profile, and the map around an entity.

:func:`search` ranks entities by how their names and aliases match some text
(an abbreviation offers every body that shares it). :func:`profile` is one
entity: its properties and their sources, and its relationships grouped by
type and direction, each with its sources and the entity at its other end;
NRM referral figures (REFERRED, and their quarterly totals) are not listed,
since a country has thousands (their quarterly totals are counted): the saved query
``referrals-by-quarter`` gives their trend. :func:`entity_map` is the
selection a neighbourhood map draws: an entity, the entities it is most
linked to, and those of each entity the reader expanded.

Names resolve through the store's one resolver (:mod:`htkg.graph.lookup`);
everything is read through ``store.read``. Nothing here formats a value into
Cypher: a label is written into a query only when the schema declares it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from htkg.errors import QueryError
from htkg.graph.lookup import Lookup
from htkg.graph.summary import TYPE as SUMMARY
from htkg.schema.model import load_schema
from htkg.selection import SUMMED, Selection, read_ids

#: Relationships a profile counts but does not list: the NRM figures.
FIGURES = (SUMMED, SUMMARY)
#: Most relationships a profile lists (the rest are counted).
MOST_LINKS = 500
#: Most neighbours a map draws around each entity it is about.
MOST_NEIGHBOURS = 40
#: Most entities a map may be about (the focus and those expanded).
MOST_EXPANDED = 12


@dataclass
class Match:
    """One entity a search found: what it is, and the name or alias that matched."""

    id: str
    label: str
    name: str
    matched: str
    kind: str | None = None


@dataclass
class Link:
    """One relationship of an entity, seen from it."""

    type: str
    outgoing: bool
    other: str
    other_name: str
    other_label: str
    props: dict
    sources: list[str]


@dataclass
class LinkGroup:
    """An entity's relationships of one type in one direction; ``total`` counts
    them all, where ``links`` may list fewer (see :data:`MOST_LINKS`)."""

    type: str
    outgoing: bool
    links: list[Link] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.links)


@dataclass
class Profile:
    """One entity as a page shows it."""

    id: str
    label: str
    name: str
    props: dict
    sources: list[str]
    groups: list[LinkGroup]
    #: Quarterly totals of NRM referrals (REFERRED_QUARTER) it has: counted, never listed
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        return self.props.get("kind")


def _checked_label(label: str | None) -> str:
    """A label as written into a query: only one the schema declares."""
    if label not in load_schema().labels:
        raise QueryError(f"'{label}' is not a label of the schema")
    return label


# -- search ----------------------------------------------------------------------------
def search(store, text: str, most: int = 20) -> list[Match]:
    """Entities whose names or aliases match ``text``, best first (see
    :meth:`htkg.graph.resolver.Resolver.search`), with each organisation's kind."""
    lookup = Lookup.of(store)
    resolver = lookup.resolver
    return [Match(i, resolver.label(i) or "", resolver.name(i) or i, matched, lookup.kind(i))
            for i, matched in resolver.search(text, most)]


# -- one entity ------------------------------------------------------------------------
def profile(store, entity: str, most: int = MOST_LINKS) -> Profile:
    """The entity ``entity`` names (id, name or alias): its properties and
    sources, and its relationships grouped by type and direction, at most
    ``most`` listed; NRM figures are not listed, and ``figures`` counts their
    quarterly totals (a body's with each nationality, a country's with each
    first responder, per quarter).

    Raises :class:`~htkg.errors.ResolveError` (with the closest matches) for a
    name that means no entity, or several.
    """
    lookup = Lookup.of(store)
    entity_id = lookup.entity(entity)
    label = _checked_label(lookup.resolver.label(entity_id))
    match = f"MATCH (n:{label} {{id: $id}})"
    schema = load_schema()
    # Quarterly totals are counted only where the schema lets them be (bodies, countries).
    summed = any(label in pair for pair in schema.relationships[SUMMARY].between)
    head = store.read(f"{match} RETURN properties(n) AS props"
                      + (f", COUNT {{ (n)-[:{SUMMARY}]-() }} AS totals" if summed else ""),
                      {"id": entity_id}).rows[0]
    props = dict(head["props"] or {})
    figures = {SUMMARY: head["totals"]} if head.get("totals") else {}
    # The types to list, named in the pattern: the engine then never walks the
    # thousands of referral figures a country or a first responder has.
    listed = "|".join(t for t in schema.relationships if t not in FIGURES)
    returned = ("RETURN type(r) AS type, startNode(r).id = $id AS out, m.id AS other, "
                "m.name AS name, labels(m)[0] AS label, properties(r) AS props")
    found = store.read(f"{match}-[r:{listed}]-(m) {returned}", {"id": entity_id}, most=most)
    if found.more:      # which ones are listed must not be left to chance: the first, in order
        found = store.read(f"{match}-[r:{listed}]-(m) {returned} ORDER BY type, out DESC, "
                           "toLower(coalesce(m.name, m.id)), m.id", {"id": entity_id}, most=most)
    # Sorted here: ORDER BY costs the engine more than a sort of a few hundred rows.
    rows = sorted(found.rows, key=lambda r: (r["type"], not r["out"],
                                             (r["name"] or r["other"] or "").lower(),
                                             r["other"] or ""))
    if found.more:      # count what was left out
        counts = store.read(f"{match}-[r:{listed}]-(m) RETURN type(r) AS type, "
                            f"startNode(r).id = $id AS out, count(*) AS n", {"id": entity_id}).rows
    else:
        tally: dict[tuple[str, bool], int] = {}
        for r in rows:
            tally[(r["type"], r["out"])] = tally.get((r["type"], r["out"]), 0) + 1
        counts = [{"type": k[0], "out": k[1], "n": n} for k, n in tally.items()]
    groups: dict[tuple[str, bool], LinkGroup] = {}
    for c in sorted(counts, key=lambda c: (c["type"], not c["out"])):
        groups[(c["type"], c["out"])] = LinkGroup(c["type"], c["out"], total=c["n"])
    for r in rows:
        rel = dict(r["props"] or {})
        sources = list(rel.pop("sources", None) or [])
        rel.pop("key", None)
        group = groups.setdefault((r["type"], r["out"]), LinkGroup(r["type"], r["out"]))
        group.links.append(Link(r["type"], r["out"], r["other"], r["name"] or r["other"],
                                r["label"] or "", rel, sources))
    sources = list(props.pop("sources", None) or [])
    name = props.get("name") or entity_id
    shown = {k: v for k, v in sorted(props.items()) if k not in ("id", "name")}
    return Profile(entity_id, label, name, shown, sources, list(groups.values()), figures)


# -- a map around entities --------------------------------------------------------------
def entity_map(store, entity: str, expand: Iterable[str] = (),
               most: int = MOST_NEIGHBOURS) -> Selection:
    """What a neighbourhood map draws: ``entity`` (id, name or alias), the
    ``most`` entities it has the most relationships with, the same around each
    entity of ``expand`` (ids or names, at most :data:`MOST_EXPANDED`), and
    every relationship among them."""
    lookup = Lookup.of(store)
    focus = lookup.entity(entity)
    centres = list(dict.fromkeys([focus, *(lookup.entity(e) for e in expand)]))
    if len(centres) > MOST_EXPANDED + 1:
        raise QueryError(f"a map can expand at most {MOST_EXPANDED} entities, not "
                         f"{len(centres) - 1}; open the page of one of them instead")
    keep = set(centres)
    notes = []
    for centre in centres:
        label = _checked_label(lookup.resolver.label(centre))
        rows = store.read(f"MATCH (n:{label} {{id: $id}})--(m) WITH m.id AS id, count(*) AS n "
                          "RETURN id, n ORDER BY n DESC, id", {"id": centre}).rows
        keep |= {r["id"] for r in rows[:most] if r["id"] is not None}
        if len(rows) > most:
            notes.append(f"{lookup.resolver.name(centre) or centre}: the {most} entities it has "
                         f"most relationships with are drawn, of {len(rows)}")
    nodes, rels = read_ids(store, keep)
    name = lookup.resolver.name(focus) or focus
    title = f"{name} and its neighbours" + (
        f", with {len(centres) - 1} more expanded" if len(centres) > 1 else "")
    return Selection(nodes, rels, title, notes, focus=focus, anchors=centres)
