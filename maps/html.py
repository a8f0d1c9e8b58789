"""The self-contained HTML map: one file, no network request when opened.

pyvis's own template loads vis-network, Bootstrap and tom-select from CDNs
(even with ``cdn_resources="in_line"``) and puts tooltip strings in the page
as HTML, so this module uses its own template (``assets/map.html``) and
inlines vis-network's script and style from the copy bundled in the
installed pyvis package. The page's data is a JSON block with ``<``, ``>``
and ``&`` escaped, so no value can close the script element; the page's own
script puts every value in the DOM as text. A Content-Security-Policy
allows only the page's own scripts (by hash) and data: images, so even a
value that slipped through could neither run nor fetch anything.
"""
from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import re
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from htkg.maps.labels import (Label, Site, away_from_neighbours, important_count, page_measure,
                              place)
from htkg.maps.style import BORDER, BORDER_FOCUS, StyledMap
from htkg.maps.words import edge_text, shown_text

VIS_VERSION = "9.1.2"
_SLOT = re.compile(r"@@([A-Z_]+)@@")


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("htkg.maps").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def vis_files() -> tuple[str, str]:
    """vis-network's minified script and its style sheet, from the installed pyvis."""
    # Only pyvis's bundled files are read: found without importing it (jinja2, IPython
    # helpers: a quarter of a second in a fresh process).
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.origin:
        raise RuntimeError("pyvis is not installed; it carries the vis-network files maps inline")
    base = Path(spec.origin).resolve().parent / "lib" / f"vis-{VIS_VERSION}"
    js = (base / "vis-network.min.js").read_text(encoding="utf-8")
    css = (base / "vis-network.css").read_text(encoding="utf-8")
    # The source map comment would point the browser's tools at a file that is not there.
    js = re.sub(r"//# sourceMappingURL=\S*\s*$", "", js.rstrip()) + "\n"
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    for text, what in ((js, "script"), (css, "style")):
        if re.search(rf"</{what}", text, re.IGNORECASE):
            raise RuntimeError(f"vis-network's {what} contains '</{what}' and cannot be inlined")
    return js, css


def json_for_script(value) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' at all."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def page_labels(sm: StyledMap) -> dict[str, Label]:
    """Where the page writes each node's name (:mod:`.labels`), in layout pixels.

    The page draws a name at the same place relative to its node at every
    zoom, and text scales with the zoom, so names that do not overlap here
    overlap at no zoom.
    """
    neighbours: dict[str, set[str]] = {}
    for e in sm.edges:
        neighbours.setdefault(e.source, set()).add(e.target)
        neighbours.setdefault(e.target, set()).add(e.source)
    away = away_from_neighbours({n.id: (n.x, n.y) for n in sm.nodes}, neighbours)
    sites = []
    for n in sorted(sm.nodes, key=lambda n: (not n.focus, -n.size, n.name.casefold(), n.id)):
        r = n.size + (BORDER_FOCUS if n.focus else BORDER) / 2
        direction = away.get(n.id)
        if direction and (direction[0] ** 2 + direction[1] ** 2) ** 0.5 < r:
            direction = None        # a hub: its neighbours are all round it
        sites.append(Site(n.id, n.x, n.y, r, n.font_size, n.name, n.short, direction))
    obstacles = [(n.id, n.x, n.y, n.size + (BORDER_FOCUS if n.focus else BORDER) / 2)
                 for n in sm.nodes]
    return place(sites, page_measure, obstacles=obstacles, gap=3.0, pad=1.5,
                 important=important_count(len(sites)))


def page_data(sm: StyledMap) -> dict:
    labels = page_labels(sm)

    def label(n):
        placed = labels.get(n.id)
        if placed is None:
            return None
        return {"lines": list(placed.lines), "dx": round(placed.x - n.x, 1),
                "dy": round(placed.y - n.y, 1), "w": round(placed.width, 1),
                "h": round(placed.height, 1), "size": placed.size, "full": placed.full}

    return {
        "colours": {entry.category: entry.colour for entry in sm.legend},
        "border": [BORDER, BORDER_FOCUS],
        "nodes": [{"id": n.id, "name": n.name, "cat": n.category, "x": n.x, "y": n.y,
                   "size": n.size, "names": n.names, "label": label(n),
                   "info": [list(line) for line in n.info], "focus": n.focus}
                  for n in sm.nodes],
        "edges": [{"from": e.source, "to": e.target, "type": e.type, "text": e.text,
                   "colour": e.colour, "width": e.width, "info": [list(line) for line in e.info]}
                  for e in sm.edges],
    }


