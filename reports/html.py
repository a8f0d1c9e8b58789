"""A report as one self-contained HTML page: its style inline, charts as inline SVG,
the map (when there is one) an htkg map page inside a sandboxed ``srcdoc`` frame,
and nothing fetched from anywhere.

Every value from the graph is escaped where it is written (:func:`_e`). A
Content-Security-Policy in the page allows only its own style, and, when the
page has a map, only the map's two scripts (by hash): a value that slipped
through could neither run nor fetch anything.

>>> from htkg.reports.document import Report
>>> page = render_html(Report("country", "<img src=x onerror=alert(1)>", None, "<T>", ""))
>>> "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
True
"""
from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources

# The map page's own helpers: its assets, the hash its CSP allows a script by, the version.
from htkg.maps.html import _asset, _sha256, _version, render_html as map_page, vis_files
from htkg.maps.style import style_map
from htkg.maps.subgraph import map_of
from htkg.output import visible
from htkg.reports.document import Chart, MapBlock, Report, Table, Text, cell_text
from htkg.reports.svg import draw, network

#: A table of at most this many rows is kept on one printed page.
KEEP_ROWS = 24


@lru_cache(maxsize=None)
def _css() -> str:
    return resources.files("htkg.reports").joinpath("assets", "report.css").read_text("utf-8")


def _e(value) -> str:
    """Text from data, escaped for HTML, control characters shown (never sent)."""
    return html.escape(visible(str(value)), quote=True)


def content_security_policy(css: str, map_scripts: list[str]) -> str:
    """The page's policy: its own style by hash and nothing else, unless it holds a map.

    A map is an htkg map page in a ``srcdoc`` frame, which keeps this policy as well
    as its own: so the map's two scripts are allowed by hash, and inline styles
    (which the map's legend and vis-network set) are allowed too.
    """
    if map_scripts:
        scripts = " ".join(_sha256(s) for s in map_scripts)
        return ("default-src 'none'; " f"script-src {scripts}; style-src 'unsafe-inline'; "
                "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
                "form-action 'none'; object-src 'none'")
    return (f"default-src 'none'; script-src 'none'; style-src {_sha256(css)}; img-src data:; "
            "connect-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'; "
            "object-src 'none'")


def _num(column) -> str:
    return ' class="num"' if column.numeric else ""


def _table(t: Table) -> str:
    if not t.rows:
        return (f'<p class="empty" id="t-{_e(t.id)}">{_e(t.empty)}</p>' if t.empty else "")
    keep = " keep" if len(t.rows) <= KEEP_ROWS else ""
    out = [f'<table class="data{keep}" id="t-{_e(t.id)}"><caption>{_e(t.caption)}</caption>',
           "<thead><tr>"]
    out += [f'<th scope="col"{_num(c)}>{_e(c.title)}</th>'
            for c in t.columns]
    out.append("</tr></thead><tbody>")
    for row in t.rows:
        out.append("<tr>" + "".join(
            f'<td{_num(c)}>{_e(cell_text(row.get(c.key), c))}</td>'
            for c in t.columns) + "</tr>")
    out.append("</tbody>")
    if t.total:
        out.append("<tfoot><tr>" + "".join(
            f'<td{_num(c)}>{_e(cell_text(t.total.get(c.key), c))}</td>'
            for c in t.columns) + "</tr></tfoot>")
    out.append("</table>")
    notes = [_e(t.note)] if t.note else []
    if t.source:
        notes.append(f'Source: <a href="#src-{_e(t.source)}">{_e(t.source)}</a>')
    if notes:
        out.append(f'<p class="table-note">{" · ".join(notes)}</p>')
    return "".join(out)


def _chart(c: Chart) -> str:
    return (f'<figure class="chart">{draw(c)}<figcaption>{_e(c.title)}. The table '
            f'<a href="#t-{_e(c.table)}">below</a> gives every figure.</figcaption></figure>')


def _map(block: MapBlock, report: Report, scripts: list[str]) -> str:
    """The interactive map (an htkg map page in a sandboxed frame) for the screen, and
    the same layout drawn as SVG for print, where the frame could not redraw."""
    mg = map_of(block.selection, block.title)
    mg.built = report.built
    styled = style_map(mg)
    page = map_page(styled)
    scripts[:] = [vis_files()[0], _asset("map.js")]
    names = sorted((n for n in styled.nodes if not n.focus), key=lambda n: -n.size)
    alt = (f"A network map of {len(styled.nodes)} entities and {len(styled.edges)} links: "
           + ", ".join(n.name for n in names[:12]) + (" and others" if len(names) > 12 else "")
           + ". Every body on it is in the tables above.")
    legend = "".join(f'<li><span class="swatch" data-colour="{_e(entry.colour)}">'
                     f"{_swatch(entry.colour)}</span>{_e(entry.text)} ({entry.count})</li>"
                     for entry in styled.legend)
    return (f'<p class="table-note">{_e(block.note)}</p>'
            f'<iframe class="map-frame" title="{_e(block.title)}" sandbox="allow-scripts" '
            f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
            f'<figure class="map-print">{network(styled, block.title, alt)}'
            f'<figcaption><ul class="map-legend">{legend}</ul>The interactive map, with every '
            f"name and source, is in this report's HTML file.</figcaption></figure>")


