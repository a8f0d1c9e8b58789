"""Which part of the stored graph a map, an export or ``htkg show`` is about.

:func:`select` turns ``focus`` and ``depth``, a saved ``query`` with its
``params`` and folders, ``kinds`` and ``labels`` into a :class:`Selection`:
entities (label and every stored property) and every stored relationship
among them, one per stored relationship, in full. It is one of:

- the overview (no focus, no query): every entity, or those of the kinds
  and labels given; lone countries and the official geography (areas and
  councils) are left out of an unfiltered overview;
- a focus (id, name or alias) and its neighbours to a depth, hop by hop;
- what a saved query returns (nodes, relationships, paths; for values, the
  entities they name), with the entities its parameters name (anchors).

:func:`everything` is the whole graph (exports), :func:`around` one entity
and its relationships (``htkg show``). Quarterly totals (REFERRED_QUARTER)
come along where a REFERRED between the same two entities is selected.
Names resolve through the store's one resolver (:mod:`htkg.graph.lookup`);
everything is read through ``store.read`` and ``store.read_records``. Maps
merge a selection's parallel relationships into drawn edges; exports keep each.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

from htkg.errors import QueryError
from htkg.graph.driver import neo4j
from htkg.graph.lookup import Lookup
from htkg.graph.records import Provenance
from htkg.graph.store import plain
from htkg.queries import bind, load_catalogue, user_dirs
from htkg.queries.params import anchors as named_entities, check as check_params
from htkg.selection.base import (ALL_NODES, ALL_RELATIONSHIPS, MAX_NODES, SUMMARY, SUMMED,
                                 UNATTRIBUTED, UNATTRIBUTED_NOTE, _NODE, _NODES_BY_ID,
                                 _RELS_TOUCHING, _STAR, Entity, Relationship, Selection,
                                 _add_entities, _label, _relationships,
                                 _with_totals, keeps, normalise_filters, read_ids)

__all__ = ["ALL_NODES", "ALL_RELATIONSHIPS", "Entity", "MAX_NODES", "Relationship", "SUMMARY",
           "SUMMED", "Selection", "UNATTRIBUTED", "UNATTRIBUTED_NOTE", "around", "check",
           "everything", "find_query", "keeps", "neighbourhood", "normalise_filters",
           "overview", "read_ids", "saved_query", "select"]


def _too_large(n: int, what: str) -> QueryError:
    # Here, not in .base, so that the limit in the message is the one checked (MAX_NODES).
    return QueryError(
        f"{what} would have {n} nodes, more than the {MAX_NODES} a map can show legibly; "
        f"narrow it with --focus ENTITY (and --depth), --kind K or --label L, or map a saved "
        f"query with --query NAME")


def everything(store, progress: Callable[[str, int, int], None] | None = None) -> Selection:
    """Every node and relationship of the store."""
    if progress:
        progress("reading nodes", 0, 2)
    nodes = _add_entities({}, store.read(ALL_NODES).rows)
    if progress:
        progress("reading relationships", 1, 2)
    rels = _relationships(store.read(ALL_RELATIONSHIPS).rows, nodes)
    if progress:
        progress("reading relationships", 2, 2)
    return Selection(nodes, rels, "The whole graph")


def overview(store, labels: list[str], kinds: list[str]) -> Selection:
    """Every entity (of these labels and kinds) and the relationships among them."""
    filtered = bool(labels or kinds)
    params = {"labels": labels, "kinds": kinds}
    where = (" WHERE labels(n)[0] IN $labels OR (labels(n)[0] = 'Organisation' AND "
             "n.kind IN $kinds)") if filtered else ""
    total = store.read(f"MATCH (n){where} RETURN count(n) AS n", params).rows[0]["n"]
    # Lone countries are left out of an unfiltered overview, so count those first.
    lone = 0
    if not filtered:
        lone = store.read("MATCH (n:Country) WHERE NOT (n)--() RETURN count(n) AS n").rows[0]["n"]
    if total - lone > MAX_NODES:
        raise _too_large(total - lone, "the overview" + (" with these filters" if filtered else ""))
    nodes = _add_entities({}, store.read(f"MATCH (n){where} RETURN {_NODE}", params).rows)
    rels = _with_totals(_relationships(store.read(ALL_RELATIONSHIPS).rows, nodes))
    title, notes = "Overview of the graph", []
    if filtered:
        title += ": " + ", ".join([*labels, *kinds])
    else:
        geography = [n for n, e in nodes.items() if _geography(e)]
        if geography:
            areas = sum(1 for n in geography if nodes[n].label == "Area")
            for n in geography:
                del nodes[n]
            rels = [r for r in rels if r.a in nodes and r.b in nodes]
            notes.append(f"the official geography is left out: {areas} areas and "
                         f"{len(geography) - areas} councils (map them with --label Area or "
                         f"--kind local_authority)")
        left_out = [n for n, e in nodes.items() if e.label == UNATTRIBUTED]
        if left_out:
            for n in left_out:
                del nodes[n]
            notes.append(UNATTRIBUTED_NOTE.format(n=len(left_out)))
        linked = {r.a for r in rels} | {r.b for r in rels}
        alone = [n for n, e in nodes.items() if e.label == "Country" and n not in linked]
        if alone:
            for n in alone:
                del nodes[n]
            notes.append(f"{len(alone)} countries with no link to anything here are not shown "
                         f"(htkg map --label Country shows them)")
    return Selection(nodes, rels, title, notes)


def _geography(entity: Entity) -> bool:
    """An area of the official geography, or a council known only from its list of
    councils: many, and drawn only when asked for."""
    if entity.label == "Area":
        return True
    sources = entity.props.get("sources") or []
    return (entity.label == "Organisation" and entity.props.get("kind") == "local_authority"
            and bool(sources) and all(Provenance.parse(s).loader == "geography" for s in sources))


def neighbourhood(store, entity: str, depth: int = 1, labels: list[str] = (),
                  kinds: list[str] = ()) -> Selection:
    """One entity (id, name or alias) and its neighbours to ``depth``."""
    if depth < 1:
        raise QueryError(f"--depth must be 1 or more, not {depth}")
    focus = Lookup.of(store).entity(entity)
    seen, frontier = {focus}, [focus]
    for hop in range(depth):
        if not frontier:
            break
        rows = store.read("MATCH (n)--(m) WHERE n.id IN $ids RETURN DISTINCT m.id AS id",
                          {"ids": frontier}).rows
        found = {r["id"] for r in rows if r["id"] is not None} - seen
        seen |= found
        frontier = sorted(found)
        if len(seen) > MAX_NODES and not (labels or kinds):
            raise _too_large(len(seen), f"the neighbourhood of '{entity}' to depth {hop + 1}")
    found = _add_entities({}, store.read(_NODES_BY_ID, {"ids": sorted(seen)}).rows)
    kept = [n for n, e in found.items() if n == focus or keeps(e.label, e.props, labels, kinds)]
    if len(kept) > MAX_NODES:
        raise _too_large(len(kept), f"the neighbourhood of '{entity}' to depth {depth}")
    nodes, rels = read_ids(store, kept)
    name = nodes[focus].props.get("name")
    title = f"{focus if name is None else name} and its neighbours" + (
        f" to depth {depth}" if depth > 1 else "")
    if labels or kinds:
        title += ": " + ", ".join([*labels, *kinds])
    notes = []
    if len(kept) < len(found):
        notes.append(f"{len(found) - len(kept)} linked entities of other kinds are not shown")
    return Selection(nodes, rels, title, notes, focus=focus)


def around(store, entity: str) -> Selection:
    """One entity (id, name or alias), every relationship it has, in order of
    type and other entity's name, and the entities at their other ends."""
    focus = Lookup.of(store).entity(entity)
    rows = store.read(_STAR, {"id": focus}).rows
    ids = {focus, *(r["other"] for r in rows if r["other"] is not None)}
    nodes = _add_entities({}, store.read(_NODES_BY_ID, {"ids": sorted(ids)}).rows)
    nodes = {focus: nodes.pop(focus), **nodes}
    rels = [Relationship(*((focus, r["type"], r["other"]) if r["outgoing"]
                           else (r["other"], r["type"], focus)), r["props"] or {}, r["e"])
            for r in rows]
    name = nodes[focus].props.get("name")
    return Selection(nodes, rels, f"{focus if name is None else name} and its relationships",
                     focus=focus)


