"""The one in-memory graph that loaders feed and everything else reads.

A :class:`KnowledgeGraph` wraps a networkx ``MultiDiGraph`` whose node keys
are entity ids. Every record is validated against the schema as it is
added; a bad record raises :class:`~htkg.errors.LoadError` naming the file
and line it came from. Adding the same entity twice merges it: aliases and
sources are unioned, other properties are filled in (a later source may add
a property; it may not change the label).

>>> from htkg.graph.records import Node, Edge
>>> kg = KnowledgeGraph()
>>> kg.add(Node("Sector", "sector-postal", {"name": "Postal services"}, "a.yaml:3 (registry)"))
>>> kg.add(Node("Organisation", "royal-mail", {"name": "Royal Mail", "kind": "company"}, "a.yaml:9 (registry)"))
>>> kg.add(Edge("OPERATES_IN", "royal-mail", "sector-postal", {}, "a.yaml:9 (registry)"))
>>> kg.counts()
({'Organisation': 1, 'Sector': 1}, {'OPERATES_IN': 1})
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import networkx as nx

from htkg.errors import LoadError
from htkg.graph.lookalike import LookalikeIndex
from htkg.graph.records import Edge, Node, Provenance, Unresolved
from htkg.graph.table import RelationshipTable, cached
from htkg.schema.model import Schema, load_schema

_MERGED = ("aliases", "sources")


def where(source: str) -> tuple[str | None, int | None]:
    """Where a record came from, as (file, line) for error messages.

    >>> where("registry/organisations.yaml:12 (registry)")
    ('registry/organisations.yaml', 12)
    >>> where("minutes.txt ¶4.5 (minutes)")
    ('minutes.txt ¶4.5', None)
    """
    p = Provenance.parse(source)
    if p.paragraph is not None:
        return p.where, None
    return (p.file or None), p.line


@dataclass
class KnowledgeGraph:
    """Validated entities and relationships, with their provenance."""

    schema: Schema = field(default_factory=load_schema)
    g: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    unresolved: list[Unresolved] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Relationship types the schema marks compact, by type (graph/table.py).
    tables: dict[str, RelationshipTable] = field(default_factory=dict)
    # Every entity's names as shown, so that a lookalike body is refused (graph/lookalike.py).
    lookalikes: LookalikeIndex = field(default_factory=LookalikeIndex, repr=False)
    # Partial entities still missing required properties: id -> (what completes it, source).
    incomplete: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    # -- adding -----------------------------------------------------------
    def add(self, record: Node | Edge) -> None:
        """Validate and add one record (a :class:`Node` or an :class:`Edge`)."""
        if isinstance(record, Node):
            self._add_node(record)
        elif isinstance(record, Edge):
            self._add_edge(record)
        else:
            raise TypeError(f"not a graph record: {record!r}")

    def add_all(self, records: Iterable[Node | Edge]) -> int:
        """Add every record; return how many were added."""
        n = 0
        for n, record in enumerate(records, 1):
            self.add(record)
        return n

    def report_unresolved(self, name: str, kind: str, source: str) -> None:
        """Record a name that resolved to nothing; it is listed in the build summary."""
        self.unresolved.append(Unresolved(name, kind, source))

    def _fail(self, record: Node | Edge, message: str) -> LoadError:
        file, line = where(record.source)
        return LoadError(message, file, line)

    def check_complete(self) -> None:
        """Refuse a partial entity that no file completed (see :class:`Node`).

        >>> kg = KnowledgeGraph()
        >>> kg.add(Node("Organisation", "home-office", {"nation": ["GB-ENG"]},
        ...             "organisations.yaml:3 (registry)", completed_by="GOV.UK's 'home-office'"))
        >>> kg.check_complete()
        Traceback (most recent call last):
        ...
        htkg.errors.LoadError: organisations.yaml:3: Organisation 'home-office' is missing required properties: name, kind; it leaves them to GOV.UK's 'home-office', which no file loaded gave
        >>> kg.add(Node("Organisation", "home-office", {"name": "Home Office", "kind": "department"}))
        >>> kg.check_complete()
        """
        for node_id, (completed_by, source) in sorted(self.incomplete.items()):
            label, props = self.node(node_id)
            missing = self._missing(self.schema.labels[label].properties, props)
            raise self._fail(Node(label, node_id, {}, source),
                             f"{label} '{node_id}' is missing required "
                             f"propert{'y' if len(missing) == 1 else 'ies'}: "
                             f"{', '.join(missing)}; it leaves them to {completed_by}, "
                             f"which no file loaded gave")

    @staticmethod
    def _missing(declared: dict, props: dict) -> list[str]:
        return [p.name for p in declared.values()
                if p.required and p.name not in props and p.name not in ("id", "sources")]

    def _clean(self, record, declared: dict, what: str, new: bool) -> dict:
        clean: dict[str, Any] = {}
        for name, value in record.props.items():
            if value is None:
                continue
            prop = declared.get(name)
            if prop is None or name == "sources":
                raise self._fail(record, f"{what} has no property '{name}'; "
                                         f"it has: {', '.join(p for p in declared if p != 'sources')}")
            try:
                clean[name] = prop.clean(value)
            except ValueError as exc:
                raise self._fail(record, f"{what}: property '{name}': {exc}") from None
        if new and not getattr(record, "completed_by", None):
            missing = self._missing(declared, clean)
            if missing:
                raise self._fail(record, f"{what} is missing required "
                                         f"propert{'y' if len(missing) == 1 else 'ies'}: "
                                         f"{', '.join(missing)}")
        return clean

    def _add_node(self, node: Node) -> None:
        label = self.schema.labels.get(node.label)
        if label is None:
            raise self._fail(node, f"unknown label '{node.label}'; known labels: "
                                   f"{', '.join(self.schema.labels)}")
        try:
            label.properties["id"].clean(node.id)
        except ValueError as exc:
            raise self._fail(node, f"{node.label} id: {exc}") from None
        existing = self.g.nodes.get(node.id)
        what = f"{node.label} '{node.id}'"
        props = self._clean(node, label.properties, what, new=existing is None)
        # A partial entity is checked again when another file completes it (its name).
        self.lookalikes.check(node, new=existing is None or node.id in self.incomplete)
        if existing is None:
            props.setdefault("aliases", [])
            props["sources"] = [node.source] if node.source else []
            props["id"] = node.id
            self.g.add_node(node.id, label=node.label, props=props)
            if node.completed_by and self._missing(label.properties, props):
                self.incomplete[node.id] = (node.completed_by, node.source)
            return
        if existing["label"] != node.label:
            raise self._fail(node, f"id '{node.id}' is already a {existing['label']}, "
                                   f"not a {node.label} (ids are unique across labels)")
        self._merge(existing["props"], props, node.source)
        if node.id in self.incomplete and not self._missing(label.properties, existing["props"]):
            del self.incomplete[node.id]

    @staticmethod
    def _merge(target: dict, props: dict, source: str) -> None:
        """Fill in: the first source of a value keeps it; lists are unioned.

        A different name from a later source becomes an alias, so the
        registry's canonical names and descriptions are never overwritten
        by a loader that mentions the same entity.
        """
        for name, value in props.items():
            if name in _MERGED:
                continue
            if name == "name" and target.get("name") and target["name"] != value:
                target.setdefault("aliases", [])
                if value not in target["aliases"]:
                    target["aliases"].append(value)
                continue
            if isinstance(value, list) and isinstance(target.get(name), list):
                target[name] += [v for v in value if v not in target[name]]
            elif target.get(name) is None:
                target[name] = value
        for alias in props.get("aliases", []):
            if alias not in target.setdefault("aliases", []) and alias != target.get("name"):
                target["aliases"].append(alias)
        if source and source not in target.setdefault("sources", []):
            target["sources"].append(source)

    def _add_edge(self, edge: Edge) -> None:
        rel = self.schema.relationships.get(edge.type)
        if rel is None:
            raise self._fail(edge, f"unknown relationship type '{edge.type}'; known types: "
                                   f"{', '.join(self.schema.relationships)}")
        ends = []
        for end in (edge.source_id, edge.target_id):
            data = self.g.nodes.get(end)
            if data is None:
                raise self._fail(edge, f"{edge.type} refers to unknown entity '{end}'")
            ends.append(data["label"])
        if tuple(ends) not in rel.between:
            allowed = "; ".join(f"{a} to {b}" for a, b in rel.between)
            raise self._fail(edge, f"{edge.type} cannot link {ends[0]} '{edge.source_id}' to "
                                   f"{ends[1]} '{edge.target_id}'; it links {allowed}")
        what = f"{edge.type} from '{edge.source_id}' to '{edge.target_id}'"
        props = self._clean(edge, rel.properties, what, new=True)
        if rel.compact:
            table = self._table(rel)
            table.add(edge.source_id, edge.target_id, tuple(props.get(c) for c in table.columns),
                      edge.source)
            return
        key = rel.graph_key(props)
        existing = self.g.get_edge_data(edge.source_id, edge.target_id, key)
        if existing is None:
            props["sources"] = [edge.source] if edge.source else []
            self.g.add_edge(edge.source_id, edge.target_id, key=key, type=edge.type, props=props)
        else:
            self._merge(existing["props"], props, edge.source)

    def _table(self, rel) -> RelationshipTable:
        table = self.tables.get(rel.name)
        if table is None:
            table = self.tables[rel.name] = RelationshipTable(rel)
        return table

    def add_edges(self, rel_type: str, rows: Iterable[tuple[str, str, dict, str]]) -> int:
        """Add many relationships of one compact type; return how many rows came.

        ``rows`` are (source id, target id, properties, provenance), checked
        by :meth:`check_edges`.
        """
        checked = self.check_edges(rel_type, rows)
        self.add_checked(rel_type, checked)
        return len(checked)

    def check_edges(self, rel_type: str, rows: Iterable[tuple[str, str, dict, str]]
                    ) -> list[tuple[str, str, tuple, str]]:
        """Check relationships of one compact type without adding them.

        Each row is checked as :meth:`add` checks an :class:`Edge` (known
        endpoints of the right labels, only declared properties, each of its
        declared type, required ones present), each distinct value cleaned
        once; a bad row raises :class:`LoadError` naming its file and line.
        Returns the rows with their values in the table's column order, for
        :meth:`add_checked` (here or, after pickling, in another process).
        """
        rel = self.schema.relationships[rel_type]
        if not rel.compact:
            raise ValueError(f"{rel_type} is not a compact relationship type; add Edge records")
        columns = RelationshipTable.columns_of(rel)
        plan = [(c, cached(rel.properties[c].clean)) for c in columns]
        declared = set(columns)
        required = [j for j, c in enumerate(columns) if rel.properties[c].required]
        labels: dict[str, str | None] = {}
        nodes = self.g.nodes
        out = []
        for a, b, props, source in rows:
            for end in (a, b):
                if end not in labels:
                    data = nodes.get(end)
                    labels[end] = data and data["label"]
            try:
                if (labels[a], labels[b]) not in rel.between or not props.keys() <= declared:
                    raise ValueError
                values = tuple([None if (v := props.get(c)) is None else clean(v)
                                for c, clean in plan])
                if any(values[j] is None for j in required):
                    raise ValueError
            except ValueError:
                raise self._row_error(Edge(rel_type, a, b, props, source)) from None
            out.append((a, b, values, source))
        return out

    def add_checked(self, rel_type: str, rows: Iterable[tuple[str, str, tuple, str]]) -> None:
        """Add rows :meth:`check_edges` returned, merging repeats."""
        add = self._table(self.schema.relationships[rel_type]).add
        for a, b, values, source in rows:
            add(a, b, values, source)

    def _row_error(self, edge: Edge) -> LoadError:
        """The error :meth:`add` gives for a row that failed a bulk check."""
        try:
            self._add_edge(edge)
        except LoadError as exc:
            return exc
        return self._fail(edge, f"{edge.type} from '{edge.source_id}' to '{edge.target_id}' "
                                f"could not be added")

    # -- reading ----------------------------------------------------------
    def node(self, node_id: str) -> tuple[str, dict] | None:
        """(label, properties) of one entity, or None."""
        data = self.g.nodes.get(node_id)
        return None if data is None else (data["label"], data["props"])

    def nodes(self, label: str | None = None) -> Iterator[tuple[str, str, dict]]:
        """Yield (id, label, properties), optionally of one label."""
        for node_id, data in self.g.nodes(data=True):
            if label is None or data["label"] == label:
                yield node_id, data["label"], data["props"]

    def edges(self, type: str | None = None) -> Iterator[tuple[str, str, str, dict]]:
        """Yield (source id, target id, type, properties)."""
        for a, b, data in self.g.edges(data=True):
            if type is None or data["type"] == type:
                yield a, b, data["type"], data["props"]
        for name, table in self.tables.items():
            if type is None or name == type:
                for a, b, props in table.edges():
                    yield a, b, name, props

    def relationships(self) -> Iterator[tuple[str, str, str, str, dict]]:
        """Yield (source id, target id, key, type, properties): the key tells
        apart relationships of one type between the same two entities."""
        for a, b, key, data in self.g.edges(keys=True, data=True):
            yield a, b, key, data["type"], data["props"]
        for name, table in self.tables.items():
            for row in table.rows:
                yield row[0], row[1], table.key_of(row), name, table.props(row)

    def sorted_relationships(self) -> list[tuple[str, str, str, str, dict]]:
        """:meth:`relationships` in a stable order: by source, type, target, key."""
        return sorted(self.relationships(), key=lambda r: (r[0], r[3], r[1], r[2]))

    def targets(self, node_id: str) -> set[tuple[str, str]]:
        """(type, target id) of every relationship from this entity."""
        out = {(d["type"], b) for _, b, d in self.g.out_edges(node_id, data=True)}
        for name, table in self.tables.items():
            out.update((name, b) for b in table.targets(node_id))
        return out

    def number_of_relationships(self) -> int:
        return self.g.number_of_edges() + sum(len(t) for t in self.tables.values())

    def size(self) -> int:
        """Entities plus relationships: the unit of the writers' progress bars."""
        return self.g.number_of_nodes() + self.number_of_relationships()

    def label_of(self, node_id: str) -> str:
        return self.g.nodes[node_id]["label"]

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Counts per label and per relationship type, sorted by name."""
        labels = Counter(d["label"] for _, d in self.g.nodes(data=True))
        types = Counter(d["type"] for _, _, d in self.g.edges(data=True))
        types.update({name: len(t) for name, t in self.tables.items() if len(t)})
        return dict(sorted(labels.items())), dict(sorted(types.items()))