def _swatch(colour: str) -> str:
    return (f'<svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="5" '
            f'fill="{_e(colour)}"/></svg>')


def _blocks(report: Report, blocks, scripts: list[str]) -> str:
    out = []
    for b in blocks:
        if isinstance(b, Text):
            out.append(f'<p class="{_e(b.style)}">{_e(b.text)}</p>')
        elif isinstance(b, Table):
            out.append(_table(b))
        elif isinstance(b, Chart):
            out.append(_chart(b))
        elif isinstance(b, MapBlock):
            out.append(_map(b, report, scripts))
    return "".join(out)


def _figures(report: Report) -> str:
    if not report.figures:
        return ""
    cards = "".join(
        f'<div class="figure" id="fig-{_e(f.id)}"><p class="value">{_e(f.value)}</p>'
        f'<p class="label">{_e(f.label)}</p>'
        + (f'<p class="detail">{_e(f.detail)}</p>' if f.detail else "") + "</div>"
        for f in report.figures)
    return f'<div class="figures">{cards}</div>'


def _sources(report: Report) -> str:
    if not report.sources:
        return ""
    items = []
    for s in report.sources:
        commands = "".join(f"<li><code>{_e(c)}</code></li>" for c in s.commands)
        places = "".join(f"<li>{_e(p)}</li>" for p in s.locations)
        items.append(
            f'<li class="source" id="src-{_e(s.ref)}"><span class="ref">{_e(s.ref)}</span>'
            f"{_e(s.what)}"
            + (f'<p class="label">Check with:</p><ul class="commands">{commands}</ul>'
               if commands else "")
            + (f'<p class="label">From:</p><ul>{places}</ul>' if places else "") + "</li>")
    return ('<section class="sources" id="sources"><h2>Sources</h2><p>Each figure above is '
            "a row of a saved query, or the sum of such rows, and the commands below print "
            "the same rows; each fact is traced to its file and line, or minutes paragraph."
            f'</p><ol>{"".join(items)}</ol></section>')


def render_html(report: Report) -> str:
    """The whole page as one string."""
    css = _css()
    scripts: list[str] = []
    body = []
    for section in report.sections:
        head = (f"<h2>{_e(section.title)}</h2>" if section.id != "headline" else "")
        body.append(f'<section id="{_e(section.id)}">{head}'
                    f'{_blocks(report, section.blocks, scripts)}</section>')
    meta = [f"Figures run to {report.data_to}" if report.data_to else "",
            f"graph built {report.built}" if report.built else "",
            f"report made {report.made}" if report.made else ""]
    summary = "".join(f"<p>{_e(s)}</p>" for s in report.summary)
    caveats = "".join(f"<li>{_e(c)}</li>" for c in report.caveats)
    about = ('<section id="about"><h2>About these figures</h2>'
             f'<ul class="caveats">{caveats}</ul></section>' if caveats else "")
    kicker = "Country report" if report.kind == "country" else "Nation report"
    period = f" · {report.period}" if report.period else ""
    main = "".join([
        f'<header class="masthead"><p class="kicker">htkg · {kicker}</p>'
        f"<h1>{_e(report.subject)}</h1>"
        f'<p class="subtitle">{_e(report.subtitle)}{_e(period)}</p>'
        f'<p class="meta">{_e(" · ".join(m for m in meta if m))}</p></header>\n<main>\n'
        f'<section class="summary" id="summary">{summary}{_figures(report)}</section>\n',
        "\n".join(body), about, _sources(report),
        f"\n</main>\n<footer>Made with htkg {_e(_version())} from the knowledge graph of the UK "
        f"bodies that fight human trafficking. Every figure and fact is traced in "
        f'<a href="#sources">Sources</a>.</footer>\n'])
    csp = content_security_policy(css, scripts)
    return ('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
            f'<meta name="generator" content="htkg {_e(_version())}">\n'
            '<link rel="icon" href="data:,">\n'
            f"<title>{_e(report.title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
            f"{main}</body>\n</html>\n")
