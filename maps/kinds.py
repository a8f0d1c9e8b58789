"""The default overview: the whole graph summed up by kind, legible at any size.

Every organisation, country and link on one map is a hairball at a few hundred
nodes. The overview instead draws one circle per kind (police forces, NGOs,
departments, countries, sectors...), sized by how many there are, and one
line per kind of link between two kinds (police forces referred people from
countries; regulators regulate sectors), with the numbers and the
best-connected names in its tooltip. Its header says how to see everything
(``htkg map --all``) or one entity (``--focus NAME --top 10``).

It reads aggregates only: one row per entity, one per linked pair and type,
and the sources by file. NRM referrals are read from their quarterly totals
(REFERRED_QUARTER, a tenth of the rows), so the build's overview stays fast
as the tables grow.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from htkg.graph.summary import TYPE as SUMMARY
from htkg.maps.style import category, category_text
from htkg.maps.words import plural
from htkg.maps.subgraph import Figures, MapGraph, _file_of, build_date
from htkg.schema.model import load_schema
from htkg.selection import SUMMED

_ENTITIES = ("MATCH (n) OPTIONAL MATCH (n)--(m) RETURN labels(n) AS labels, n.kind AS kind, "
             "n.id AS id, n.name AS name, count(DISTINCT m) AS degree")
_LINKS = ("MATCH (a)-[r]->(b) WHERE NOT type(r) IN $skip RETURN a.id AS a, type(r) AS type, "
          "b.id AS b, count(r) AS n, sum(r.people) AS people")
_REFERRED = (f"MATCH (a)-[r:{SUMMED}]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, "
             "count(r) AS n, sum(r.people) AS people")
_NODE_SOURCES = "MATCH (n) RETURN n.sources AS s"
_LINK_SOURCES = ("MATCH ()-[r]->() WHERE type(r) <> $summed RETURN r.sources AS s, "
                 "CASE WHEN type(r) = $summary THEN r.relationships ELSE 1 END AS n")
NAMES_SHOWN = 8              # best-connected names listed in a kind's tooltip

TITLE = "Overview of the graph, by kind"
HOW_TO_SEE_ALL = ("Every organisation and link: htkg map --all. One body or country and its "
                  "strongest links: htkg map --focus NAME --top 10.")


def _label(labels: list[str]) -> str:
    known = load_schema().labels
    return ([x for x in labels if x in known] or sorted(labels) or ["Node"])[0]


def kind_name(cat: str) -> str:
    """A kind in the plural, as a circle of the overview is called.

    >>> kind_name("police_force"), kind_name("Country"), kind_name("ngo"), kind_name("Person")
    ('Police forces', 'Countries', 'NGOs', 'People')
    """
    if cat == "Person":
        return "People"
    if cat == "law_enforcement":
        return "Law enforcement bodies"
    text = category_text(cat)
    return plural(text, 2).split(" ", 1)[1]


def read_summary(store, title: str | None = None) -> MapGraph:
    """The overview of the store: one node per kind, one edge per kind of link."""
    entities: dict[str, tuple[str, str, int]] = {}        # id -> (category, name, degree)
    for row in store.read(_ENTITIES).rows:
        if row["id"] is None:
            continue
        label = _label(row["labels"] or [])
        props = {"kind": row["kind"]} if row["kind"] else {}
        entities[row["id"]] = (category(label, props), str(row["name"] or row["id"]),
                               int(row["degree"] or 0))
    links = _links(store)

    members: dict[str, list[tuple[int, str]]] = defaultdict(list)
    lone: Counter = Counter()
    for cat, name, degree in entities.values():
        if degree:
            members[cat].append((degree, name))
        else:
            lone[cat] += 1
    # Countries without any link are the ISO list: counted apart, as the full overview does.
    count = {cat: len(found) + (lone[cat] if cat != "Country" else 0)
             for cat, found in members.items()}
    for cat, n in lone.items():
        if cat != "Country" and cat not in count:
            count[cat] = n

    g = nx.MultiDiGraph()
    label_of = {}
    for cat in sorted(count):
        label = "Organisation" if cat[:1].islower() else cat
        node_id = f"kind:{cat}"
        label_of[cat] = node_id
        best = [name for _, name in sorted(members.get(cat, []), key=lambda t: (-t[0], t[1]))]
        lines = [("how many", plural(category_text(cat).lower() if cat != "ngo" else "NGO",
                                     count[cat]))]
        if lone[cat]:
            lines.append(("with no link", f"{lone[cat]:,}" + (" (not counted)" if cat == "Country"
                                                                else "")))
        if best:
            shown = ", ".join(best[:NAMES_SHOWN])
            more = f" and {len(best) - NAMES_SHOWN:,} more" if len(best) > NAMES_SHOWN else ""
            lines.append(("most linked", shown + more))
        option = f"--kind {cat}" if label == "Organisation" else f"--label {cat}"
        lines.append(("see them", f"htkg map {option}"))
        g.add_node(node_id, label=label, props={"id": node_id, "name": kind_name(cat),
                                                **({"kind": cat} if label == "Organisation"
                                                   else {})},
                   summary=lines, also=[name for _, name in members.get(cat, [])],
                   stands_for=count[cat])

    pairs: dict[tuple[str, str, str], list] = {}
    for a, rel_type, b, n, people in links:
        if a not in entities or b not in entities:
            continue
        ca, cb = entities[a][0], entities[b][0]
        if ca not in label_of or cb not in label_of:
            continue
        t = pairs.setdefault((ca, rel_type, cb), [0, 0, 0, set(), set()])
        t[0] += 1
        t[1] += n
        t[2] += people or 0
        t[3].add(a)
        t[4].add(b)
    total_links = 0
    for (ca, rel_type, cb), (pairs_n, rels, people, froms, tos) in sorted(pairs.items()):
        total_links += pairs_n
        referral = rel_type == SUMMED
        lines = [("links", f"{pairs_n:,} between {plural(_noun(ca), len(froms))} and "
                           f"{plural(_noun(cb), len(tos))}")]
        if referral:
            lines.append(("people referred", f"{int(people):,}"))
        g.add_edge(label_of[ca], label_of[cb], key=rel_type, type=rel_type, count=pairs_n,
                   people=people if referral else None, rows=[], sources=[],
                   summary=lines, stands_for=pairs_n)

    counted = sum(count.values())
    notes = ["One circle for each kind of organisation, and for countries, sectors, people and "
             "meetings, sized by how many there are; a line where any of one kind are linked to "
             "any of another. Hover over a circle or a line for the numbers and names.",
             HOW_TO_SEE_ALL]
    if lone["Country"]:
        notes.append(f"{lone['Country']:,} countries with no link to anything here are not "
                     f"counted (htkg map --label Country shows them).")
    degree = {v: len((set(g.successors(v)) | set(g.predecessors(v))) - {v}) for v in g}
    figures = Figures({label_of[c]: float(n) for c, n in count.items()},
                      "how many of each kind", degree)
    mg = MapGraph(g=g, title=title or TITLE, notes=notes, figures=figures,
                  source_files=_sources(store),
                  shown=f"{counted:,} organisations, countries and others in "
                        f"{len(count)} kinds, and {total_links:,} links between them")
    mg.store = getattr(store, "shown", None)
    mg.built = build_date(mg.store)
    return mg


def _noun(cat: str) -> str:
    return "NGO" if cat == "ngo" else ("person" if cat == "Person" else category_text(cat).lower())


def _links(store) -> list[tuple[str, str, str, int, float]]:
    """(a, type, b, relationships, people) per linked pair and type; referrals from
    their quarterly totals where the store has them."""
    rows = store.read(_LINKS, {"skip": [SUMMED]}).rows
    out, totals = [], False
    for r in rows:
        if r["type"] == SUMMARY:
            totals = True
            out.append((r["a"], SUMMED, r["b"], int(r["n"]), float(r["people"] or 0)))
        else:
            out.append((r["a"], r["type"], r["b"], int(r["n"]), float(r["people"] or 0)))
    if not totals:          # a store written without the totals: read the referrals
        out += [(r["a"], r["type"], r["b"], int(r["n"]), float(r["people"] or 0))
                for r in store.read(_REFERRED).rows]
    return out


def _sources(store) -> list[tuple[str, int, int]]:
    """(file, entities, relationships) it fed, referrals counted from their totals."""
    nodes: Counter = Counter()
    rels: Counter = Counter()
    for row in store.read(_NODE_SOURCES).rows:
        for f in {_file_of(str(s)) for s in _listed(row["s"])}:
            nodes[f] += 1
    for row in store.read(_LINK_SOURCES, {"summed": SUMMED, "summary": SUMMARY}).rows:
        for f in {_file_of(str(s)) for s in _listed(row["s"])}:
            rels[f] += int(row["n"] or 1)
    files = set(nodes) | set(rels)
    return sorted(((f, nodes[f], rels[f]) for f in files), key=lambda t: (-t[1], -t[2], t[0]))


def _listed(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
