"""Export time and file size per format, for the graph built from all shared NRM files.

The graph is built from ../shared/data/nrm and ../shared/data/nrm-archive
with the bundled registry (the registry alone when the shared data or the
NRM loader is absent, and the report says so), written to a temporary
embedded store and read back out of it. Each format is then exported from
that graph (in process, the median of --repeat runs) and compared with two
baselines measured in the same run: reading the graph out of the store, and
``json.dumps`` of its node-link data. Reading the RDF exports back (parse +
records + validation by the in-memory graph) and one end-to-end
``htkg export`` (a fresh process, store start included) are timed too.

    .venv/bin/python bench/bench_export.py [--repeat 3] [--shacl]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Each measured process starts its own engine, as these figures always have: the
# shared server (docs/server.md) is measured by bench_fast.py.
os.environ["HTKG_SERVER"] = "off"

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FORMATS = [("turtle", "graph.ttl"), ("ntriples", "graph.nt"), ("jsonld", "graph.jsonld"),
           ("graphml", "graph.graphml"), ("gexf", "graph.gexf"), ("json", "graph.json"),
           ("neo4j-csv", "neo4j-import")]


def median_time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def mib(n: int) -> str:
    return f"{n / 1048576:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shacl", action="store_true", help="also time SHACL validation of the Turtle")
    args = ap.parse_args()

    import htkg
    from htkg.loaders import rdf as rdf_graph
    from htkg.exports.export import export_graph
    from htkg.exports.interchange import node_link
    from htkg.exports.read import comparable, read_graph
    from htkg.graph.store import open_store
    from htkg.graph.writers import write_store
    from htkg.loaders import LOADERS

    paths = [SHARED / "nrm", SHARED / "nrm-archive"]
    has_nrm = any(m.NAME == "nrm" for m in LOADERS)
    if has_nrm and all(p.exists() for p in paths):
        source = "bundled registry + all shared NRM files (nrm/ and nrm-archive/)"
    else:
        paths = []
        source = ("bundled registry ONLY: " + ("the NRM loader is absent" if not has_nrm
                                                else "../shared/data is absent"))
    t = time.perf_counter()
    built = htkg.load(paths).graph
    build_s = time.perf_counter() - t
    labels, types = built.counts()
    print(f"graph: {source}")
    print(f"  {built.g.number_of_nodes()} nodes, {built.g.number_of_edges()} relationships "
          f"({', '.join(f'{k} {v}' for k, v in types.items())}); built in memory in {build_s:.1f} s")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = str(tmp / "store")
        t = time.perf_counter()
        write_store(built, db)
        print(f"  written to an embedded store in {time.perf_counter() - t:.1f} s")
        with open_store(db) as store:
            store.read("MATCH (n) RETURN count(n) AS n")      # warm the connection
            read_s, kg = median_time(lambda: read_graph(store), args.repeat)
        assert comparable(kg) == comparable(built), "the store did not give the graph back"
        dumps_s, text = median_time(lambda: json.dumps(node_link(kg), ensure_ascii=False),
                                    args.repeat)
        json_bytes = len(text.encode("utf-8"))
        print(f"baselines: reading the graph out of the store {read_s:.2f} s; "
              f"json.dumps of node-link data {dumps_s:.2f} s, {mib(json_bytes)} MiB\n")

        rows = []
        for fmt, name in FORMATS:
            path = tmp / name
            seconds, result = median_time(lambda: export_graph(kg, fmt, path), args.repeat)
            rows.append((fmt, seconds, size(path), result.triples))
        print("| format | export s | x store read | x json.dumps | size MiB | x node-link size "
              "| triples |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for fmt, seconds, nbytes, triples in rows:
            print(f"| {fmt} | {seconds:.2f} | {seconds / read_s:.2f} | {seconds / dumps_s:.1f} "
                  f"| {mib(nbytes)} | {nbytes / json_bytes:.2f} | {triples or ''} |")

        print("\nreading RDF back (rdflib parse, then records validated by the graph):")
        for fmt, name in FORMATS[:3]:
            path = tmp / name
            t = time.perf_counter()
            g = rdf_graph.parse_file(path)
            parse_s = time.perf_counter() - t
            again = rdf_graph.from_rdflib(g, str(path))
            total = time.perf_counter() - t
            same = comparable(again) == comparable(kg)
            print(f"  {fmt}: parse {parse_s:.1f} s, total {total:.1f} s, "
                  f"round trip {'identical' if same else 'DIFFERS'}")
        if args.shacl:
            from htkg.exports.shacl import validate_graph
            g = rdf_graph.parse_file(tmp / "graph.ttl")
            t = time.perf_counter()
            report = validate_graph(g)
            print(f"  SHACL validation of the Turtle: {time.perf_counter() - t:.1f} s, "
                  f"{'conforms' if report.conforms else f'{len(report.violations)} violations'}")

        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from htkg.cli import main; main()", "export",
                        "-o", str(tmp / "cli.ttl"),
                        "--db", db], check=True, capture_output=True, text=True)
        print(f"\nend to end: `htkg export -o graph.ttl` in a fresh process "
              f"{time.perf_counter() - t:.1f} s (store start-up included)")


if __name__ == "__main__":
    main()
