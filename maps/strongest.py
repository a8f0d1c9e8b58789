"""``--top N``: only a map's N strongest links, for maps shaped like a star.

A country's map holds a line to each of 45 police forces; a briefing needs the
few that matter. The strength of a drawn link is the people referred along it
where the map has NRM referrals, else the relationships it stands for; ties
go to the link between the better-connected entities, then by name, so the
same map always keeps the same links. Entities that only the links left out
reached are left out too (the focus always stays); what was left out is
counted by kind for the legend ("Police force 7, and 38 more"). Circle sizes
and tooltips keep the figures of the whole map: a country's circle still
shows everyone referred from it, not only along the links drawn.
"""
from __future__ import annotations

from collections import Counter

import networkx as nx

from htkg.maps.style import category
from htkg.maps.subgraph import Cut, MapGraph, figures_of


def strength_order(g: nx.MultiDiGraph, by_people: bool) -> list[tuple[str, str, str]]:
    """Every drawn edge ``(a, b, key)``, strongest first.

    >>> from htkg.maps.subgraph import add_edge_rows
    >>> g = nx.MultiDiGraph()
    >>> for force, people in [("kent", 12), ("met", 41), ("durham", 5)]:
    ...     add_edge_rows(g, force, "vn", "REFERRED", [{"people": people}])
    >>> [a for a, _, _ in strength_order(g, by_people=True)]
    ['met', 'kent', 'durham']
    """
    degree = {v: len((set(g.successors(v)) | set(g.predecessors(v))) - {v}) for v in g}
    name = {v: str((g.nodes[v].get("props") or {}).get("name") or v).casefold() for v in g}

    def key(edge):
        a, b, k, data = edge
        strength = (data.get("people") or 0) if by_people else data.get("count", 1)
        return (-strength, -data.get("count", 1), -(degree[a] + degree[b]), name[a], name[b], k)
    return [(a, b, k) for a, b, k, _ in sorted(g.edges(keys=True, data=True), key=key)]


def strongest(mg: MapGraph, n: int) -> MapGraph:
    """A copy of ``mg`` with only its ``n`` strongest drawn links, the entities
    they join (and the focus), and a :class:`Cut` saying what was left out."""
    if n < 1:
        raise ValueError(f"--top takes a number of links of 1 or more, not {n}")
    g = mg.g
    figures = mg.figures or figures_of(g)
    by_people = figures.people is not None
    order = strength_order(g, by_people)
    kept = order[:n]
    out = nx.MultiDiGraph()
    keep_nodes = {v for a, b, _ in kept for v in (a, b)}
    if mg.focus in g:
        keep_nodes.add(mg.focus)
    for v in sorted(keep_nodes):
        out.add_node(v, **g.nodes[v])
    for a, b, k in kept:
        out.add_edge(a, b, key=k, **g.edges[a, b, k])
    left = Counter(category(g.nodes[v]["label"], g.nodes[v]["props"])
                   for v in g if v not in keep_nodes)
    cut = Cut(shown=len(kept), total=len(order),
              by="people referred" if by_people else "number of relationships", entities=dict(left))
    return MapGraph(g=out, title=mg.title, built=mg.built, made=mg.made, notes=list(mg.notes),
                    focus=mg.focus, store=mg.store, figures=figures, cut=cut)
