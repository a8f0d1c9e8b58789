"""Whether each body still exists: its ``status``, derived from the graph.

A renamed or merged body is an entity of its own, linked to what came after
it by ``SUCCEEDED_BY`` (with the date, or only the year, of the change). So
that no answer presents a dissolved body as current, every Organisation
carries ``status``: ``current``, or when it ended and what succeeded it,
following the line to the bodies that exist now ("dissolved 2016-07-14;
succeeded by Department for Business, Energy and Industrial Strategy; now
Department for Business and Trade, ..."). It is derived data, like the
quarterly totals: every writer recomputes it just before it writes
(:func:`annotate`), so it never disagrees with the relationships.

>>> from htkg.graph.model import KnowledgeGraph
>>> from htkg.graph.records import Edge, Node
>>> kg = KnowledgeGraph()
>>> for i, name in [("fco", "Foreign and Commonwealth Office"), ("fcdo", "FCDO"),
...                 ("wag", "Welsh Assembly Government"), ("wg", "Welsh Government")]:
...     kg.add(Node("Organisation", i, {"name": name, "kind": "department"}))
>>> kg.add(Edge("SUCCEEDED_BY", "fco", "fcdo", {"date": "2020-09-02"}))
>>> kg.add(Edge("SUCCEEDED_BY", "wag", "wg", {"year": 2011}))
>>> _ = kg.node("fco")[1].update(dissolved="2020-09-02")
>>> annotate(kg)
4
>>> [kg.node(i)[1]["status"] for i in ("fco", "fcdo", "wag")]
['dissolved 2020-09-02; succeeded by FCDO', 'current', 'succeeded by Welsh Government in 2011']
"""
from __future__ import annotations

from htkg.graph.model import KnowledgeGraph

TYPE = "SUCCEEDED_BY"
CURRENT = "current"
#: Longest line of succession followed (the saved queries follow as far).
DEPTH = 8


def successors(kg: KnowledgeGraph, node_id: str) -> list[tuple[str, dict]]:
    """(id, relationship properties) of what directly succeeded a body, by name."""
    out = [(b, d["props"]) for _, b, d in kg.g.out_edges(node_id, data=True) if d["type"] == TYPE]
    return sorted(out, key=lambda item: (kg.node(item[0])[1].get("name") or item[0]))


def current_successors(kg: KnowledgeGraph, node_id: str) -> list[str]:
    """The bodies at the end of a body's line of succession (itself when current)."""
    seen, ends, frontier = {node_id}, [], [node_id]
    for _ in range(DEPTH + 1):
        following = []
        for n in frontier:
            after = [b for b, _ in successors(kg, n) if b not in seen]
            if not after and n != node_id and n not in ends:
                ends.append(n)
            seen.update(after)
            following += after
        if not following:
            break
        frontier = following
    return ends


def status_of(kg: KnowledgeGraph, node_id: str) -> str:
    """``current``, or how the body ended and what succeeded it (see the module)."""
    props = kg.node(node_id)[1]
    direct = successors(kg, node_id)
    if not direct and not props.get("dissolved"):
        return CURRENT
    parts = [f"dissolved {props['dissolved']}"] if props.get("dissolved") else []
    if direct:
        names = [_name(kg, b) for b, _ in direct]
        when = ""
        if not props.get("dissolved"):
            dates = {str(p.get("date") or p.get("year") or "") for _, p in direct}
            date = dates.pop() if len(dates) == 1 else ""
            when = (f" on {date}" if len(date) > 4 else f" in {date}") if date \
                else " (date not known)"
        parts.append(f"succeeded by {', '.join(names)}{when}")
        now = [b for b in current_successors(kg, node_id) if b not in dict(direct)]
        if now:
            parts.append(f"now {', '.join(sorted(_name(kg, b) for b in now))}")
    return "; ".join(parts)


def _name(kg: KnowledgeGraph, node_id: str) -> str:
    return kg.node(node_id)[1].get("name") or node_id


def annotate(kg: KnowledgeGraph) -> int:
    """Set every Organisation's ``status``; return how many were set."""
    n = 0
    for node_id, _, props in list(kg.nodes("Organisation")):
        props["status"] = status_of(kg, node_id)
        n += 1
    return n
