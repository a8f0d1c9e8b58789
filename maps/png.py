"""A static picture of a map for documents: networkx positions drawn by matplotlib (Agg).

Same positions, colours, sizes and legend as the HTML map. Labels are
drawn for the largest nodes only (all of them on small maps) so that they
stay readable; a caption says when the graph was built and from which
sources.
"""
from __future__ import annotations

import io

from htkg.maps.style import StyledMap

LABELLED_ALL = 60        # label every node up to this many nodes
LABELLED_MAX = 40        # else label this many of the largest


def render_png(sm: StyledMap, dpi: int = 110) -> bytes:
    # deferred: matplotlib is heavy and only PNG maps need it
    import matplotlib  # deferred: matplotlib is slow to import
    matplotlib.use("Agg", force=True)
    from matplotlib import patheffects  # deferred: matplotlib is slow to import
    # deferred: matplotlib is slow to import
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection  # deferred: matplotlib is slow to import
    from matplotlib.figure import Figure  # deferred: matplotlib is slow to import
    from matplotlib.lines import Line2D  # deferred: matplotlib is slow to import

    fig = Figure(figsize=(14, 10), dpi=dpi, facecolor="white")
    ax = fig.add_axes((0.01, 0.04, 0.76, 0.86))
    ax.set_axis_off()
    ax.set_aspect("equal")
    xy = {n.id: (n.x, -n.y) for n in sm.nodes}
    if sm.nodes:
        xs = [p[0] for p in xy.values()]
        ys = [p[1] for p in xy.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
        pad = span * 0.06 + 40
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad, max(ys) + pad)
    else:
        span = 1.0
        ax.text(0.5, 0.5, "Nothing to show", ha="center", va="center", transform=ax.transAxes)
    # Points per layout pixel: the axes are about 10.6 inches wide.
    per_px = 0.76 * 14 * 72 / (span * 1.15 + 80)

    if sm.edges:
        segments = [(xy[e.source], xy[e.target]) for e in sm.edges
                    if e.source in xy and e.target in xy]
        lines = LineCollection(segments, colors=[e.colour for e in sm.edges],
                               linewidths=[max(0.4, min(e.width * 0.6, 6.0)) for e in sm.edges],
                               alpha=0.6, zorder=1)
        ax.add_collection(lines)
    if sm.nodes:
        radius = [max(2.0, min(n.size * per_px, 22.0)) for n in sm.nodes]
        ax.scatter([xy[n.id][0] for n in sm.nodes], [xy[n.id][1] for n in sm.nodes],
                   s=[(2 * r) ** 2 for r in radius], c=[n.colour for n in sm.nodes],
                   edgecolors=["#111111" if n.focus else "#00000070" for n in sm.nodes],
                   linewidths=[2.5 if n.focus else 0.6 for n in sm.nodes], zorder=2)
        # Labels by priority (focus, then size); one that would overlap a label
        # already placed is left out, so every label drawn can be read.
        ranked = sorted(sm.nodes, key=lambda n: (-n.focus, -n.size, n.name))
        limit = len(ranked) if len(ranked) <= LABELLED_ALL else LABELLED_MAX
        stroke = [patheffects.withStroke(linewidth=3, foreground="white")]
        radius_of = {n.id: r for n, r in zip(sm.nodes, radius)}
        renderer = FigureCanvasAgg(fig).get_renderer()
        placed: list = []
        for n in ranked[:max(limit * 3, LABELLED_ALL)]:
            if len(placed) >= limit:
                break
            r = radius_of[n.id]
            text = ax.annotate(n.name if len(n.name) <= 42 else n.name[:40] + "\u2026", xy[n.id],
                               xytext=(0, -(r + 3)), textcoords="offset points", ha="center",
                               va="top", fontsize=8 + min(4.0, n.size / 10), color="#1b1b1b",
                               zorder=3, path_effects=stroke)
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            if any(box.overlaps(other) for other in placed):
                text.remove()
            else:
                placed.append(box)

    fig.text(0.01, 0.965, sm.title, fontsize=16, fontweight="bold", va="top")
    built = f"Graph built {sm.built}" if sm.built else "Build date not recorded by the server"
    sub = (f"{built} · map made {sm.made} · {len(sm.nodes):,} nodes · "
           f"{len(sm.edges):,} relationships · node size: {sm.size_by}")
    fig.text(0.01, 0.925, sub, fontsize=9.5, color="#3c4450", va="top")
    if sm.notes:
        fig.text(0.01, 0.905, "; ".join(sm.notes), fontsize=8.5, color="#3c4450", va="top")
    if sm.sources:
        shown = ", ".join(f for f, _, _ in sm.sources[:6])
        more = f" and {len(sm.sources) - 6} more" if len(sm.sources) > 6 else ""
        fig.text(0.01, 0.015, f"Sources: {shown}{more}", fontsize=8, color="#5f6b7a")

    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=e.colour,
                      markeredgecolor="#00000070", label=f"{e.text} ({e.count})")
               for e in sm.legend]
    if handles:
        kinds = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.78, 0.9),
                           title="Kinds", fontsize=9, title_fontsize=10, frameon=False)
        kinds.get_title().set_fontweight("bold")
    rel_handles = [Line2D([], [], color=c, linewidth=2.5, label=f"{t} ({n})")
                   for t, c, n in sm.edge_legend]
    if rel_handles:
        top = 0.9
        if handles:
            box = kinds.get_window_extent(FigureCanvasAgg(fig).get_renderer())
            top = fig.transFigure.inverted().transform((0, box.y0))[1] - 0.03
        rels = fig.legend(handles=rel_handles, loc="upper left", bbox_to_anchor=(0.78, top),
                          title="Relationships", fontsize=9, title_fontsize=10, frameon=False)
        rels.get_title().set_fontweight("bold")
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, facecolor="white")
    return out.getvalue()