# -- saved queries ---------------------------------------------------------------------
def find_query(name: str, queries_dirs: Iterable[str | Path] = ()):
    """The saved query called ``name`` (bundled, ``--queries`` folders, ``$HTKG_QUERIES``)."""
    return load_catalogue(user_dirs(list(queries_dirs))).get(name)


def _from_records(store, records: list) -> tuple[dict[str, Entity], list[Relationship], set]:
    """The nodes and relationships (each once) in query results, and the plain
    text values found where the results hold no graph objects."""
    nodes: dict[str, Entity] = {}
    element_ids: dict[str, str] = {}
    rels: dict[str, Any] = {}
    texts: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, neo4j.graph.Node):
            if value.get("id") is not None:
                element_ids[value.element_id] = value["id"]
                nodes.setdefault(value["id"], Entity(_label(sorted(value.labels)),
                                                     plain(dict(value.items()))))
        elif isinstance(value, neo4j.graph.Relationship):
            rels.setdefault(value.element_id, value)
            for end in (value.start_node, value.end_node):
                if end is not None and end.get("id") is not None:
                    visit(end)
        elif isinstance(value, neo4j.graph.Path):
            for v in (*value.nodes, *value.relationships):
                visit(v)
        elif isinstance(value, (list, tuple, dict)):
            for v in (value.values() if isinstance(value, dict) else value):
                visit(v)
        elif isinstance(value, str):
            texts.add(value)

    for record in records:
        for value in record:
            visit(value)
    missing = {e for r in rels.values() for e in (r.start_node.element_id, r.end_node.element_id)
               if e not in element_ids}
    if missing:
        rows = store.read(f"MATCH (n) WHERE elementId(n) IN $e RETURN elementId(n) AS e, {_NODE}",
                          {"e": sorted(missing)}).rows
        element_ids.update((row["e"], row["props"]["id"]) for row in rows
                           if (row["props"] or {}).get("id") is not None)
        _add_entities(nodes, rows)
    found = []
    for e, r in rels.items():
        a, b = element_ids.get(r.start_node.element_id), element_ids.get(r.end_node.element_id)
        if a and b:
            found.append(Relationship(a, r.type, b, plain(dict(r.items())), e))
    return nodes, found, texts


