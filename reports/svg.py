"""Charts as inline SVG, drawn here: no script, no library, nothing fetched.

Each chart has axis titles, a ``<title>`` and a ``<desc>`` (the text
alternative) that the ``<svg role="img">`` is labelled by, and a tooltip
(``<title>``) on every bar. Every value from the graph is escaped.

>>> from htkg.reports.document import Chart, Series
>>> c = Chart("c", "bars", "T", "People", "Type", ["<b>"], [Series("s", [3], "#000")], "alt", "t")
>>> svg = draw(c)
>>> svg.startswith("<svg") and "&lt;b&gt;" in svg and "<b>" not in svg
True
"""
from __future__ import annotations

import html
import math

from htkg.reports.document import Chart

WIDTH = 640
FONT = 12
INK, MUTED, GRID = "#1b1b1b", "#5f6b7a", "#d9dde3"


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def nice_ticks(top: float, count: int = 5) -> list[int]:
    """Round tick values from 0 to at least ``top``.

    >>> nice_ticks(46), nice_ticks(0), nice_ticks(7), nice_ticks(1234)
    ([0, 10, 20, 30, 40, 50], [0, 1], [0, 2, 4, 6, 8], [0, 500, 1000, 1500])
    """
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    ticks = list(range(0, int(math.ceil(top / step)) * step + 1, step))
    return ticks


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _open(chart: Chart, width: int, height: int) -> list[str]:
    cid = _e(chart.id)
    return [f'<svg class="chart" id="{cid}" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
            f'aria-labelledby="{cid}-title {cid}-desc" font-size="{FONT}" '
            f'font-family="DejaVu Sans, Segoe UI, Arial, sans-serif">',
            f'<title id="{cid}-title">{_e(chart.title)}</title>',
            f'<desc id="{cid}-desc">{_e(chart.alt)}</desc>']


def _legend(chart: Chart, x0: float, y: float, width: float) -> tuple[list[str], float]:
    """Swatches and names in rows from (x0, y); returns the parts and the height used."""
    out, x, rows = [], x0, 1
    for s in chart.series:
        w = 18 + 6.8 * len(s.name)
        if x + w > x0 + width and x > x0:
            x, rows = x0, rows + 1
        yy = y + (rows - 1) * 18
        out.append(f'<rect x="{x:.1f}" y="{yy:.1f}" width="12" height="12" fill="{_e(s.colour)}"/>'
                   f'<text x="{x + 16:.1f}" y="{yy + 10.5:.1f}" fill="{INK}">{_e(s.name)}</text>')
        x += w + 10
    return out, rows * 18


def stacked(chart: Chart) -> str:
    """A column per category (quarter), the series stacked in it, a total on top."""
    left, right, top_pad = 58, 14, 12
    legend, legend_h = _legend(chart, left, top_pad, WIDTH - left - right)
    top = top_pad + legend_h + 14
    rotate = len(chart.categories) > 8
    bottom = 78 if rotate else 52
    plot_h = 220
    height = top + plot_h + bottom
    totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.categories))]
    ticks = nice_ticks(max(totals, default=0))
    scale = plot_h / ticks[-1]
    plot_w = WIDTH - left - right
    band = plot_w / max(1, len(chart.categories))
    bar = min(46.0, band * 0.64)
    out = _open(chart, WIDTH, height) + legend
    for t in ticks:
        y = top + plot_h - t * scale
        out.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="{GRID}"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                   f'fill="{MUTED}">{t:,}</text>')
    for i, cat in enumerate(chart.categories):
        x = left + i * band + (band - bar) / 2
        y = top + plot_h
        for s in chart.series:
            v = s.values[i]
            if not v:
                continue
            h = v * scale
            y -= h
            out.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                       f'height="{h:.1f}" fill="{_e(s.colour)}"><title>{_e(cat)}, '
                       f'{_e(s.name)}: {v:,}</title></rect>')
        shown = "no figures" if cat in chart.missing else f"{totals[i]:,}"
        out.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                   f'fill="{MUTED if cat in chart.missing else INK}" '
                   f'font-size="{FONT - 1}">{_e(shown)}</text>')
        cx, cy = x + bar / 2, top + plot_h + 16
        if rotate:
            out.append(f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="end" fill="{INK}" '
                       f'transform="rotate(-40 {cx:.1f} {cy:.1f})">{_e(cat)}</text>')
        else:
            out.append(f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" '
                       f'fill="{INK}">{_e(cat)}</text>')
    out.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" '
               f'y2="{top + plot_h}" stroke="{MUTED}"/>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" '
               f'fill="{INK}" font-weight="bold">{_e(chart.x_label)}</text>')
    mid = top + plot_h / 2
    out.append(f'<text x="14" y="{mid:.1f}" text-anchor="middle" fill="{INK}" '
               f'font-weight="bold" transform="rotate(-90 14 {mid:.1f})">'
               f'{_e(chart.y_label)}</text>')
    out.append("</svg>")
    return "".join(out)


