"""What a map draws: a :class:`~htkg.selection.Selection` as a networkx graph.

The selection (:mod:`htkg.selection`) decides which entities and
relationships a map is about: the overview, a focus, or a saved query,
with ``--kind`` / ``--label``. Here parallel relationships of one type
between the same two entities (REFERRED holds one per quarter,
exploitation and nationality) become one drawn edge that carries their
count, the people they add up to and every property row for the tooltip.
Quarterly totals (REFERRED_QUARTER) are not drawn beside the REFERRED
relationships they sum.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import networkx as nx

from htkg.graph.model import where
from htkg.selection import SUMMARY, SUMMED, Selection, find_query, select

# Property rows kept per drawn edge (for its tooltip); counts and sums use all.
MAX_ROWS_PER_EDGE = 200


@dataclass
class MapGraph:
    """A map's subgraph with what its header says.

    ``g`` is a networkx MultiDiGraph keyed by entity id; node attributes
    ``label`` and ``props`` (the stored properties, ``sources`` included);
    one edge per (source, target, type), keyed by the type, with attributes
    ``type``, ``count`` (stored relationships it stands for), ``people``
    (their summed ``people``, or None), ``rows`` (their properties) and
    ``sources``.
    """

    g: nx.MultiDiGraph
    title: str
    built: str | None = None
    made: str = field(default_factory=lambda: _now())
    notes: list[str] = field(default_factory=list)
    focus: str | None = None
    store: str | None = None
    #: Each node's figure (what its size shows); computed from ``g`` when None.
    figures: "Figures | None" = None
    #: What ``--top`` left out, when it did.
    cut: "Cut | None" = None
    #: Source files with what they fed, when known without reading every record.
    source_files: list[tuple[str, int, int]] | None = None
    #: What the map shows, in words, where counting its nodes would not say it.
    shown: str | None = None

    def sources(self) -> list[tuple[str, int, int]]:
        """The provenance files that fed what is shown: (file, nodes, relationships)."""
        if self.source_files is not None:
            return list(self.source_files)
        nodes: dict[str, int] = {}
        rels: dict[str, int] = {}
        for _, data in self.g.nodes(data=True):
            for f in {_file_of(s) for s in (data.get("props") or {}).get("sources") or []}:
                nodes[f] = nodes.get(f, 0) + 1
        for _, _, data in self.g.edges(data=True):
            for f in {_file_of(s) for s in data.get("sources") or []}:
                rels[f] = rels.get(f, 0) + 1
        files = set(nodes) | set(rels)
        return sorted(((f, nodes.get(f, 0), rels.get(f, 0)) for f in files),
                      key=lambda t: (-t[1], -t[2], t[0]))


@dataclass
class Figures:
    """The figure behind each node's size, and what it counts.

    ``value`` sizes the nodes; ``people`` (people referred through a node's
    relationships, when the map has NRM referrals) and ``degree`` (distinct
    neighbours) are what tooltips say.
    """

    value: dict[str, float]
    size_by: str
    degree: dict[str, int]
    people: dict[str, float] | None = None


@dataclass
class Cut:
    """What ``--top`` left out of a map: links not drawn, and entities (by kind)
    that only those links reached."""

    shown: int
    total: int
    by: str
    entities: dict[str, int] = field(default_factory=dict)

    @property
    def more(self) -> int:
        return self.total - self.shown


def figures_of(g: nx.MultiDiGraph) -> Figures:
    """People referred through each node where the map has referrals, else its
    number of distinct neighbours (whatever the direction or relationship count).

    >>> g = nx.MultiDiGraph()
    >>> add_edge_rows(g, "police", "vn", "REFERRED", [{"people": 3}, {"people": 4}])
    >>> add_edge_rows(g, "ngo", "vn", "REFERRED", [{"people": 1}])
    >>> f = figures_of(g)
    >>> f.size_by, f.value["vn"], f.value["police"], f.degree["vn"]
    ('people referred', 8, 7, 2)
    """
    people: dict[str, float] = {v: 0 for v in g}
    has_people = False
    for a, b, data in g.edges(data=True):
        if data.get("people") is not None:
            has_people = True
            people[a] += data["people"]
            if b != a:
                people[b] += data["people"]
    degree = {v: len((set(g.successors(v)) | set(g.predecessors(v))) - {v}) for v in g}
    if has_people:
        return Figures(dict(people), "people referred", degree, people)
    return Figures({v: float(d) for v, d in degree.items()}, "relationships", degree)


def _now() -> str:
    return _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


def _file_of(source: str) -> str:
    """The file (or dataset) part of a provenance string.

    >>> _file_of("data/registry/organisations.yaml:12 (registry)")
    'data/registry/organisations.yaml'
    >>> _file_of("idmg-minutes.txt ¶4.5 (minutes)"), _file_of("pycountry:iso3166-1#NG (registry)")
    ('idmg-minutes.txt', 'pycountry:iso3166-1')
    """
    file, _ = where(source)
    file = file or source
    return file.split(" ¶", 1)[0].split("#", 1)[0]


def build_date(shown: str | None) -> str | None:
    """When the embedded store's current graph was published, or None (servers)."""
    if not shown or "://" in shown:
        return None
    link = Path(shown).expanduser() / "current"
    try:
        stamp = os.lstat(link).st_mtime
    except OSError:
        return None
    return _dt.datetime.fromtimestamp(stamp).astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


