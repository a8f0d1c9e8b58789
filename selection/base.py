"""What a selection is made of, and how it is read: entities, relationships (each
stored one, with the quarterly totals beside the referrals they sum), the
``--label``/``--kind`` filters, and the reads by id that every kind of
selection shares (see :mod:`htkg.selection`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

from htkg.errors import QueryError
from htkg.graph.summary import TYPE as SUMMARY
from htkg.queries.params import kinds as org_kinds
from htkg.schema.model import load_schema

MAX_NODES = 5000
SUMMED = "REFERRED"  # what the quarterly totals (SUMMARY) sum
#: Published NRM cells whose people no relationship holds: figures kept to reconcile
#: totals, linked to nothing, so an overview leaves them out and says so.
UNATTRIBUTED = "Unattributed"
UNATTRIBUTED_NOTE = ("{n:,} published NRM cells whose people are in no relationship (a "
                     "nationality published as Unknown, a name htkg could not resolve) are "
                     "not drawn: htkg query unattributed lists them.")

_NODE = "labels(n) AS labels, properties(n) AS props"
# A row per two ends and type lists each relationship: fewer rows to decode.
_REL = ("a.id AS a, type(r) AS type, b.id AS b, collect(elementId(r)) AS e, "
        "collect(properties(r)) AS props")
ALL_NODES = f"MATCH (n) RETURN {_NODE}"
ALL_RELATIONSHIPS = f"MATCH (a)-[r]->(b) RETURN {_REL}"
_NODES_BY_ID = f"MATCH (n) WHERE n.id IN $ids RETURN {_NODE}"
_RELS_AMONG = f"MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids RETURN {_REL}"
_RELS_TOUCHING = ("MATCH (a)-[r]->(b) WHERE (a.id IN $t AND b.id IN $ids) OR (b.id IN $t AND "
                  f"a.id IN $ids) RETURN {_REL}")
_STAR = ("MATCH (n {id: $id})-[r]-(m) RETURN elementId(r) AS e, type(r) AS type, "
         "startNode(r).id = $id AS outgoing, m.id AS other, m.name AS other_name, "
         "properties(r) AS props ORDER BY type, other_name")


class Entity(NamedTuple):
    label: str
    props: dict


class Relationship(NamedTuple):
    """One stored relationship: its ends, type, every property, its element id."""

    a: str
    type: str
    b: str
    props: dict
    element_id: str | None = None


@dataclass
class Selection:
    """Entities by id (insertion-ordered) and every stored relationship among them."""

    nodes: dict[str, Entity]
    relationships: list[Relationship]
    title: str
    notes: list[str] = field(default_factory=list)
    focus: str | None = None
    anchors: list[str] = field(default_factory=list)

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.nodes


# -- filters ----------------------------------------------------------------------
def normalise_filters(labels: Iterable[str], kinds: Iterable[str]) -> tuple[list[str], list[str]]:
    """Check ``--label`` and ``--kind`` values; a kind that is a label counts as a label.

    Labels match the schema case-insensitively; kinds are organisation kinds
    (``ngo``, ``police-force``, ``Police force``...). Unknown values raise
    :class:`QueryError` listing the known ones.

    >>> normalise_filters(["sector"], ["Police force", "country"])
    (['Country', 'Sector'], ['police_force'])
    """
    known_labels = {name.casefold(): name for name in load_schema().labels}
    known_kinds = list(org_kinds())
    out_labels: list[str] = []
    out_kinds: list[str] = []
    for text in labels:
        label = known_labels.get(text.strip().casefold())
        if label is None:
            raise QueryError(f"unknown label '{text}'; labels: {', '.join(known_labels.values())}")
        out_labels.append(label)
    for text in kinds:
        if text.strip().casefold() in known_labels:
            out_labels.append(known_labels[text.strip().casefold()])
            continue
        kind = "_".join(text.strip().casefold().replace("-", " ").split())
        if kind not in known_kinds:
            raise QueryError(f"unknown kind '{text}'; organisation kinds: {', '.join(known_kinds)}"
                             f" (or a label: {', '.join(known_labels.values())})")
        out_kinds.append(kind)
    return sorted(set(out_labels)), sorted(set(out_kinds))


def keeps(label: str, props: dict, labels: list[str], kinds: list[str]) -> bool:
    """Whether a node passes the ``--label`` / ``--kind`` filter (no filter keeps all)."""
    if not labels and not kinds:
        return True
    return label in labels or (label == "Organisation" and props.get("kind") in kinds)


# -- reading ------------------------------------------------------------------------
def _label(labels: list[str]) -> str:
    """The node's label the schema declares (its only one, as htkg writes them;
    the schema is read only when there are more to choose from)."""
    if len(labels) == 1:
        return labels[0]
    return ([x for x in labels if x in load_schema().labels] or sorted(labels) or ["Node"])[0]


def _add_entities(nodes: dict[str, Entity], rows: Iterable[dict]) -> dict[str, Entity]:
    for row in rows:
        props = row["props"] or {}
        node_id = props.get("id")
        if node_id is not None and node_id not in nodes:
            nodes[node_id] = Entity(_label(row["labels"] or []), props)
    return nodes


def _relationships(rows: Iterable[dict], nodes: dict[str, Entity]) -> list[Relationship]:
    """The relationships listed in ``rows`` (see ``_REL``) with both ends among ``nodes``."""
    return [Relationship(r["a"], r["type"], r["b"], props or {}, e)
            for r in rows if r["a"] in nodes and r["b"] in nodes
            for e, props in zip(r["e"], r["props"])]


def _with_totals(rels: list[Relationship], beside: list[Relationship] = ()) -> list[Relationship]:
    """``rels`` with a quarterly total only where a REFERRED relationship between
    the same two entities is among them or ``beside`` them."""
    summed = {(r.a, r.b) for r in (*rels, *beside) if r.type == SUMMED}
    return [r for r in rels if r.type != SUMMARY or (r.a, r.b) in summed]


def read_ids(store, ids: Iterable[str]) -> tuple[dict[str, Entity], list[Relationship]]:
    """The entities with these ids and every relationship among them (totals
    where the REFERRED they sum are among them)."""
    ids = sorted(set(ids))
    if not ids:
        return {}, []
    nodes = _add_entities({}, store.read(_NODES_BY_ID, {"ids": ids}).rows)
    return nodes, _with_totals(_relationships(store.read(_RELS_AMONG, {"ids": ids}).rows, nodes))
