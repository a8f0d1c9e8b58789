"""Maps for a briefing (issue 18 item 6), checked as the official pasting one would check them.

- ``--top N`` draws exactly N links and says how many more there are, in the
  page's legend and in the PNG;
- no two names overlap in the PNG at its default size, measured from the text
  matplotlib drew (not from the placement code's own sums), on Vietnam's map
  of the real NRM tables and on a dense fixture; none covers another circle,
  and nothing leaves the canvas;
- in real headless Chromium each map fits the window on opening: every node
  and every name inside the map's canvas, no two names overlapping, no console
  error, no request leaving the page;
- PNG and page agree on node sizes: a larger figure is a larger circle in both;
- headers and legends use no internal words;
- the default overview is a summary by kind whose figures reconcile with the store.
"""
from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.yamlfile import read_yaml

TESTS = Path(__file__).resolve().parent
REGISTRY = TESTS.parent / "data" / "registry"
# Words of the code, not of the reader: nodes, values, parameters, relationship types.
INTERNAL = [r"\bnodes?\b", r"\bvalues\b", r"\bquery returns\b", r"\bparameters?\b",
            r"\b[A-Z]{2,}(?:_[A-Z]+)+\b", r"\bREFERRED\b", r"\bNone\b", r"\bnull\b"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def page_data(path: Path) -> dict:
    import json
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="htkg-data">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def header_text(path: Path) -> str:
    """What the page says above and beside the map: title, dates, notes, legends."""
    text = path.read_text(encoding="utf-8")
    parts = [re.search(r"<header.*?</header>", text, re.S).group(0)]
    parts += re.findall(r'<section id="(?:legend|edge-legend)".*?</section>', text, re.S)
    sources = re.compile(r'<details id="sources">.*?</details>', re.S)  # file names, as written
    return re.sub(r"<[^>]+>", " ", sources.sub(" ", " ".join(parts)))


# -- stores and maps ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def nrm_store(tmp_path_factory) -> str:
    """The real graph as it ships: the registry with the bundled NRM tables (and so
    never skipped for want of ../shared)."""
    import htkg
    db = tmp_path_factory.mktemp("briefing-store")
    htkg.build([], str(db))
    return str(db)


@pytest.fixture(scope="session")
def vietnam(nrm_store):
    """Vietnam's map as read from the store (every link), once."""
    from htkg.graph.store import open_store
    from htkg.maps.subgraph import read_map
    with open_store(nrm_store) as store:
        return read_map(store, focus="Vietnam")


def dense_fixture(seed: int = 3):
    """A dense map of real names: three countries, each referred to by some forty
    police forces and other bodies (long names, heavy-tailed figures), and a web
    of links among the bodies."""
    from htkg.maps.subgraph import MapGraph, _add_node, add_edge_rows
    rng = random.Random(seed)
    # Entries that extend a GOV.UK body carry no name of their own: leave them out.
    bodies = [e for f in ("police_forces.yaml", "organisations.yaml")
              for e in read_yaml(REGISTRY / f) or [] if isinstance(e, dict) and "name" in e]
    bodies = sorted(bodies, key=lambda e: e["id"])[:130]
    import networkx as nx
    g = nx.MultiDiGraph()
    for e in bodies:
        _add_node(g, e["id"], "Organisation", {"name": e["name"], "kind": e.get("kind"),
                                               "aliases": e.get("aliases") or []})
    countries = {"country-vn": "Vietnam", "country-al": "Albania", "country-er": "Eritrea"}
    for cid, name in countries.items():
        _add_node(g, cid, "Country", {"name": name})
        for e in rng.sample(bodies, 42):
            add_edge_rows(g, e["id"], cid, "REFERRED",
                          [{"people": int(rng.paretovariate(1.2) * 3)} for _ in range(2)])
    for _ in range(60):
        a, b = rng.sample(bodies, 2)
        add_edge_rows(g, a["id"], b["id"], "WORKS_WITH", [{}])
    return MapGraph(g=g, title="A dense fixture")


def drawn(mg):
    """The PNG's drawing of a map, rendered (so every extent is final)."""
    from htkg.maps.png import draw
    from htkg.maps.style import style_map
    sm = style_map(mg)
    drawing = draw(sm)
    drawing.figure.canvas.draw()
    return sm, drawing


def check_png_names(drawing) -> None:
    """No two names overlap, none covers another node's circle or any other text,
    and every name and circle is inside the picture, as matplotlib drew them."""
    from matplotlib.text import Text
    from htkg.maps.labels import overlapping
    fig = drawing.figure
    renderer = fig.canvas.get_renderer()
    names = [t.get_window_extent(renderer) for t in drawing.names]
    boxes = [(b.x0, b.y0, b.x1, b.y1) for b in names]
    assert overlapping(boxes) == [], [(drawing.names[i].get_text(), drawing.names[j].get_text())
                                      for i, j in overlapping(boxes)]
    W, H = fig.bbox.width, fig.bbox.height
    for t, (x0, y0, x1, y1) in zip(drawing.names, boxes):
        assert 0 <= x0 and x1 <= W and 0 <= y0 and y1 <= H, t.get_text()
    for node, (x, y, r) in drawing.circles.items():
        assert 0 <= x - r and x + r <= W and 0 <= y - r and y + r <= H, node
    others = [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()
              and t not in drawing.names]
    other_boxes = [t.get_window_extent(renderer) for t in others]
    for t, b, mine in zip(drawing.names, names, drawing.named):
        for o, ob in zip(others, other_boxes):
            assert not b.overlaps(ob), (t.get_text(), o.get_text())
        if not drawing.labels[mine].clear:
            continue        # one of the few most important names, over a dense cluster
        for node, (x, y, r) in drawing.circles.items():
            if node != mine:
                nx_, ny_ = min(max(x, b.x0), b.x1), min(max(y, b.y0), b.y1)
                assert (nx_ - x) ** 2 + (ny_ - y) ** 2 >= (r - 1.5) ** 2, (t.get_text(), node)


# -- --top -----------------------------------------------------------------------------------
def test_top_draws_exactly_n_links_and_says_how_many_more(nrm_store, vietnam, tmp_path):
    full = run("map", "--db", nrm_store, "--focus", "Vietnam", "-o", tmp_path / "all.html")
    assert full.exit_code == 0, full.output
    total = len(page_data(tmp_path / "all.html")["edges"])
    assert total > 40
    out = tmp_path / "top.html"
    result = run("map", "--db", nrm_store, "--focus", "Vietnam", "--top", 10, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"10 relationships (and {total - 10} more not drawn)" in result.output
    data = page_data(out)
    assert len(data["edges"]) == 10
    legend = header_text(out)
    assert f"The 10 strongest links of {total}, by people referred, and {total - 10} more " \
           f"not drawn." in legend
    # Each kind says how many of it the left-out links reached: forces first of all.
    forces = re.search(r"Police force\s+(\d+)\s+and (\d+) more", legend)
    assert forces and int(forces.group(1)) + int(forces.group(2)) == 45
    # The same in the PNG, whose legend is drawn text.
    from htkg.maps.strongest import strongest
    _, drawing = drawn(strongest(vietnam, 10))
    texts = " ".join(t.get_text() for t in drawing.figure.findobj(
        lambda a: hasattr(a, "get_text")) if t.get_text())
    assert f"and {total - 10} more not drawn" in texts
    assert re.search(r"Police force \(\d+\), and \d+ more", texts)
    png = tmp_path / "top.png"
    assert run("map", "--db", nrm_store, "--focus", "Vietnam", "--top", 10, "-o", png
               ).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_top_keeps_the_strongest_and_the_whole_figures(vietnam):
    from htkg.maps.strongest import strongest
    from htkg.maps.style import style_map
    cut = strongest(vietnam, 10)
    kept = {(a, b, k) for a, b, k in cut.g.edges(keys=True)}
    people = {(a, b, k): d["people"] or 0 for a, b, k, d in vietnam.g.edges(keys=True, data=True)}
    assert min(people[e] for e in kept) >= max(p for e, p in people.items() if e not in kept)
    assert cut.cut.more == vietnam.g.number_of_edges() - 10
    # Vietnam's circle still counts everyone referred from it, not only along the 10 links.
    info = dict(next(n for n in style_map(cut).nodes if n.id == "country-vn").info)
    whole = dict(next(n for n in style_map(vietnam).nodes if n.id == "country-vn").info)
    assert info["people referred"] == whole["people referred"]


def test_top_without_referrals_ranks_by_relationships(registry_store, tmp_path):
    out = tmp_path / "ho.html"
    result = run("map", "--db", registry_store, "--focus", "Home Office", "--top", 3, "-o", out)
    assert result.exit_code == 0, result.output
    assert len(page_data(out)["edges"]) == 3
    assert "by number of relationships, and" in header_text(out)


def test_top_usage_errors(registry_store, tmp_path):
    result = run("map", "--db", registry_store, "--top", 0)
    assert result.exit_code == 2 and "--top" in result.output
    result = run("map", "--db", registry_store, "--top", 3, "--all")
    assert result.exit_code == 2 and "give --top N or --all, not both" in result.output


# -- names in the PNG ----------------------------------------------------------------------
def test_png_names_never_overlap_on_vietnam(vietnam):
    from htkg.maps.strongest import strongest
    sm, drawing = drawn(vietnam)
    check_png_names(drawing)
    assert len(drawing.names) >= 0.8 * len(sm.nodes)   # nearly every name is written
    assert "Police Scotland" in [t.get_text() for t in drawing.names]
    _, drawing = drawn(strongest(vietnam, 10))
    check_png_names(drawing)
    assert len(drawing.names) == 11 and drawing.left_out == 0


def test_png_names_never_overlap_on_a_dense_fixture():
    sm, drawing = drawn(dense_fixture())
    assert len(sm.nodes) > 120
    check_png_names(drawing)
    assert len(drawing.names) >= 40
    # The caption says how many names are not written.
    caption = [t.get_text() for t in drawing.figure.texts if "not written" in t.get_text()]
    if drawing.left_out:
        assert caption and f"{drawing.left_out} names not written" in caption[0]


def test_png_names_are_deterministic():
    a = drawn(dense_fixture())[1].labels
    b = drawn(dense_fixture())[1].labels
    assert a == b


# -- node sizes ------------------------------------------------------------------------------
def test_png_and_html_sizes_agree_in_order(vietnam, tmp_path):
    """A larger figure is a larger circle in both renderers (Police Scotland, 153
    people, was drawn smaller than forces with far fewer in the PNG)."""
    from htkg.maps import render
    from htkg.maps.html import page_data as data_of
    sm, drawing = drawn(vietnam)
    page = {n["id"]: n for n in data_of(sm)["nodes"]}
    (tmp_path / "v.html").write_bytes(render(vietnam))
    assert {n["id"]: n["size"] for n in page_data(tmp_path / "v.html")["nodes"]} == \
        {i: n["size"] for i, n in page.items()}

    def people(n):
        return int(dict(n["info"]).get("people referred", "0").replace(",", ""))
    figure = {i: people(n) for i, n in page.items()}
    png = {i: drawing.circles[i][2] for i in page}
    for a in page:
        for b in page:
            if figure[a] > figure[b]:
                assert page[a]["size"] > page[b]["size"], (a, b)
                assert png[a] > png[b], (a, b, png[a], png[b])
    scotland = "police-scotland"
    assert figure[scotland] == 153
    forces = [i for i, n in page.items() if n["cat"] == "police_force" and i != scotland]
    assert all(png[scotland] > png[i] for i in forces if figure[i] < 153)


# -- headers -------------------------------------------------------------------------------
def _internal(text: str) -> list[str]:
    return [m.group(0) for p in INTERNAL for m in re.finditer(p, text)]


@pytest.mark.parametrize("args", [
    (),
    ("--all",),
    ("--focus", "Royal Mail", "--depth", "2"),
    ("--focus", "Home Office", "--kind", "regulator"),
    ("--focus", "Home Office", "--top", "3"),
    ("--query", "connection", "-p", "from=Royal Mail", "-p", "to=Ofcom"),
    ("--query", "country-links", "-p", "country=Vietnam", "--kind", "ngo"),
    ("--kind", "police_force", "--label", "Sector"),
], ids=["overview", "all", "focus", "focus-filtered", "top", "query-values", "query-filtered",
        "filters"])
def test_headers_speak_to_the_reader(registry_store, tmp_path, args):
    out = tmp_path / "m.html"
    result = run("map", "--db", registry_store, *args, "-o", out)
    assert result.exit_code == 0, result.output
    text = header_text(out)
    assert _internal(text) == [], text
    png = tmp_path / "m.png"
    assert run("map", "--db", registry_store, *args, "-o", png).exit_code == 0


def test_png_header_speaks_to_the_reader(vietnam):
    from htkg.maps.strongest import strongest
    _, drawing = drawn(strongest(vietnam, 10))
    words = " ".join(t.get_text() for t in drawing.figure.texts)
    assert _internal(words) == [], words
    legend = " ".join(t.get_text() for lg in drawing.figure.legends for t in lg.get_texts())
    assert "Referred people from" in legend and _internal(legend) == []


# -- the overview ------------------------------------------------------------------------------
def test_overview_is_a_summary_by_kind_that_reconciles(nrm_store, tmp_path):
    from htkg.graph.store import open_store
    from htkg.maps import write_map
    with open_store(nrm_store) as store:
        started = time.perf_counter()
        result = write_map(store, tmp_path / "overview.html")
        seconds = time.perf_counter() - started
        people = store.read("MATCH ()-[r:REFERRED]->() RETURN sum(r.people) AS n").rows[0]["n"]
        forces = store.read("MATCH (o:Organisation {kind: 'police_force'}) RETURN count(o) AS n"
                            ).rows[0]["n"]
    assert result.summary and result.title == "Overview of the graph, by kind"
    assert seconds < 20, seconds   # generous for a busy machine: about 2 s when quiet
    data = page_data(result.path)
    assert len(data["nodes"]) == result.nodes < 30
    drawn_people = sum(int(dict(e["info"])["people referred"].replace(",", ""))
                       for e in data["edges"] if e["type"] == "REFERRED")
    assert drawn_people == people
    text = header_text(result.path)
    assert "htkg map --all" in text and "--top 10" in text
    assert re.search(rf"Police force\s+{forces}\b", text)
    # Searching a body's name finds its kind.
    police = next(n for n in data["nodes"] if n["cat"] == "police_force")
    assert "Police Scotland" in police["names"]


def test_build_overview_is_the_summary(tmp_path):
    result = run("build", "--db", tmp_path / "s", "--map", tmp_path / "o.html")
    assert result.exit_code == 0, result.output
    assert "Overview map (by kind:" in result.output and "htkg map --all" in result.output
    assert len(page_data(tmp_path / "o.html")["nodes"]) < 30


# -- in real headless Chromium ---------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    sys.path.insert(0, str(TESTS))
    from browser import browser_or_skip
    b = browser_or_skip(width=1400, height=900)
    yield b
    b.quit()


@pytest.fixture(scope="module")
def pages(vietnam, registry_store, tmp_path_factory) -> dict[str, Path]:
    from htkg.maps import render, write_map
    out = tmp_path_factory.mktemp("briefing-pages")
    made = {}
    for name, mg, top in (("vietnam", vietnam, None), ("vietnam-top10", vietnam, 10),
                          ("dense", dense_fixture(), None)):
        made[name] = out / f"{name}.html"
        made[name].write_bytes(render(mg, top=top))
    made["overview"] = write_map(registry_store, out / "overview.html").path
    return made


def _check_fits(browser, path: Path) -> None:
    browser.open(path)
    assert browser.console_errors() == []
    assert browser.requests() == [path.resolve().as_uri()]
    canvas = browser.js("var c = document.querySelector('#network canvas');"
                        "return {w: c.clientWidth, h: c.clientHeight}")
    nodes = browser.js("var n = htkgMap.network, s = n.getScale(), out = [];"
                       "htkgMap.nodes.get().forEach(function (d) {"
                       "  var p = n.canvasToDOM(n.getPosition(d.id));"
                       "  out.push({id: d.id, x: p.x, y: p.y, r: d.size * s}); });"
                       "return out")
    assert nodes
    for n in nodes:
        assert n["r"] <= n["x"] <= canvas["w"] - n["r"], n
        assert n["r"] <= n["y"] <= canvas["h"] - n["r"], n
    boxes = browser.js("return htkgMap.nameBoxes()")
    from htkg.maps.labels import overlapping
    found = overlapping([(b["x0"], b["y0"], b["x1"], b["y1"]) for b in boxes])
    assert found == [], [(boxes[i]["text"], boxes[j]["text"]) for i, j in found]
    for b in boxes:
        assert 0 <= b["x0"] and b["x1"] <= canvas["w"] and 0 <= b["y0"] and \
            b["y1"] <= canvas["h"], b
    assert browser.console_errors() == []
    assert all(u.startswith("file://") for u in browser.requests())


@pytest.mark.parametrize("name", ["vietnam", "vietnam-top10", "dense", "overview"])
def test_map_fits_the_window_on_open(browser, pages, name):
    _check_fits(browser, pages[name])
    names = browser.js("return htkgMap.nameBoxes().length")
    assert names >= {"vietnam-top10": 11, "overview": 10}.get(name, 30)


def test_map_fits_a_small_window_and_refits_on_resize(browser, pages):
    size = browser.driver.get_window_size()
    try:
        browser.driver.set_window_size(900, 640)
        _check_fits(browser, pages["vietnam-top10"])
        browser.driver.set_window_size(1300, 900)
        time.sleep(0.4)
        browser.wait_for("return htkgMap.state.fitted", 5)
        boxes = browser.js("return htkgMap.nameBoxes()")
        width = browser.js("return document.querySelector('#network canvas').clientWidth")
        assert width > 900 and all(b["x1"] <= width for b in boxes)
    finally:
        browser.driver.set_window_size(size["width"], size["height"])
