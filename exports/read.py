"""Read the stored graph (embedded store or Neo4j) back into a KnowledgeGraph.

Every node and relationship is read with all its properties. The store's
internal relationship property ``key`` (the writer's MERGE key, recomputed
from the schema on every write) is dropped; lists the store left out
because they were empty (``aliases``) are restored as empty lists, as the
in-memory graph has them. Records are put in the graph as they are stored,
not re-validated: they were validated when built, and an export must show
the store as it is.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from htkg.graph.model import KnowledgeGraph

Progress = Callable[[str, int, int], None]

NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
RELATIONSHIPS = ("MATCH (a)-[r]->(b) "
                 "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props")
INTERNAL = ("key",)


def _label(labels: list[str], schema) -> str:
    known = [l for l in labels if l in schema.labels]
    return (known or sorted(labels) or ["Node"])[0]


def graph_from_rows(node_rows: Iterable[dict], rel_rows: Iterable[dict],
                    kg: KnowledgeGraph | None = None) -> KnowledgeGraph:
    """A KnowledgeGraph from rows of ``{labels, props}`` and ``{a, type, b, props}``.

    Relationships whose endpoints are not among the nodes are left out
    (a partial selection may name them)."""
    kg = kg or KnowledgeGraph()
    schema = kg.schema
    for row in node_rows:
        props = dict(row["props"] or {})
        node_id = props.get("id")
        if node_id is None or node_id in kg.g:
            continue
        label = _label(row.get("labels") or [], schema)
        declared = schema.labels.get(label)
        if declared is not None:
            for name, prop in declared.properties.items():
                if prop.type == "strings" and name in ("aliases", "sources"):
                    props.setdefault(name, [])
        kg.g.add_node(node_id, label=label, props=props)
    for row in rel_rows:
        a, b, rel_type = row["a"], row["b"], row["type"]
        if a not in kg.g or b not in kg.g:
            continue
        props = {k: v for k, v in (row["props"] or {}).items() if k not in INTERNAL}
        props.setdefault("sources", [])
        rel = schema.relationships.get(rel_type)
        key = rel.graph_key(props) if rel else f"{rel_type}|"
        kg.g.add_edge(a, b, key=key, type=rel_type, props=props)
    return kg


def read_graph(store, progress: Progress | None = None) -> KnowledgeGraph:
    """Every node and relationship of the store as a KnowledgeGraph."""
    if progress:
        progress("reading nodes", 0, 2)
    nodes = store.read(NODES).rows
    if progress:
        progress("reading relationships", 1, 2)
    rels = store.read(RELATIONSHIPS).rows
    kg = graph_from_rows(nodes, rels)
    if progress:
        progress("reading relationships", 2, 2)
    return kg


def comparable(kg: KnowledgeGraph) -> tuple[dict, list]:
    """A form of ``kg`` for comparing two graphs: node id -> (label, properties)
    and a sorted list of relationships, with lists as sorted lists of their
    distinct values and empty lists left out (a list property is a set of
    values: neither order nor repeats are part of the graph's meaning)."""
    def norm(props: dict) -> dict:
        out: dict[str, Any] = {}
        for k, v in props.items():
            if k in INTERNAL or v is None or v == []:
                continue
            out[k] = sorted(set(v), key=str) if isinstance(v, list) else v
        return out
    nodes = {node_id: (label, norm(props)) for node_id, label, props in kg.nodes()}
    edges = sorted(((a, rel_type, b, norm(props)) for a, b, rel_type, props in kg.edges()),
                   key=lambda e: (e[0], e[1], e[2], repr(sorted(e[3].items()))))
    return nodes, edges


# -- a part of the graph ---------------------------------------------------------
_NODES_BY_ID = "MATCH (n) WHERE n.id IN $ids RETURN labels(n) AS labels, properties(n) AS props"
_RELS_AMONG = ("MATCH (a)-[r]->(b) WHERE a.id IN $ids AND b.id IN $ids "
               "RETURN elementId(r) AS e, a.id AS a, type(r) AS type, b.id AS b, "
               "properties(r) AS props")


def read_ids(store, ids, only: set[str] | None = None) -> KnowledgeGraph:
    """The entities with these ids and the relationships among them, in full
    (``only``: just the relationships with these element ids)."""
    ids = sorted(set(ids))
    nodes = store.read(_NODES_BY_ID, {"ids": ids}).rows
    rels = store.read(_RELS_AMONG, {"ids": ids}).rows
    if only is not None:
        rels = [r for r in rels if r["e"] in only]
    return graph_from_rows(nodes, rels)


def _signature(props: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                        for k, v in props.items()
                        if k not in ("key", "sources") and v is not None))


def read_subgraph(store, focus: str | None = None, depth: int = 1, query: str | None = None,
                  params: dict | None = None) -> KnowledgeGraph:
    """The part of the stored graph that ``htkg map`` shows for the same options,
    with every node and relationship in full.

    The selection is the maps package's (:func:`htkg.maps.subgraph.read_map`):
    the focus entity (an id, name or alias) and its neighbours to ``depth``;
    or what a saved query returns, with the entities its parameters name. A
    map draws the parallel relationships of one type between two entities as
    one edge that lists their properties; the export reads each of them again
    from the store, in full, keeping those the map's edge stands for."""
    from htkg.maps.subgraph import read_map
    if not focus and not query:
        return read_graph(store)
    mg = read_map(store, focus=focus, depth=depth, query=query, params=params)
    kg = read_ids(store, mg.g.nodes)
    drawn: dict[tuple[str, str, str], dict] = {}
    for a, b, data in mg.g.edges(data=True):
        drawn[(a, b, data.get("type"))] = data
    stored: dict[tuple[str, str, str], int] = {}
    for a, b, data in kg.g.edges(data=True):
        stored[(a, b, data["type"])] = stored.get((a, b, data["type"]), 0) + 1
    drop = []
    for a, b, key, data in kg.g.edges(keys=True, data=True):
        if data["type"] == "REFERRED_QUARTER":     # not drawn: it sums the REFERRED drawn
            if (a, b, "REFERRED") not in drawn:
                drop.append((a, b, key))
            continue
        edge = drawn.get((a, b, data["type"]))
        if edge is None:
            drop.append((a, b, key))
            continue
        count, rows = edge.get("count"), edge.get("rows") or []
        if count is not None and count < stored[(a, b, data["type"])] and len(rows) == count:
            if _signature(data["props"]) not in {_signature(r) for r in rows}:
                drop.append((a, b, key))
    kg.g.remove_edges_from(drop)
    kg.notes.extend(mg.notes)
    return kg
