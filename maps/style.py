"""How a map looks: colours by label and organisation kind, sizes, widths, legend, tooltips.

The HTML and PNG renderers draw the same :class:`StyledMap`, so both show
the same colours, sizes and legend. Tooltip contents are plain
``(key, value)`` text pairs: the page puts them in the DOM as text, never
as markup.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from htkg.maps.subgraph import MapGraph
from htkg.output import cell

# One colour per organisation kind, then one per other label. Families:
# government blues, enforcement reds, regulators orange, NGOs green,
# companies gold; countries slate, sectors yellow, people pink.
KIND_COLOURS = {
    "department": "#1f4e9c",
    "devolved_government": "#3d78d8",
    "agency": "#6fa8dc",
    "public_body": "#76a5af",
    "local_authority": "#45818e",
    "committee": "#8e7cc3",
    "law_enforcement": "#cc0000",
    "police_force": "#e06666",
    "prosecutor": "#85200c",
    "regulator": "#e69138",
    "ngo": "#38a04a",
    "company": "#bf9000",
    "international_body": "#a64d79",
}
LABEL_COLOURS = {
    "Organisation": "#5f6b7a",
    "Country": "#7f96ad",
    "Person": "#d5729e",
    "Sector": "#e8b923",
    "Initiative": "#6aa84f",
    "Meeting": "#674ea7",
    "Action": "#b4a7d6",
}
EDGE_COLOURS = {
    "REFERRED": "#c0504d",
    "REGULATES": "#e69138",
    "OPERATES_IN": "#b8a000",
    "ACTIVE_IN": "#7f96ad",
    "MEMBER_OF": "#8e7cc3",
    "PART_OF": "#6d8bb3",
    "WORKS_WITH": "#38a04a",
    "LEADS": "#6aa84f",
    "SUCCEEDED_BY": "#999999",
    "ATTENDED": "#674ea7",
    "SENT_APOLOGIES": "#b4a7d6",
    "OWNS": "#1f4e9c",
    "AGREED_AT": "#a4a4c8",
    "MEETING_OF": "#674ea7",
    "MENTIONED_IN": "#c9c9c9",
}
_FALLBACK = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#9c755f", "#edc948", "#76b7b2",
             "#ff9da7", "#bab0ac", "#e15759"]
KIND_NAMES = {"ngo": "NGO"}

MIN_SIZE, MAX_SIZE = 8.0, 32.0
MIN_WIDTH, MAX_WIDTH = 1.0, 10.0
PHYSICS_LIMIT = 300          # above this many nodes the page never simulates physics
MAX_SOURCES_SHOWN = 12       # per tooltip; the rest are counted
MAX_ROWS_SHOWN = 12          # relationship rows listed in an edge tooltip


@dataclass
class StyledNode:
    id: str
    name: str
    label: str
    category: str
    colour: str
    size: float
    font_size: float
    x: float
    y: float
    names: list[str]                     # name, aliases and id: what the search box matches
    info: list[tuple[str, str]]          # tooltip lines after the name
    focus: bool = False


@dataclass
class StyledEdge:
    source: str
    target: str
    type: str
    colour: str
    width: float
    info: list[tuple[str, str]]


@dataclass
class LegendEntry:
    category: str
    text: str
    colour: str
    count: int
    group: str


@dataclass
class StyledMap:
    title: str
    built: str | None
    made: str
    store: str | None
    notes: list[str]
    sources: list[tuple[str, int, int]]   # (file, nodes, relationships) it fed
    size_by: str                         # "people referred" or "relationships"
    nodes: list[StyledNode]
    edges: list[StyledEdge]
    legend: list[LegendEntry]
    edge_legend: list[tuple[str, str, int]] = field(default_factory=list)
    physics: bool = False


def category(label: str, props: dict) -> str:
    """The kind a node is coloured and filtered by: an organisation's kind, else its label."""
    if label == "Organisation" and props.get("kind"):
        return str(props["kind"])
    return label


def category_text(cat: str) -> str:
    if cat in KIND_NAMES:
        return KIND_NAMES[cat]
    if cat in LABEL_COLOURS or cat[:1].isupper():
        return cat
    return cat.replace("_", " ").capitalize()


def colour_of(cat: str) -> str:
    if cat in KIND_COLOURS:
        return KIND_COLOURS[cat]
    if cat in LABEL_COLOURS:
        return LABEL_COLOURS[cat]
    return _FALLBACK[sum(map(ord, cat)) % len(_FALLBACK)]


def edge_colour(rel_type: str) -> str:
    return EDGE_COLOURS.get(rel_type) or _FALLBACK[sum(map(ord, rel_type)) % len(_FALLBACK)]


def _scaled(value: float, top: float, low: float, high: float) -> float:
    if top <= 0 or value <= 0:
        return low
    return round(low + (high - low) * math.sqrt(value / top), 1)


def _text(value) -> str:
    return cell(value)


def _sources_lines(sources: list[str]) -> list[tuple[str, str]]:
    lines = [("source", s) for s in sources[:MAX_SOURCES_SHOWN]]
    if len(sources) > MAX_SOURCES_SHOWN:
        lines.append(("source", f"... and {len(sources) - MAX_SOURCES_SHOWN} more"))
    return lines


def _node_info(label: str, props: dict, cat: str, degree: int, people: float | None
               ) -> list[tuple[str, str]]:
    kind = f"{label} ({category_text(cat)})" if cat != label else label
    lines = [("kind", kind), ("id", str(props.get("id", "")))]
    if props.get("aliases"):
        lines.append(("aliases", _text(props["aliases"])))
    for key in sorted(props):
        if key in ("id", "name", "aliases", "sources", "kind"):
            continue
        lines.append((key.replace("_", " "), _text(props[key])))
    lines.append(("relationships", str(degree)))
    if people:
        lines.append(("people referred", f"{int(people):,}"))
    return lines + _sources_lines(list(props.get("sources") or []))


