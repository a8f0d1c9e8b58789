"""Read what a map shows from the store into networkx.

Three kinds of map, all ending as a :class:`MapGraph`:

- the overview: every entity (countries with no relationship at all are
  left out, and counted in a note: the ISO list would otherwise bury the
  map under 200 lone dots);
- a focus: one entity and its neighbours to a depth, walked hop by hop;
- a saved query: the nodes, relationships and paths it returns (and, for
  queries that return ids or names, the entities those name).

``--kind`` / ``--label`` then keep only some kinds of node (a focus entity
is always kept). Parallel relationships of one type between the same two
entities (REFERRED holds one per quarter, exploitation and nationality) are
drawn as one edge that carries their count, the people they add up to and
every property row for the tooltip.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from htkg.errors import QueryError
from htkg.graph.model import where

MAX_NODES = 5000
# Property rows kept per drawn edge (for its tooltip); counts and sums use all.
MAX_ROWS_PER_EDGE = 200

_NODE_COLUMNS = "n.id AS id, labels(n)[0] AS label, properties(n) AS props"
_EDGE_COLUMNS = "a.id AS a, b.id AS b, type(r) AS type, collect(properties(r)) AS rels"
# Quarterly totals (graph/summary.py) repeat the REFERRED relationships a map draws.
_DRAWN = "type(r) <> 'REFERRED_QUARTER'"


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

    def sources(self) -> list[tuple[str, int, int]]:
        """The provenance files that fed what is shown: (file, nodes, relationships)."""
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


# -- filters --------------------------------------------------------------
def _schema():
    from htkg.schema.model import load_schema
    return load_schema()


def _slug(text: str) -> str:
    return "_".join(text.strip().casefold().replace("-", " ").split())


def organisation_kinds() -> list[str]:
    prop = _schema().labels["Organisation"].properties["kind"]
    return list(getattr(prop, "values", None) or [])


def normalise_filters(labels: Iterable[str], kinds: Iterable[str]) -> tuple[list[str], list[str]]:
    """Check ``--label`` and ``--kind`` values; a kind that is a label counts as a label.

    Labels match the schema case-insensitively; kinds are organisation kinds
    (``ngo``, ``police-force``, ``Police force``...). Unknown values raise
    :class:`QueryError` listing the known ones.
    """
    known_labels = {name.casefold(): name for name in _schema().labels}
    known_kinds = organisation_kinds()
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
        kind = _slug(text)
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


def _too_large(n: int, what: str) -> QueryError:
    return QueryError(
        f"{what} would have {n} nodes, more than the {MAX_NODES} a map can show legibly; "
        f"narrow it with --focus ENTITY (and --depth), --kind K or --label L, or map a saved "
        f"query with --query NAME")


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


# -- reading from the store ----------------------------------------------------
def _label_filter_clause(labels: list[str], kinds: list[str]) -> str:
    if not labels and not kinds:
        return ""
    return (" WHERE labels(n)[0] IN $labels OR "
            "(labels(n)[0] = 'Organisation' AND n.kind IN $kinds)")


def read_overview(store, labels: list[str], kinds: list[str]) -> MapGraph:
    filtered = bool(labels or kinds)
    params = {"labels": labels, "kinds": kinds}
    where_clause = _label_filter_clause(labels, kinds)
    total = store.read(f"MATCH (n){where_clause} RETURN count(n) AS n", params).rows[0]["n"]
    # Lone countries are left out of an unfiltered overview, so count those first.
    lone = 0
    if not filtered:
        lone = store.read("MATCH (n:Country) WHERE NOT (n)--() RETURN count(n) AS n").rows[0]["n"]
    if total - lone > MAX_NODES:
        raise _too_large(total - lone, "the overview" + (" with these filters" if filtered else ""))
    g = nx.MultiDiGraph()
    for row in store.read(f"MATCH (n){where_clause} RETURN {_NODE_COLUMNS}", params).rows:
        _add_node(g, row["id"], row["label"], row["props"])
    for row in store.read(f"MATCH (a)-[r]->(b) WHERE {_DRAWN} RETURN {_EDGE_COLUMNS}").rows:
        if row["a"] in g and row["b"] in g:
            add_edge_rows(g, row["a"], row["b"], row["type"], row["rels"])
    notes = []
    if not filtered:
        alone = [n for n, d in g.nodes(data=True) if d["label"] == "Country" and g.degree(n) == 0]
        if alone:
            g.remove_nodes_from(alone)
            notes.append(f"{len(alone)} countries with no relationship on this map are left out "
                         f"(map them with --label Country)")
    title = "Overview of the graph"
    if filtered:
        title += ": " + ", ".join([*labels, *kinds])
    return MapGraph(g=g, title=title, notes=notes)


def _neighbours(store, frontier: list[str]) -> set[str]:
    rows = store.read("MATCH (n)--(m) WHERE n.id IN $ids RETURN DISTINCT m.id AS id",
                      {"ids": frontier}).rows
    return {r["id"] for r in rows if r["id"] is not None}


def read_ids(store, ids: Iterable[str], g: nx.MultiDiGraph | None = None,
             touching: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The entities with these ids and every relationship among them.

    With ``touching``, only the relationships with an end among those ids
    are read (the nodes already in ``g`` keep the relationships they have).
    """
    g = nx.MultiDiGraph() if g is None else g
    ids = sorted(set(ids))
    if not ids:
        return g
    rows = store.read(f"MATCH (n) WHERE n.id IN $ids RETURN {_NODE_COLUMNS}", {"ids": ids}).rows
    for row in rows:
        if row["id"] not in g:
            _add_node(g, row["id"], row["label"], row["props"])
    if touching is None:
        query = f"MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids AND {_DRAWN}"
        params = {"ids": ids}
    else:
        query = ("MATCH (a)-[r]->(b) WHERE ((a.id IN $t AND b.id IN $ids) "
                 f"OR (b.id IN $t AND a.id IN $ids)) AND {_DRAWN}")
        params = {"ids": ids, "t": sorted(set(touching))}
    for row in store.read(f"{query} RETURN {_EDGE_COLUMNS}", params).rows:
        if not g.has_edge(row["a"], row["b"], key=row["type"]):
            add_edge_rows(g, row["a"], row["b"], row["type"], row["rels"])
    return g


