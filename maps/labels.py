"""Where each node's name is written: beside its own circle, never over another name or circle.

Greedy point-feature label placement, as a cartographer does it by hand
(Imhof's rules; Christensen, Marks and Shieber, 1995, found it close to far
slower optimisers), deterministic for a given map:

- names are placed in order of importance (the caller's order: the focus,
  then larger nodes, then by name), so the most important are never the ones
  left out;
- each name tries eight positions round its circle, starting on the side that
  faces away from the node's neighbours (outwards on a star, so names do not
  lie across its spokes), then the same eight a step further out;
- a long name is tried on one line, then broken over two; failing those, its
  short form (an abbreviation such as "NCA", or its first words and "…");
- a name that fits nowhere is not written; the page shows it on hover and in
  the details panel, and the PNG says how many names it leaves out.

Nothing here knows how text is measured: the HTML map passes the page font's
advance widths (:func:`page_measure`), the PNG matplotlib's extents of the
very text it draws. Coordinates have y pointing down.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable

LINE_HEIGHT = 1.2        # of the font size, per line of a name
SHORT_LENGTH = 18        # a name longer than this has a short form
WRAP_LENGTH = 14         # a name at least this long may be broken over two lines
_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9&.\-]{1,7}$")

Box = tuple[float, float, float, float]          # x0, y0, x1, y1
Measure = Callable[[tuple[str, ...], float], tuple[float, float]]

# Directions round a circle (y down), in the order tried when a node has no
# outside: below (where names usually are), beside, above, then the corners.
DIRECTIONS = [(0, 1), (1, 0), (-1, 0), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]


@dataclass(frozen=True)
class Site:
    """A node to name: its centre and radius, font size, name and short form,
    and ``away``, the direction that points away from its neighbours."""

    id: str
    x: float
    y: float
    radius: float
    size: float
    name: str
    short: str | None = None
    away: tuple[float, float] | None = None


@dataclass(frozen=True)
class Label:
    """A placed name: its lines, the centre and size of its box, its font size,
    whether it is the whole name, and whether it is clear of other circles."""

    id: str
    lines: tuple[str, ...]
    x: float
    y: float
    width: float
    height: float
    size: float
    full: bool
    clear: bool = True          # False for an important name placed over small circles

    @property
    def box(self) -> Box:
        return (self.x - self.width / 2, self.y - self.height / 2,
                self.x + self.width / 2, self.y + self.height / 2)


# -- text ----------------------------------------------------------------------------
def two_lines(text: str) -> tuple[str, str] | None:
    """``text`` broken at the space nearest its middle, or None without a space.

    >>> two_lines("West Midlands Regional Organised Crime Unit")
    ('West Midlands Regional', 'Organised Crime Unit')
    >>> two_lines("Unseen") is None
    True
    """
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return None
    cut = min(spaces, key=lambda i: (abs(len(text) / 2 - i), i))
    return text[:cut], text[cut + 1:]


def short_form(name: str, aliases: Iterable[str] = ()) -> str | None:
    """A short form of a long name: an abbreviation among its aliases, else its
    first words and an ellipsis; None for a name short enough already.

    >>> short_form("National Crime Agency", ["NCA", "the agency"])
    'NCA'
    >>> short_form("Hampshire and Isle of Wight Constabulary")
    'Hampshire and Isle…'
    >>> short_form("Kent Police") is None
    True
    """
    if len(name) <= SHORT_LENGTH:
        return None
    for alias in aliases:
        alias = str(alias)
        if _ABBREVIATION.match(alias) and sum(ch.isupper() for ch in alias) >= 2:
            return alias
    words, out = name.split(), ""
    for word in words:
        if len(out) + len(word) + 1 > SHORT_LENGTH:
            break
        out = f"{out} {word}".strip()
    return (out or name[:SHORT_LENGTH - 1]).rstrip(",;:-–") + "\u2026"


@lru_cache(maxsize=None)
def _widths() -> tuple[dict[str, float], float]:
    data = json.loads(resources.files("htkg.maps").joinpath("assets", "label-widths.json")
                      .read_text(encoding="utf-8"))
    return data["widths"], float(data["default"])


def page_measure(lines: tuple[str, ...], size: float) -> tuple[float, float]:
    """Width and height of a name in the page's label font (DejaVu Sans advance
    widths, a little over, so that kerning and rounding only ever make the
    drawn text narrower); the page shrinks any name its own font draws wider.

    >>> w, h = page_measure(("Kent Police",), 14.0)
    >>> 75 < w < 90, round(h, 1)
    (True, 16.8)
    """
    widths, default = _widths()
    width = max((sum(widths.get(ch, default) for ch in line) for line in lines), default=0.0)
    return width * size * 1.02 + 2.0, len(lines) * size * LINE_HEIGHT


# -- geometry ------------------------------------------------------------------------
def intersects(a: Box, b: Box) -> bool:
    """Whether two boxes share more than an edge."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _covers(box: Box, x: float, y: float, r: float) -> bool:
    """Whether a box and a disc overlap."""
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nx - x) ** 2 + (ny - y) ** 2 < r * r


