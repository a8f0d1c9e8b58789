"""Time to generate a 2,000-node map, and to draw it in headless Chromium.

The graph is synthetic but shaped like the real one: countries, sectors,
organisations of every kind, people, meetings; NRM-style REFERRED
relationships from police forces, NGOs and local authorities to countries
with heavy-tailed people counts, plus the registry's kinds of links. It
goes through the same code path as ``htkg map`` from the point where the
store has been read (:func:`htkg.maps.render`).

Baselines measured in the same run, on the same graph:

- networkx's own ``spring_layout`` (exact Fruchterman-Reingold, 50
  iterations): what "positions computed in Python" costs done naively;
- pyvis ``Network.write_html`` (``cdn_resources="in_line"``, no layout,
  physics on): the design card's raw output, and in Chromium the time its
  physics takes to stabilise (capped).

    .venv/bin/python bench/bench_maps.py [--nodes 2000] [--repeat 3] [--no-browser]

Targets: generation under 2 s, first complete drawing under 3 s.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

GEN_TARGET = 2.0
DRAW_TARGET = 3.0
PYVIS_CAP = 60.0


def synthetic(n: int = 2000, seed: int = 1):
    """A MapGraph of ``n`` nodes shaped like the htkg graph (deterministic for a seed)."""
    import networkx as nx

    from htkg.maps.subgraph import MapGraph, _add_node, add_edge_rows
    from htkg.maps.style import KIND_COLOURS

    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    src = "bench/synthetic.yaml:{} (bench)"
    n_countries = min(250, n // 8)
    n_sectors = 15
    n_people = n // 10
    n_meetings = n // 40
    n_orgs = n - n_countries - n_sectors - n_people - n_meetings
    countries = [f"country-{i}" for i in range(n_countries)]
    sectors = [f"sector-{i}" for i in range(n_sectors)]
    kinds = list(KIND_COLOURS)
    weights = [6, 1, 3, 4, 12, 1, 3, 10, 1, 3, 10, 6, 2]  # many forces, NGOs, councils
    for i, c in enumerate(countries):
        _add_node(g, c, "Country", {"name": f"Country {i}", "iso2": "XX", "sources": [src.format(i)]})
    for i, s in enumerate(sectors):
        _add_node(g, s, "Sector", {"name": f"Sector {i}", "sources": [src.format(i)]})
    orgs = []
    for i in range(n_orgs):
        kind = rng.choices(kinds, weights)[0]
        oid = f"org-{i}"
        orgs.append((oid, kind))
        _add_node(g, oid, "Organisation", {"name": f"{kind.replace('_', ' ').title()} {i}",
                                           "kind": kind, "aliases": [f"O{i}"],
                                           "sources": [src.format(1000 + i)]})
    for i in range(n_people):
        _add_node(g, f"person-{i}", "Person", {"name": f"Person {i}", "sources": [src.format(i)]})
    for i in range(n_meetings):
        _add_node(g, f"meeting-{i}", "Meeting", {"name": f"Meeting {i}", "date": "2013-03-11",
                                                 "sources": [src.format(i)]})
    popular = [c for c in countries[: max(10, n_countries // 5)]]
    for oid, kind in orgs:
        if kind in ("police_force", "ngo", "local_authority", "law_enforcement", "department"):
            for c in rng.sample(popular, 3) + rng.sample(countries, 2):
                rows = [{"year": 2023, "quarter": q, "exploitation": rng.choice(
                    ["Labour", "Sexual", "Criminal", "Domestic servitude"]),
                    "nationality": c, "people": int(rng.paretovariate(1.2) * 3),
                    "sources": [src.format(rng.randrange(10**5))]} for q in (1, 2, 3, 4)]
                add_edge_rows(g, oid, c, "REFERRED", rows)
        if rng.random() < 0.5:
            add_edge_rows(g, oid, rng.choice(sectors),
                          "REGULATES" if kind == "regulator" else "OPERATES_IN",
                          [{"sources": [src.format(1)]}])
        if rng.random() < 0.3:
            other = rng.choice(orgs)[0]
            if other != oid:
                add_edge_rows(g, oid, other, "WORKS_WITH", [{"sources": [src.format(2)]}])
        if rng.random() < 0.2 and n_meetings:
            add_edge_rows(g, oid, f"meeting-{rng.randrange(n_meetings)}", "ATTENDED",
                          [{"capacity": "member", "sources": [src.format(3)]}])
    for i in range(n_people):
        add_edge_rows(g, f"person-{i}", rng.choice(orgs)[0], "MEMBER_OF",
                      [{"sources": [src.format(4)]}])
    return MapGraph(g=g, title=f"Synthetic map of {n:,} nodes", built="(synthetic)")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def generate(mg, repeat: int) -> dict:
    from htkg.maps import render
    from htkg.maps.html import render_html
    from htkg.maps.layout import positions
    from htkg.maps.style import style_map
    render(mg)  # warm imports and caches once
    total, layout, html = [], [], []
    for _ in range(repeat):
        t = time.perf_counter()
        data = render(mg)
        total.append(time.perf_counter() - t)
    sizes = {n.id: n.size for n in style_map(mg, pos={}).nodes}
    for _ in range(repeat):
        t = time.perf_counter()
        pos = positions(mg.g, radii=sizes)
        layout.append(time.perf_counter() - t)
        sm = style_map(mg, pos=pos)
        t = time.perf_counter()
        render_html(sm)
        html.append(time.perf_counter() - t)
    return {"total": _median(total), "layout": _median(layout), "html": _median(html),
            "bytes": len(data)}


def baseline_networkx(mg) -> float:
    import networkx as nx
    simple = nx.Graph(mg.g.to_undirected(as_view=True))
    t = time.perf_counter()
    nx.spring_layout(simple, seed=7, method="force")
    return time.perf_counter() - t


def baseline_pyvis(mg, out: Path) -> float:
    from pyvis.network import Network
    t = time.perf_counter()
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    for node, data in mg.g.nodes(data=True):
        net.add_node(node, label=data["props"].get("name", node),
                     title=str(data["props"].get("name", node)))
    for a, b, data in mg.g.edges(data=True):
        net.add_edge(a, b, title=data["type"], value=data.get("people") or 1)
    net.write_html(str(out), notebook=False)
    return time.perf_counter() - t


def browser_times(ours: Path, repeat: int) -> dict:
    """Our map in Chromium: first complete drawing, from navigation start and wall clock."""
    from browser import Browser
    out: dict = {"ours": [], "ours_wall": []}
    with Browser() as b:
        for _ in range(repeat):
            wall = b.open(ours, wait_ready=60)
            timing = b.js("return window.htkgMap.state.timing")
            out["ours"].append(timing["drawn"] / 1000.0)
            out["ours_wall"].append(wall)
            out["errors"] = b.console_errors()
            out["requests"] = b.requests()
    return out


def _pyvis_child(page: Path) -> None:
    """In a child process: open pyvis's page, print seconds until its physics settles."""
    from browser import Browser
    with Browser() as b:
        b.driver.get("about:blank")
        b.driver.execute_cdp_cmd("Page.navigate", {"url": page.resolve().as_uri()})
        while True:
            done = b.js("var bar = document.getElementById('loadingBar');"
                        "return !!(window.network && bar && bar.style.opacity === '0')"
                        " ? performance.now() : 0")
            if done:
                print(done / 1000.0, flush=True)
                return
            time.sleep(0.2)


