"""Describe one entity of the stored graph for people (``htkg show``)."""
from __future__ import annotations

from htkg.errors import ResolveError
from htkg.graph.resolver import Resolver
from htkg.output import cell

ENTITIES = "MATCH (n) RETURN n.id AS id, labels(n)[0] AS label, n.name AS name, n.aliases AS aliases"
NODE = "MATCH (n {id: $id}) RETURN n"
RELS = ("MATCH (n {id: $id})-[r]-(m) "
        "RETURN type(r) AS type, startNode(r).id = $id AS outgoing, m.id AS other_id, "
        "m.name AS other, labels(m)[0] AS other_label, properties(r) AS props "
        "ORDER BY type, other")


def store_resolver(store) -> Resolver:
    """A resolver over every entity in the store (ids, names and aliases)."""
    r = Resolver()
    for row in store.read(ENTITIES).rows:
        r.add(row["id"], row["label"], [row["name"] or "", row["id"], *(row["aliases"] or [])])
    return r


def resolve_entity(resolver: Resolver, text: str, label: str | None = None) -> str:
    """One entity id for a name, or a ResolveError listing the closest matches."""
    if text in resolver and (label is None or resolver.label(text) == label):
        return text
    ids = resolver.resolve_all(text, label)
    what = label or "entity"
    if len(ids) == 1:
        return ids[0]
    if ids:
        shown = ", ".join(f"{resolver.name(i)} ({i})" for i in ids)
        raise ResolveError(f"'{text}' could mean several: {shown}; give the id", ids)
    near = resolver.candidates(text, label=label)
    hint = f"; closest: {', '.join(near)}" if near else ""
    raise ResolveError(f"no {what} called '{text}'{hint}", near)


def describe(store, text: str) -> str:
    entity = resolve_entity(store_resolver(store), text)
    node = store.read(NODE, {"id": entity}).rows[0]["n"]
    lines = [f"{node.get('name')}  [{', '.join(node.pop('labels', []))}] id={entity}"]
    sources = node.pop("sources", [])
    for key in sorted(k for k in node if k not in ("id", "name")):
        lines.append(f"  {key}: {cell(node[key])}")
    lines.append("  sources:")
    lines += [f"    - {s}" for s in sources]
    rels = store.read(RELS, {"id": entity}).rows
    lines.append(f"relationships ({len(rels)}):")
    for r in rels:
        props = {k: v for k, v in (r["props"] or {}).items() if k not in ("sources", "key")}
        arrow = f"-[{r['type']}]->" if r["outgoing"] else f"<-[{r['type']}]-"
        extra = f"  {cell(props)}" if props else ""
        lines.append(f"  {arrow} {r['other']} ({r['other_label']}, {r['other_id']}){extra}")
        lines += [f"      source: {s}" for s in (r["props"] or {}).get("sources", [])]
    return "\n".join(lines)