# -- building the networkx graph -----------------------------------------------
def _clean_props(props: dict | None) -> dict:
    return {k: v for k, v in (props or {}).items() if v is not None}


def add_edge_rows(g: nx.MultiDiGraph, a: str, b: str, rel_type: str, rows: list[dict]) -> None:
    """Add (or merge into) the one drawn edge of ``rel_type`` from ``a`` to ``b``."""
    if g.has_edge(a, b, key=rel_type):
        data = g.edges[a, b, rel_type]
    else:
        g.add_edge(a, b, key=rel_type, type=rel_type, count=0, people=None, rows=[], sources=[])
        data = g.edges[a, b, rel_type]
    seen = set(data["sources"])
    for row in rows:
        row = {k: v for k, v in _clean_props(row).items() if k != "key"}
        data["count"] += 1
        people = row.get("people")
        if isinstance(people, (int, float)) and not isinstance(people, bool):
            data["people"] = (data["people"] or 0) + people
        for s in row.get("sources") or []:
            if s not in seen:
                seen.add(s)
                data["sources"].append(s)
        if len(data["rows"]) < MAX_ROWS_PER_EDGE:
            data["rows"].append({k: v for k, v in row.items() if k != "sources"})


def _add_node(g: nx.MultiDiGraph, node_id: str, label: str, props: dict) -> None:
    props = _clean_props(props)
    props.setdefault("id", node_id)
    props.setdefault("name", node_id)
    g.add_node(node_id, label=label or "Node", props=props)


def from_knowledge_graph(kg, title: str = "htkg map", **meta) -> MapGraph:
    """A map of an in-memory :class:`~htkg.graph.model.KnowledgeGraph` (no store needed)."""
    g = nx.MultiDiGraph()
    for node_id, label, props in kg.nodes():
        _add_node(g, node_id, label, dict(props))
    for a, b, rel_type, props in kg.edges():
        add_edge_rows(g, a, b, rel_type, [props])
    return MapGraph(g=g, title=title, **meta)


def map_of(sel: Selection, title: str | None = None) -> MapGraph:
    """The drawn graph of a selection: its entities, and one edge per two
    entities and type that stands for every relationship it merges."""
    g = nx.MultiDiGraph()
    for node_id, (label, props) in sel.nodes.items():
        _add_node(g, node_id, label, props)
    summed = {(r.a, r.b) for r in sel.relationships if r.type == SUMMED}
    parallel: dict[tuple[str, str, str], list[dict]] = {}
    for r in sel.relationships:
        if r.type != SUMMARY or (r.a, r.b) not in summed:
            parallel.setdefault((r.a, r.b, r.type), []).append(r.props)
    for (a, b, rel_type), rows in parallel.items():
        add_edge_rows(g, a, b, rel_type, rows)
    return MapGraph(g=g, title=title or sel.title, notes=list(sel.notes), focus=sel.focus)


def read_map(store, *, focus: str | None = None, depth: int = 1, query: str | None = None,
             params: dict | None = None, kinds: Iterable[str] = (), labels: Iterable[str] = (),
             title: str | None = None, queries_dirs: Iterable[str | Path] = ()) -> MapGraph:
    """The subgraph one map shows, with its header's title, dates and notes."""
    sel = select(store, focus=focus, depth=depth, query=query, params=params, kinds=kinds,
                 labels=labels, queries_dirs=queries_dirs)
    mg = map_of(sel, title)
    if query:
        # What the question asks, in its own words, before any note on the answer.
        description = find_query(query, queries_dirs).description.rstrip(".")
        mg.notes.insert(0, f"{description}.")
    mg.store = getattr(store, "shown", None)
    mg.built = build_date(mg.store)
    return mg