def _edge_info(data: dict, a_name: str, b_name: str) -> list[tuple[str, str]]:
    lines = [("from", a_name), ("to", b_name)]
    rows = data.get("rows") or []
    if data.get("count", 0) <= 1:
        for row in rows[:1]:
            for key in sorted(row):
                lines.append((key.replace("_", " "), _text(row[key])))
    else:
        lines.append(("relationships", str(data["count"])))
        if data.get("people") is not None:
            lines.append(("people", f"{int(data['people']):,}"))
        years = sorted({r["year"] for r in rows if isinstance(r.get("year"), int)})
        if years:
            lines.append(("years", f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])))
        by_kind: dict[str, float] = defaultdict(float)
        for r in rows:
            if r.get("exploitation") is not None and isinstance(r.get("people"), (int, float)):
                by_kind[str(r["exploitation"])] += r["people"]
        for kind, n in sorted(by_kind.items(), key=lambda kv: -kv[1])[:MAX_ROWS_SHOWN]:
            lines.append((kind, f"{int(n):,} people"))
        if not by_kind:
            for r in rows[:MAX_ROWS_SHOWN]:
                lines.append(("row", _text(r) if r else "(no properties)"))
    return lines + _sources_lines(list(data.get("sources") or []))


def style_map(mg: MapGraph, pos: dict[str, tuple[float, float]] | None = None,
              seed: int = 7) -> StyledMap:
    """Colours, sizes, positions, tooltips and legend of a map.

    Positions are computed here (after sizes, so that big nodes get room)
    unless ``pos`` gives them.
    """
    g = mg.g
    people: Counter = Counter()
    has_people = False
    for a, b, data in g.edges(data=True):
        if data.get("people") is not None:
            has_people = True
            people[a] += data["people"]
            people[b] += data["people"]
    # Degree counts distinct neighbours, whatever the direction or number of relationships.
    degree = {v: len((set(g.successors(v)) | set(g.predecessors(v))) - {v}) for v in g}
    metric = people if has_people else degree
    top = max(metric.values(), default=0)
    sizes = {node_id: _scaled(metric.get(node_id, 0), top, MIN_SIZE, MAX_SIZE) for node_id in g}
    if mg.focus in sizes:
        sizes[mg.focus] = max(sizes[mg.focus], (MIN_SIZE + MAX_SIZE) / 2)
    if pos is None:
        from htkg.maps.layout import positions  # deferred: numpy, and scipy through it
        pos = positions(g, seed=seed, radii=sizes,
                        group=lambda v: category(g.nodes[v]["label"], g.nodes[v]["props"]))
    # Labels grow with their node: a little on small maps, where every label
    # is drawn; more on big ones, so that the largest nodes stay labelled when
    # the whole map is in view (smaller labels appear as one zooms in).
    font_growth = 0.4 if g.number_of_nodes() <= PHYSICS_LIMIT else 1.2
    nodes: list[StyledNode] = []
    counts: Counter = Counter()
    for node_id in sorted(g.nodes):
        data = g.nodes[node_id]
        label, props = data["label"], data["props"]
        cat = category(label, props)
        counts[cat] += 1
        size = sizes[node_id]
        focus = node_id == mg.focus
        name = str(props.get("name") or node_id)
        names = [name, *[str(a) for a in props.get("aliases") or []], node_id]
        x, y = pos.get(node_id, (0.0, 0.0))
        nodes.append(StyledNode(
            id=node_id, name=name, label=label, category=cat, colour=colour_of(cat), size=size,
            font_size=round(14 + (size - MIN_SIZE) * font_growth, 1), x=x, y=y, names=names,
            info=_node_info(label, props, cat, degree.get(node_id, 0),
                            people.get(node_id) if has_people else None),
            focus=focus))
    top_people = max((d["people"] or 0 for _, _, d in g.edges(data=True)), default=0)
    edges: list[StyledEdge] = []
    edge_counts: Counter = Counter()
    names = {n.id: n.name for n in nodes}
    for a, b, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2]["type"])):
        edge_counts[data["type"]] += 1
        if data.get("people") is not None:
            width = _scaled(data["people"], top_people, MIN_WIDTH + 0.5, MAX_WIDTH)
        else:
            width = 1.5 if data.get("count", 1) > 1 else MIN_WIDTH
        edges.append(StyledEdge(source=a, target=b, type=data["type"],
                                colour=edge_colour(data["type"]), width=width,
                                info=_edge_info(data, names.get(a, a), names.get(b, b))))
    legend = []
    for cat in sorted(counts, key=lambda c: (c not in KIND_COLOURS and c[:1].isupper(),
                                             category_text(c).casefold())):
        group = "Labels" if cat in LABEL_COLOURS or cat[:1].isupper() else "Organisations"
        legend.append(LegendEntry(cat, category_text(cat), colour_of(cat), counts[cat], group))
    edge_legend = [(t, edge_colour(t), n) for t, n in sorted(edge_counts.items())]
    return StyledMap(title=mg.title, built=mg.built, made=mg.made, store=mg.store,
                     notes=list(mg.notes), sources=mg.sources(),
                     size_by="people referred" if has_people else "relationships",
                     nodes=nodes, edges=edges, legend=legend, edge_legend=edge_legend,
                     physics=0 < len(nodes) <= PHYSICS_LIMIT)