def overlapping(boxes: Iterable[Box]) -> list[tuple[int, int]]:
    """Pairs of boxes (by index) that intersect: what a test of a map checks."""
    boxes = list(boxes)
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    found = []
    for k, i in enumerate(order):
        for j in order[k + 1:]:
            if boxes[j][0] >= boxes[i][2]:
                break
            if intersects(boxes[i], boxes[j]):
                found.append((min(i, j), max(i, j)))
    return sorted(found)


class _Grid:
    """Boxes and discs bucketed in square cells, for collision tests in passing."""

    def __init__(self, cell: float):
        self.cell = max(cell, 1.0)
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.items: list[tuple[str, Box, tuple[float, float, float] | None]] = []

    def _keys(self, box: Box):
        c = self.cell
        for i in range(math.floor(box[0] / c), math.floor(box[2] / c) + 1):
            for j in range(math.floor(box[1] / c), math.floor(box[3] / c) + 1):
                yield i, j

    def add_box(self, owner: str, box: Box) -> None:
        self._add(owner, box, None)

    def add_disc(self, owner: str, x: float, y: float, r: float) -> None:
        self._add(owner, (x - r, y - r, x + r, y + r), (x, y, r))

    def _add(self, owner, box, disc) -> None:
        self.items.append((owner, box, disc))
        index = len(self.items) - 1
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(index)

    def free(self, owner: str, box: Box, discs: bool = True) -> bool:
        c = self.cell
        x0, y0, x1, y1 = box
        cells, items = self.cells, self.items
        for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1):
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1):
                for index in cells.get((i, j), ()):
                    who, other, disc = items[index]
                    if not (x0 < other[2] and other[0] < x1 and y0 < other[3] and other[1] < y1):
                        continue
                    if disc is None or (discs and who != owner and _covers(box, *disc)):
                        return False
        return True


def _directions(away: tuple[float, float] | None) -> list[tuple[int, int]]:
    """The eight directions, the one most nearly ``away`` first (ties in the usual order)."""
    if not away or math.hypot(*away) < 1e-6:
        return list(DIRECTIONS)
    ax, ay = away
    norm = math.hypot(ax, ay)

    def facing(d):
        return -round((d[0] * ax + d[1] * ay) / (math.hypot(*d) * norm), 6)
    return sorted(DIRECTIONS, key=facing)   # sorted is stable: ties keep the usual order


def _box_at(site: Site, d: tuple[int, int], distance: float, w: float, h: float) -> Box:
    """The box of size w x h that touches the point ``distance`` from the centre in
    direction ``d`` from outside."""
    length = math.hypot(*d)
    px, py = site.x + d[0] / length * distance, site.y + d[1] / length * distance
    cx = px + (w / 2) * (d[0] > 0) - (w / 2) * (d[0] < 0)
    cy = py + (h / 2) * (d[1] > 0) - (h / 2) * (d[1] < 0)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _variants(site: Site) -> list[tuple[tuple[str, ...], bool, int]]:
    """(lines, whole name, ring) in the order they are tried."""
    one = ((site.name,), True)
    split = two_lines(site.name) if len(site.name) >= WRAP_LENGTH else None
    two = (split, True) if split else None
    short = ((site.short,), False) if site.short and site.short != site.name else None
    order = [(one, 0), (two, 0), (one, 1), (two, 1), (short, 0), (short, 1)]
    return [(v[0], v[1], ring) for v, ring in order if v]