def read_focus(store, entity: str, depth: int, labels: list[str], kinds: list[str]) -> MapGraph:
    from htkg.graph.inspect import resolve_entity, store_resolver
    if depth < 1:
        raise QueryError(f"--depth must be 1 or more, not {depth}")
    focus = resolve_entity(store_resolver(store), entity)
    seen = {focus}
    frontier = [focus]
    for hop in range(depth):
        if not frontier:
            break
        found = _neighbours(store, frontier) - seen
        seen |= found
        frontier = sorted(found)
        if len(seen) > MAX_NODES and not (labels or kinds):
            raise _too_large(len(seen), f"the neighbourhood of '{entity}' to depth {hop + 1}")
    g = nx.MultiDiGraph()
    rows = store.read(f"MATCH (n) WHERE n.id IN $ids RETURN {_NODE_COLUMNS}",
                      {"ids": sorted(seen)}).rows
    kept = [r for r in rows
            if r["id"] == focus or keeps(r["label"], r["props"] or {}, labels, kinds)]
    if len(kept) > MAX_NODES:
        raise _too_large(len(kept), f"the neighbourhood of '{entity}' to depth {depth}")
    read_ids(store, [r["id"] for r in kept], g)
    name = g.nodes[focus]["props"].get("name", focus)
    title = f"{name} and its neighbours" + (f" to depth {depth}" if depth > 1 else "")
    if labels or kinds:
        title += ": " + ", ".join([*labels, *kinds])
    notes = []
    if len(kept) < len(rows):
        notes.append(f"{len(rows) - len(kept)} neighbours of other kinds are left out")
    return MapGraph(g=g, title=title, notes=notes, focus=focus)


