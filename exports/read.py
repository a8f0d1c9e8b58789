"""A selection of the stored graph (embedded store or Neo4j) as a KnowledgeGraph.

The whole graph, or the part a :func:`htkg.selection.select` picks: every
node and relationship with all its properties, one edge per stored
relationship (an export never merges parallel relationships). The store's
internal relationship property ``key`` (the writer's MERGE key, recomputed
from the schema on every write) is dropped; lists the store left out
because they were empty (``aliases``) are restored as empty lists, as the
in-memory graph has them. Records are put in the graph as they are stored,
not re-validated: they were validated when built, and an export must show
the store as it is.
"""
from __future__ import annotations

from typing import Any, Callable

from htkg.graph.model import KnowledgeGraph
from htkg.selection import Selection, everything

Progress = Callable[[str, int, int], None]

INTERNAL = ("key",)


def graph_of(sel: Selection, kg: KnowledgeGraph | None = None) -> KnowledgeGraph:
    """A KnowledgeGraph holding exactly the selection, every relationship in full."""
    kg = kg or KnowledgeGraph()
    schema = kg.schema
    for node_id, (label, stored) in sel.nodes.items():
        props = dict(stored)
        declared = schema.labels.get(label)
        if declared is not None:
            for name, prop in declared.properties.items():
                if prop.type == "strings" and name in ("aliases", "sources"):
                    props.setdefault(name, [])
        kg.g.add_node(node_id, label=label, props=props)
    for a, rel_type, b, stored, _ in sel.relationships:
        props = {k: v for k, v in stored.items() if k not in INTERNAL}
        props.setdefault("sources", [])
        rel = schema.relationships.get(rel_type)
        key = rel.graph_key(props) if rel else f"{rel_type}|"
        kg.g.add_edge(a, b, key=key, type=rel_type, props=props)
    kg.notes.extend(sel.notes)
    return kg


def read_graph(store, progress: Progress | None = None) -> KnowledgeGraph:
    """Every node and relationship of the store as a KnowledgeGraph."""
    return graph_of(everything(store, progress))


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