def _named(store, texts: set[str]) -> set[str]:
    """Ids of the entities named by id or by exact canonical name (no fuzzy
    matching of free text); an ambiguous name names none."""
    by_name: dict[str, list[str]] = {}
    ids: set[str] = set()
    for row in store.read("MATCH (n) RETURN n.id AS id, n.name AS name").rows:
        if row["id"] in texts:
            ids.add(row["id"])
        if row["name"] in texts:
            by_name.setdefault(row["name"], []).append(row["id"])
    return ids | {found[0] for found in by_name.values() if len(found) == 1}


def saved_query(store, name: str, params: dict | None = None, labels: list[str] = (),
                kinds: list[str] = (), queries_dirs: Iterable[str | Path] = ()) -> Selection:
    """What the saved query ``name`` returns, with the entities its parameters name."""
    query = find_query(name, queries_dirs)
    bound = bind(query, dict(params or {}), store)
    anchors = named_entities(query, bound)
    _, records = store.read_records(query.cypher, bound)
    nodes, rels, texts = _from_records(store, records)
    notes = []
    if not nodes and texts:
        # A query that returns columns of values: the entities they name.
        ids = _named(store, texts)
        if len(ids) > MAX_NODES:
            raise _too_large(len(ids), "this query's map")
        nodes, rels = read_ids(store, ids)
        if ids:
            notes.append(f"Shows the {len(ids)} organisations, countries and others named in "
                         f"the answer, and the links between them")
    missing = [a for a in anchors if a not in nodes]
    if missing:
        # The entities the parameters name, linked to what the query found.
        if not nodes:
            notes.append("No answer was found: the map shows only what the question "
                         "names")
        ids = sorted({*nodes, *missing})
        _add_entities(nodes, store.read(_NODES_BY_ID, {"ids": sorted(set(missing))}).rows)
        rels += _with_totals(_relationships(store.read(
            _RELS_TOUCHING, {"ids": ids, "t": sorted(set(missing))}).rows, nodes), rels)
    if labels or kinds:
        drop = {n for n, e in nodes.items()
                if n not in anchors and not keeps(e.label, e.props, labels, kinds)}
        nodes = {n: e for n, e in nodes.items() if n not in drop}
        rels = [r for r in rels if r.a in nodes and r.b in nodes]
        if drop:
            notes.append(f"{len(drop)} results of other kinds are not shown")
    if len(nodes) > MAX_NODES:
        raise _too_large(len(nodes), "this query's map")
    if not nodes:
        notes.append("Nothing was found to draw")
    shown = name + (" (" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"
                    if params else "")
    focus = anchors[0] if len(anchors) == 1 and anchors[0] in nodes else None
    return Selection(nodes, rels, f"Saved query {shown}", notes, focus=focus, anchors=anchors)


# -- the entry points ----------------------------------------------------------------
def _check_combination(focus, query, params) -> None:
    if focus and query:
        raise QueryError("give --focus or --query, not both")
    if params and not query:
        raise QueryError("-p gives a saved query's parameters: use it with --query NAME")


def check(*, focus: str | None = None, query: str | None = None, params: dict | None = None,
          kinds: Iterable[str] = (), labels: Iterable[str] = (),
          queries_dirs: Iterable[str | Path] = ()) -> None:
    """Fail before a store opens (an embedded open takes seconds) on options that
    clash, unknown kinds, labels or query, and parameters checkable without a store."""
    _check_combination(focus, query, params)
    normalise_filters(labels, kinds)
    if query:
        check_params(find_query(query, queries_dirs), dict(params or {}))


def select(store, *, focus: str | None = None, depth: int = 1, query: str | None = None,
           params: dict | None = None, kinds: Iterable[str] = (), labels: Iterable[str] = (),
           queries_dirs: Iterable[str | Path] = ()) -> Selection:
    """The selection these options make: a saved query, a focus, or the overview."""
    _check_combination(focus, query, params)
    labels, kinds = normalise_filters(labels, kinds)
    if query:
        return saved_query(store, query, params, labels, kinds, queries_dirs)
    if focus:
        return neighbourhood(store, focus, depth, labels, kinds)
    return overview(store, labels, kinds)