def bars(chart: Chart) -> str:
    """A horizontal bar per category, longest first as given, the value at its end."""
    label_w, right, top, row = 200, 56, 28, 22
    series = chart.series[0]
    values = series.values
    ticks = nice_ticks(max(values, default=0))
    plot_w = WIDTH - label_w - right
    scale = plot_w / ticks[-1]
    plot_h = row * len(chart.categories)
    height = top + plot_h + 50
    out = _open(chart, WIDTH, height)
    out.append(f'<text x="{label_w - 8}" y="{top - 10}" text-anchor="end" fill="{INK}" '
               f'font-weight="bold">{_e(chart.y_label)}</text>')
    for t in ticks:
        x = label_w + t * scale
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" '
                   f'stroke="{GRID}"/><text x="{x:.1f}" y="{top + plot_h + 15}" '
                   f'text-anchor="middle" fill="{MUTED}">{t:,}</text>')
    for i, (cat, v) in enumerate(zip(chart.categories, values)):
        y = top + i * row
        w = v * scale
        out.append(f'<text x="{label_w - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" '
                   f'fill="{INK}"><title>{_e(cat)}</title>{_e(_short(cat, 30))}</text>')
        out.append(f'<rect class="bar" x="{label_w}" y="{y + 3:.1f}" width="{w:.1f}" '
                   f'height="{row - 6}" fill="{_e(series.colour)}"><title>{_e(cat)}: {v:,}'
                   f'</title></rect>')
        out.append(f'<text x="{label_w + w + 5:.1f}" y="{y + row / 2 + 4:.1f}" '
                   f'fill="{INK}">{v:,}</text>')
    out.append(f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{top + plot_h}" '
               f'stroke="{MUTED}"/>')
    out.append(f'<text x="{label_w + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" '
               f'fill="{INK}" font-weight="bold">{_e(chart.x_label)}</text>')
    out.append("</svg>")
    return "".join(out)


def draw(chart: Chart) -> str:
    """The chart as one ``<svg>`` element."""
    return stacked(chart) if chart.kind == "stacked" else bars(chart)


_BOLD = ' font-weight="bold"'
#: How many node labels the printed map writes (the largest nodes, and the focus).
LABELLED = 24


def network(sm, title: str, alt: str, width: int = 640, height: int = 430) -> str:
    """A static picture of a styled map (:class:`htkg.maps.style.StyledMap`) at the
    positions its layout computed: for print, where the interactive map cannot redraw."""
    nodes = sm.nodes
    if not nodes:
        return ""
    pad = 24
    xs = [n.x - n.size for n in nodes] + [n.x + n.size for n in nodes]
    ys = [n.y - n.size for n in nodes] + [n.y + n.size for n in nodes]
    span_x, span_y = max(xs) - min(xs) or 1.0, max(ys) - min(ys) or 1.0
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y, 1.5)
    ox = pad + ((width - 2 * pad) - span_x * scale) / 2 - min(xs) * scale
    oy = pad + ((height - 2 * pad) - span_y * scale) / 2 - min(ys) * scale
    at = {n.id: (ox + n.x * scale, oy + n.y * scale) for n in nodes}
    out = [f'<svg class="chart network" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
           f'font-size="10" font-family="DejaVu Sans, Segoe UI, Arial, sans-serif">'
           f"<title>{_e(title)}</title><desc>{_e(alt)}</desc>"]
    for e in sm.edges:
        if e.source in at and e.target in at:
            (x1, y1), (x2, y2) = at[e.source], at[e.target]
            out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                       f'stroke="{_e(e.colour)}" stroke-opacity="0.6" '
                       f'stroke-width="{max(0.6, e.width * scale * 0.6):.1f}"/>')
    for n in nodes:
        x, y = at[n.id]
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{max(2.5, n.size * scale):.1f}" '
                   f'fill="{_e(n.colour)}" stroke="{"#111111" if n.focus else "#ffffff"}" '
                   f'stroke-width="{2 if n.focus else 0.8}"><title>{_e(n.name)}</title></circle>')
    labelled = sorted(nodes, key=lambda n: (not n.focus, -n.size, n.name))[:LABELLED]
    for n in labelled:
        x, y = at[n.id]
        out.append(f'<text x="{x:.1f}" y="{y + max(2.5, n.size * scale) + 10:.1f}" '
                   f'text-anchor="middle" fill="{INK}" stroke="#ffffff" stroke-width="3" '
                   f'paint-order="stroke"{_BOLD if n.focus else ""}>'
                   f"{_e(_short(n.name, 34))}</text>")
    out.append("</svg>")
    return "".join(out)