def pyvis_stabilised(page: Path) -> float | None:
    """Seconds from navigation until pyvis's page hides its 'stabilising' bar, or None.

    pyvis's page computes its layout on the page's main thread (vis-network's
    improvedLayout and 1,000 physics iterations), which can block the
    browser for minutes, so it runs in a child process that is killed (with
    its chromedriver and Chromium) after PYVIS_CAP seconds.
    """
    import os
    import signal
    import subprocess
    proc = subprocess.Popen([sys.executable, __file__, "--pyvis-child", str(page)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=PYVIS_CAP + 15)
        return float(out.strip().splitlines()[-1]) if out.strip() else None
    except (subprocess.TimeoutExpired, ValueError):
        return None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    ap.add_argument("--no-baselines", action="store_true", help="skip networkx and pyvis")
    ap.add_argument("--pyvis-child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.pyvis_child:
        _pyvis_child(args.pyvis_child)
        return

    mg = synthetic(args.nodes)
    print(f"graph: {mg.g.number_of_nodes():,} nodes, {mg.g.number_of_edges():,} drawn "
          f"relationships (synthetic, seed 1)")
    gen = generate(mg, args.repeat)
    ok = "ok" if gen["total"] < GEN_TARGET else "OVER TARGET"
    print(f"generation (layout + style + HTML), median of {args.repeat}: {gen['total']:.2f} s "
          f"[target < {GEN_TARGET:.0f} s: {ok}]")
    print(f"  layout {gen['layout']:.2f} s, HTML (names placed) {gen['html']:.3f} s, "
          f"file {gen['bytes'] / 1e6:.2f} MB")

    with tempfile.TemporaryDirectory(prefix="htkg-bench-maps-") as tmp:
        ours = Path(tmp) / "ours.html"
        from htkg.maps import render
        ours.write_bytes(render(mg))
        pyvis_page = None
        if not args.no_baselines:
            nx_s = baseline_networkx(mg)
            print(f"baseline networkx spring_layout alone: {nx_s:.2f} s "
                  f"(ours, whole generation: {gen['total'] / nx_s:.2f}x of it)")
            pyvis_page = Path(tmp) / "pyvis.html"
            pv = baseline_pyvis(mg, pyvis_page)
            print(f"baseline pyvis write_html (no layout): {pv:.2f} s "
                  f"(ours: {gen['total'] / pv:.2f}x of it)")
        if args.no_browser:
            return
        times = browser_times(ours, args.repeat)
        drawn = _median(times["ours"])
        ok = "ok" if drawn < DRAW_TARGET else "OVER TARGET"
        print(f"Chromium, first complete drawing (from navigation start), median of "
              f"{args.repeat}: {drawn:.2f} s [target < {DRAW_TARGET:.0f} s: {ok}]; "
              f"wall clock including page load: {_median(times['ours_wall']):.2f} s")
        print(f"  console errors: {len(times['errors'])}, requests: {times['requests']}")
        if pyvis_page is not None:
            pv_s = pyvis_stabilised(pyvis_page)
            if pv_s is not None:
                print(f"baseline pyvis page, physics stabilised after {pv_s:.2f} s "
                      f"(ours: {drawn / pv_s:.3f}x of it)")
            else:
                print(f"baseline pyvis page had not stabilised after {PYVIS_CAP + 15:.0f} s "
                      f"(ours: < {drawn / (PYVIS_CAP + 15):.3f}x of it)")


if __name__ == "__main__":
    main()