def _legend(sm: StyledMap) -> str:
    if not sm.legend:
        return '<p class="hint">Nothing to show.</p>'
    out = ['<ul class="legend">']
    group = None
    for entry in sm.legend:
        if entry.group != group:
            group = entry.group
            out.append(f'<li class="group">{_e(group)}</li>')
        out.append(
            f'<li data-category="{_e(entry.category)}"><label>'
            f'<input type="checkbox" checked data-category="{_e(entry.category)}">'
            f'<span class="swatch" style="background:{_e(entry.colour)}"></span>'
            f'<span class="kind">{_e(entry.text)}</span>'
            f'<span class="count">{entry.count}'
            + (f' <span class="more">and {entry.more} more</span>' if entry.more else "")
            + '</span></label></li>')
    out.append("</ul>")
    return "".join(out)


def _edge_legend(sm: StyledMap) -> str:
    if not sm.edge_legend:
        return '<p class="hint">No relationships.</p>'
    rows = "".join(
        f'<li data-type="{_e(t)}"><label><span class="edge-swatch" style="background:{_e(c)}">'
        f'</span><span class="kind">{_e(edge_text(t))}</span><span class="count">{n}</span>'
        f'</label></li>'
        for t, c, n in sm.edge_legend)
    return f'<ul class="legend">{rows}</ul>'


def _meta(sm: StyledMap) -> str:
    parts = [f"Graph built {sm.built}" if sm.built else "Build date not recorded by the server",
             f"map made {sm.made}",
             shown_text(sm)]
    # The store's path is left out on purpose: maps are shared, local paths are not.
    return " · ".join(_e(p) for p in parts)


def _fed(nodes: int, rels: int) -> str:
    parts = []
    if nodes:
        parts.append(f"{nodes:,} node{'s' if nodes != 1 else ''}")
    if rels:
        parts.append(f"{rels:,} relationship{'s' if rels != 1 else ''}")
    return ", ".join(parts)


def _version() -> str:
    try:
        return metadata.version("htkg")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "dev"


def render_html(sm: StyledMap) -> str:
    """The whole page as one string."""
    vis_js, vis_css = vis_files()
    map_js, map_css = _asset("map.js"), _asset("map.css")
    csp = ("default-src 'none'; "
           f"script-src {_sha256(vis_js)} {_sha256(map_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")
    notes = ("<ul class=\"notes\">" + "".join(f"<li>{_e(n)}</li>" for n in sm.notes) + "</ul>"
             if sm.notes else "")
    files = len(sm.sources)
    summary = (f"Sources: {files} file{'s' if files != 1 else ''} fed what this map shows"
               if files else "Sources: none recorded")
    sources = "".join(f"<li>{_e(f)} ({_e(_fed(n, r))})</li>" for f, n, r in sm.sources)
    edge_hint = "Line width: people referred." if sm.size_by == "people referred" else ""
    cut = f'<p id="cut" class="cut">{_e(sm.cut)}</p>' if sm.cut else ""
    slots = {
        "CSP": _e(csp),
        "VERSION": _e(_version()),
        "TITLE": _e(sm.title),
        "META": _meta(sm),
        "NOTES": notes,
        "SOURCES_SUMMARY": _e(summary),
        "SOURCES": sources,
        "LEGEND": _legend(sm),
        "EDGE_LEGEND": _edge_legend(sm),
        "SIZE_BY": _e(sm.size_by),
        "CUT": cut,
        "EDGE_HINT": _e(edge_hint),
        "DATA": json_for_script(page_data(sm)),
        "VIS_CSS": vis_css,
        "VIS_JS": vis_js,
        "MAP_CSS": map_css,
        "MAP_JS": map_js,
    }
    # One pass: text put into a slot is never scanned for further slots.
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("map.html"))
