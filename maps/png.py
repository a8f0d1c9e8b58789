"""A static picture of a map for documents: the map's positions drawn by matplotlib (Agg).

Same positions, colours, legend and node sizes as the HTML map: each node is
a circle whose radius is its size in layout pixels, in data units, so that
one scale turns both maps' layouts into pixels (the page's "fit to window"
does the same) and a larger figure is always a larger circle. Names are
placed by :mod:`.labels` with matplotlib's own extents of the text drawn,
inside the map's frame: none covers another name or another node, none is
cut off, and the caption says how many are left out. The header, legend and
caption are laid out in pixels, top to bottom, each line wrapped to fit.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from htkg.maps.labels import Label, Site, away_from_neighbours, important_count, place
from htkg.maps.style import StyledMap
from htkg.maps.words import edge_text, shown_text

WIDTH_IN, HEIGHT_IN, DPI = 14, 10, 110
PANEL = 0.775            # the legend starts at this fraction of the width
MAX_SCALE = 1.5          # pixels per layout pixel, at most (a small map is not blown up)
MAX_NAMED = 400          # names tried, in order of importance, on a big map
EDGE = 14                # pixels kept clear at the picture's edges


@dataclass
class Drawing:
    """A drawn map: the figure, and its parts for whoever checks it."""

    figure: object
    names: list = field(default_factory=list)          # matplotlib Text of each node's name
    named: list[str] = field(default_factory=list)     # the node of each, in the same order
    circles: dict = field(default_factory=dict)        # node id -> (x px, y px, radius px)
    labels: dict[str, Label] = field(default_factory=dict)
    left_out: int = 0                                  # names not written
    shortened: int = 0                                 # names written in short form


def _font_pt(font_size: float) -> float:
    """The PNG's point size for a node's name (the page's font size in pixels)."""
    return round(min(12.0, 8.5 + max(0.0, font_size - 14) * 0.25), 2)


def draw(sm: StyledMap, dpi: int = DPI) -> Drawing:
    """The map as a matplotlib figure (see :func:`render_png` for its bytes)."""
    import matplotlib  # deferred: matplotlib is slow to import
    matplotlib.use("Agg", force=True)
    from matplotlib import patheffects  # deferred: matplotlib is slow to import
    # deferred: matplotlib is slow to import
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PatchCollection  # deferred: as above
    from matplotlib.figure import Figure  # deferred: matplotlib is slow to import
    from matplotlib.font_manager import FontProperties  # deferred: as above
    from matplotlib.lines import Line2D  # deferred: matplotlib is slow to import
    from matplotlib.patches import Circle  # deferred: matplotlib is slow to import

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    W, H = fig.bbox.width, fig.bbox.height
    drawing = Drawing(fig)

    def width_of(text: str, size: float, bold: bool = False) -> float:
        props = FontProperties(size=size, weight="bold" if bold else "normal")
        return renderer.get_text_width_height_descent(text, props, ismath=False)[0]

    def wrapped(text: str, size: float, room: float, bold: bool = False) -> list[str]:
        lines, line = [], ""
        for word in text.split(" "):
            trial = f"{line} {word}" if line else word
            if line and width_of(trial, size, bold) > room:
                lines.append(line)
                line = word
            else:
                line = trial
        return [*lines, line] if line else lines

    def block(x: float, top: float, text: str, size: float, room: float, colour: str,
              bold: bool = False, max_lines: int | None = None) -> float:
        """Text wrapped to ``room`` pixels from (x, top); returns the bottom."""
        lines = wrapped(text, size, room, bold)
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            while lines[-1] and width_of(lines[-1] + " \u2026", size, bold) > room:
                lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
            lines[-1] += " \u2026"
        t = fig.text(x / W, 1 - top / H, "\n".join(lines), fontsize=size, color=colour,
                     va="top", ha="left", fontweight="bold" if bold else "normal")
        return H - t.get_window_extent(renderer).y0

    # -- header, caption ------------------------------------------------------------
    full = W - 2 * EDGE
    y = block(EDGE, EDGE, sm.title, 16, full, "#111111", bold=True) + 6
    built = f"Graph built {sm.built}" if sm.built else "Build date not recorded by the server"
    sub = f"{built} · map made {sm.made} · {shown_text(sm)}"
    y = block(EDGE, y, sub, 9.5, full, "#3c4450") + 4
    for note in sm.notes:
        y = block(EDGE, y, note, 9, full, "#3c4450") + 2
    header_bottom = y + 6

    # The caption is laid out from the bottom up once the names are placed; keep
    # room for three lines of it.
    caption_room = 3 * 8 * 1.35 * dpi / 72 + 10
    panel_x = W * PANEL
    ax_box = (EDGE, header_bottom, panel_x - 12, H - EDGE - caption_room)   # x0, y0, x1, y1 (px)
    aw, ah = ax_box[2] - ax_box[0], ax_box[3] - ax_box[1]
    ax = fig.add_axes((ax_box[0] / W, 1 - ax_box[3] / H, aw / W, ah / H))
    ax.set_axis_off()

    # -- the map's scale: every circle inside the frame, room round it for names ------
    if sm.nodes:
        x0 = min(n.x - n.size for n in sm.nodes)
        x1 = max(n.x + n.size for n in sm.nodes)
        y0 = min(n.y - n.size for n in sm.nodes)
        y1 = max(n.y + n.size for n in sm.nodes)
        mx, my = min(150.0, aw * 0.14), min(45.0, ah * 0.07)
        scale = min((aw - 2 * mx) / max(x1 - x0, 1.0), (ah - 2 * my) / max(y1 - y0, 1.0),
                    MAX_SCALE)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    else:
        scale, cx, cy = 1.0, 0.0, 0.0
        ax.text(0.5, 0.5, "Nothing to show", ha="center", va="center", transform=ax.transAxes)
    left, top = cx - aw / 2 / scale, cy - ah / 2 / scale
    ax.set_xlim(left, left + aw / scale)
    ax.set_ylim(top + ah / scale, top)          # y points down, as in the layout

    def to_px(x: float, y: float) -> tuple[float, float]:
        """Layout position to picture pixels (y down)."""
        return ax_box[0] + (x - left) * scale, ax_box[1] + (y - top) * scale

    pt_per_px = 72.0 / dpi
    xy = {n.id: (n.x, n.y) for n in sm.nodes}
    if sm.edges:
        drawn = [e for e in sm.edges if e.source in xy and e.target in xy]
        ax.add_collection(LineCollection(
            [(xy[e.source], xy[e.target]) for e in drawn], colors=[e.colour for e in drawn],
            linewidths=[max(0.4, e.width * scale * pt_per_px) for e in drawn], alpha=0.6,
            zorder=1))
    if sm.nodes:
        border = [max(0.5, (4 if n.focus else 1.5) * scale * pt_per_px) for n in sm.nodes]
        ax.add_collection(PatchCollection(
            [Circle((n.x, n.y), n.size) for n in sm.nodes],
            facecolors=[n.colour for n in sm.nodes],
            edgecolors=["#111111" if n.focus else "#00000073" for n in sm.nodes],
            linewidths=border, zorder=2))
        for n in sm.nodes:
            px, py = to_px(n.x, n.y)
            drawn_r = n.size * scale + (4 if n.focus else 1.5) * scale / 2
            drawing.circles[n.id] = (px, H - py, drawn_r)

    # -- names --------------------------------------------------------------------------
    probe = fig.text(0, 0, "", fontsize=9)

    def measure(lines: tuple[str, ...], size: float) -> tuple[float, float]:
        probe.set_text("\n".join(lines))
        probe.set_fontsize(size)
        box = probe.get_window_extent(renderer)
        return box.width, box.height

    neighbours: dict[str, set[str]] = {}
    for e in sm.edges:
        neighbours.setdefault(e.source, set()).add(e.target)
        neighbours.setdefault(e.target, set()).add(e.source)
    away = away_from_neighbours({n.id: to_px(n.x, n.y) for n in sm.nodes}, neighbours)
    ranked = sorted(sm.nodes, key=lambda n: (not n.focus, -n.size, n.name.casefold(), n.id))
    sites = []
    for n in ranked[:MAX_NAMED]:
        px, py = to_px(n.x, n.y)
        r = drawing.circles[n.id][2]
        direction = away.get(n.id)
        if direction and (direction[0] ** 2 + direction[1] ** 2) ** 0.5 < r:
            direction = None        # a hub: its neighbours are all round it
        sites.append(Site(n.id, px, py, r, _font_pt(n.font_size), n.name, n.short, direction))
    obstacles = [(n.id, *to_px(n.x, n.y), drawing.circles[n.id][2] + 1) for n in sm.nodes]
    placed = place(sites, measure, obstacles=obstacles, bounds=ax_box, gap=2.5, pad=2.0,
                   important=important_count(len(sm.nodes)))
    probe.remove()
    stroke = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for site in sites:
        label = placed.get(site.id)
        if label is None:
            continue
        t = ax.text(left + (label.x - ax_box[0]) / scale, top + (label.y - ax_box[1]) / scale,
                    "\n".join(label.lines), ha="center", va="center", multialignment="center",
                    fontsize=label.size, color="#1b1b1b", zorder=3, path_effects=stroke)
        drawing.names.append(t)
        drawing.named.append(site.id)
    drawing.labels = placed
    drawing.left_out = len(sm.nodes) - len(placed)
    drawing.shortened = sum(1 for label in placed.values() if not label.full)

    # -- legend ---------------------------------------------------------------------------
    room = W - panel_x - EDGE
    y = header_bottom
    if sm.cut:
        y = block(panel_x, y, sm.cut, 9.5, room, "#85200c", bold=True) + 10

    def legend(handles, title: str, top_px: float) -> float:
        box = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(panel_x / W,
                         1 - top_px / H), title=title, fontsize=9, title_fontsize=10,
                         frameon=False, alignment="left", borderaxespad=0, borderpad=0)
        box.get_title().set_fontweight("bold")
        return H - box.get_window_extent(renderer).y0

    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=e.colour,
                      markeredgecolor="#00000070",
                      label=f"{e.text} ({e.count})" + (f", and {e.more} more" if e.more else ""))
               for e in sm.legend]
    if handles:
        y = legend(handles, "Kinds", y) + 14
    rel_handles = [Line2D([], [], color=c, linewidth=2.5, label=f"{edge_text(t)} ({n})")
                   for t, c, n in sm.edge_legend]
    if rel_handles:
        y = legend(rel_handles, "Links", y) + 14
    hints = [f"Circle size: {sm.size_by}."]
    if sm.size_by == "people referred":
        hints.append("Line width: people referred.")
    block(panel_x, y, " ".join(hints), 8.5, room, "#5f6b7a")

    # -- caption: names left out, then sources ------------------------------------------------
    parts = []
    if drawing.left_out:
        parts.append(f"{drawing.left_out} name{'s' if drawing.left_out != 1 else ''} not "
                     f"written where {'they' if drawing.left_out != 1 else 'it'} would cover "
                     f"others; the HTML map shows every name.")
    if drawing.shortened:
        parts.append(f"{drawing.shortened} name{'s' if drawing.shortened != 1 else ''} "
                     f"shortened.")
    if sm.sources:
        shown = ", ".join(f for f, _, _ in sm.sources[:6])
        more = f" and {len(sm.sources) - 6} more" if len(sm.sources) > 6 else ""
        parts.append(f"Sources: {shown}{more}.")
    if parts:
        block(EDGE, H - EDGE - caption_room + 10, " ".join(parts), 8, full, "#5f6b7a",
              max_lines=3)
    return drawing


def render_png(sm: StyledMap, dpi: int = DPI) -> bytes:
    """The map as PNG bytes."""
    drawing = draw(sm, dpi)
    out = io.BytesIO()
    drawing.figure.savefig(out, format="png", dpi=dpi, facecolor="white")
    return out.getvalue()