# -- saved queries ---------------------------------------------------------------
def graph_from_records(store, records: list) -> tuple[nx.MultiDiGraph, int]:
    """Nodes, relationships and paths in query results as a map graph.

    Returns the graph and how many plain values (ids or names) were read as
    entities because the query returned no graph objects for them.
    """
    import neo4j.graph as ng
    g = nx.MultiDiGraph()
    element_ids: dict[str, str] = {}
    rels: list[Any] = []
    texts: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, ng.Node):
            if value.get("id") is not None:
                element_ids[value.element_id] = value["id"]
                _add_node(g, value["id"], sorted(value.labels)[0] if value.labels else "Node",
                          dict(value.items()))
        elif isinstance(value, ng.Relationship):
            rels.append(value)
            for end in (value.start_node, value.end_node):
                if end is not None and end.get("id") is not None:
                    visit(end)
        elif isinstance(value, ng.Path):
            for n in value.nodes:
                visit(n)
            for r in value.relationships:
                visit(r)
        elif isinstance(value, (list, tuple)):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)
        elif isinstance(value, str):
            texts.add(value)

    for record in records:
        for value in record:
            visit(value)
    missing = {e for r in rels for e in (r.start_node.element_id, r.end_node.element_id)
               if e not in element_ids}
    if missing:
        rows = store.read("MATCH (n) WHERE elementId(n) IN $e RETURN elementId(n) AS e, "
                          + _NODE_COLUMNS, {"e": sorted(missing)}).rows
        for row in rows:
            element_ids[row["e"]] = row["id"]
            _add_node(g, row["id"], row["label"], row["props"])
    for r in rels:
        a, b = element_ids.get(r.start_node.element_id), element_ids.get(r.end_node.element_id)
        if a and b:
            add_edge_rows(g, a, b, r.type, [dict(r.items())])
    named = 0
    if g.number_of_nodes() == 0 and texts:
        # A query that returns columns of values: map the entities they name,
        # by id or by exact canonical name (no fuzzy matching of free text).
        by_name: dict[str, list[str]] = {}
        ids: set[str] = set()
        for row in store.read("MATCH (n) RETURN n.id AS id, n.name AS name").rows:
            if row["id"] in texts:
                ids.add(row["id"])
            if row["name"] in texts:
                by_name.setdefault(row["name"], []).append(row["id"])
        ids |= {found[0] for found in by_name.values() if len(found) == 1}
        named = len(ids)
        if named > MAX_NODES:
            raise _too_large(named, "this query's map")
        read_ids(store, ids, g)
    return g, named


def read_query(store, name: str, params: dict | None, labels: list[str], kinds: list[str],
               queries_dirs: Iterable[str | Path] = ()) -> MapGraph:
    from htkg.maps.saved import prepare
    query_text, bound, shown, anchors = prepare(store, name, params or {}, queries_dirs)
    _, records = store.read_records(query_text, bound)
    g, named = graph_from_records(store, records)
    notes = []
    if named:
        notes.append(f"the query returns values, not nodes: the map shows the {named} entities "
                     f"they name and the relationships among them")
    missing = [a for a in anchors if a not in g]
    if missing:
        # The entities the parameters name, linked to what the query found.
        if not g.number_of_nodes():
            notes.append("the query returned nothing: the map shows the entities its "
                         "parameters name")
        read_ids(store, [*g.nodes, *missing], g, touching=missing)
    if labels or kinds:
        drop = [n for n, d in g.nodes(data=True)
                if n not in anchors and not keeps(d["label"], d["props"], labels, kinds)]
        g.remove_nodes_from(drop)
        if drop:
            notes.append(f"{len(drop)} nodes of other kinds are left out")
    if g.number_of_nodes() > MAX_NODES:
        raise _too_large(g.number_of_nodes(), "this query's map")
    if g.number_of_nodes() == 0:
        notes.append("the query found nothing to draw")
    focus = anchors[0] if len(anchors) == 1 and anchors[0] in g else None
    return MapGraph(g=g, title=f"Saved query {shown}", notes=notes, focus=focus)


def read_map(store, *, focus: str | None = None, depth: int = 1, query: str | None = None,
             params: dict | None = None, kinds: Iterable[str] = (), labels: Iterable[str] = (),
             title: str | None = None, queries_dirs: Iterable[str | Path] = ()) -> MapGraph:
    """The subgraph one map shows, with its header's title, dates and notes."""
    if focus and query:
        raise QueryError("give --focus or --query, not both")
    if params and not query:
        raise QueryError("-p gives a saved query's parameters: use it with --query NAME")
    labels, kinds = normalise_filters(labels, kinds)
    if query:
        mg = read_query(store, query, params, labels, kinds, queries_dirs)
    elif focus:
        mg = read_focus(store, focus, depth, labels, kinds)
    else:
        mg = read_overview(store, labels, kinds)
    if title:
        mg.title = title
    mg.store = getattr(store, "shown", None)
    mg.built = build_date(mg.store)
    return mg