def important_count(n: int) -> int:
    """How many of a map's ``n`` names, the most important, may cover circles
    when nothing else fits: one in twenty, between 5 and 25.

    >>> important_count(12), important_count(386), important_count(2000)
    (5, 19, 25)
    """
    return min(25, max(5, n // 20))


def place(sites: Iterable[Site], measure: Measure, *, obstacles: Iterable[tuple] = (),
          bounds: Box | None = None, gap: float = 3.0, pad: float = 1.5,
          important: int = 0) -> dict[str, Label]:
    """Place the names of ``sites``, in the order given, where each fits.

    ``obstacles`` are ``(id, x, y, radius)`` discs that no name may cover but
    its own node's (every node of the map, drawn or not named); ``bounds`` a
    box every name must lie in; ``gap`` the space between a circle and its
    name, ``pad`` the space kept round each name. The first ``important``
    sites that find no place clear of every circle are then placed where they
    cover only circles (in a dense cluster, the names of its largest nodes
    matter more than the small circles under them), never another name.
    Returns ``{id: Label}`` for the names placed; the others fit nowhere.

    >>> sites = [Site("a", 0, 0, 10, 12, "Alpha"), Site("b", 30, 0, 10, 12, "Beta")]
    >>> measure = lambda lines, size: (len(max(lines, key=len)) * size * 0.6, size * 1.2)
    >>> placed = place(sites, measure, obstacles=[("a", 0, 0, 10), ("b", 30, 0, 10)])
    >>> sorted(placed), overlapping(l.box for l in placed.values())
    (['a', 'b'], [])
    """
    sites = list(sites)
    obstacles = list(obstacles)
    sizes = sorted(s.size for s in sites)
    grid = _Grid((sizes[len(sizes) // 2] if sizes else 12.0) * 4)
    for owner, x, y, r in obstacles:
        grid.add_disc(owner, x, y, r)
    placed: dict[str, Label] = {}
    measured: dict[tuple, tuple[float, float]] = {}
    second = [site for site in sites[:important]]
    for site, discs in [*((s, True) for s in sites), *((s, False) for s in second)]:
        if site.id in placed:
            continue
        directions = _directions(site.away)
        for lines, whole, ring in _variants(site):
            key = (lines, site.size)
            if key not in measured:
                measured[key] = measure(lines, site.size)
            w, h = measured[key]
            w, h = w + 2 * pad, h + 2 * pad
            distance = site.radius + gap - pad + ring * max(h * 0.75, 6.0)
            for d in directions:
                box = _box_at(site, d, distance, w, h)
                if bounds and not (box[0] >= bounds[0] and box[1] >= bounds[1]
                                   and box[2] <= bounds[2] and box[3] <= bounds[3]):
                    continue
                if grid.free(site.id, box, discs):
                    grid.add_box(site.id, box)
                    placed[site.id] = Label(site.id, lines, (box[0] + box[2]) / 2,
                                            (box[1] + box[3]) / 2, w - 2 * pad, h - 2 * pad,
                                            site.size, whole, discs)
                    break
            if site.id in placed:
                break
    return placed


def away_from_neighbours(pos: dict[str, tuple[float, float]], neighbours: dict[str, Iterable[str]]
                         ) -> dict[str, tuple[float, float]]:
    """For each node, the direction from the mean of its neighbours to it.

    >>> away_from_neighbours({"hub": (0, 0), "leaf": (5, 0)}, {"leaf": ["hub"], "hub": ["leaf"]})
    {'hub': (-5.0, 0.0), 'leaf': (5.0, 0.0)}
    """
    out = {}
    for v in sorted(pos):
        near = [pos[u] for u in neighbours.get(v, ()) if u in pos and u != v]
        if near:
            mx = sum(p[0] for p in near) / len(near)
            my = sum(p[1] for p in near) / len(near)
            out[v] = (float(pos[v][0] - mx), float(pos[v][1] - my))
    return out
