"""Latency of every saved query on the graph of the registry plus all shared NRM files.

Builds (or, with --reuse, reuses) an embedded store from the bundled registry,
every NRM table in ../shared/data/nrm and nrm-archive, and the seed minutes,
then runs each example of each saved query (the ``// example:`` lines):

* warm: in one process with the store open, after one untimed run, N timed
  runs of ``run_query`` (parameter resolution included); median and worst;
* cold: ``htkg query ...`` in a fresh process, K times (Python, JVM and store
  start-up included); median and worst.

    .venv/bin/python bench/bench_queries.py [--reuse] [-n 30] [--cold 3] [--db DIR]

Target: every query under 100 ms warm. Exit status 1 when one is over and
--check is given.
"""
from __future__ import annotations

import argparse
import json
import shlex
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
SHARED = ROOT.parent / "shared"
TARGET_MS = 100.0


def inputs() -> list[Path]:
    paths = [SHARED / "data" / "nrm", SHARED / "data" / "nrm-archive",
             SHARED / "seeds" / "idmg-minutes-2013-03-11.txt"]
    missing = [p for p in paths if not p.exists()]
    if missing:
        sys.exit(f"bench_queries: {', '.join(map(str, missing))} absent; the shared data must "
                 f"sit beside this checkout")
    return paths


def build(db: Path) -> str:
    import htkg
    t = time.perf_counter()
    report = htkg.build(inputs(), str(db))
    labels, types = report.counts()
    return (f"built {sum(labels.values())} nodes, {sum(types.values())} relationships "
            f"({types.get('REFERRED', 0)} REFERRED) from {len(report.files)} files "
            f"in {time.perf_counter() - t:.1f} s")


def example_params(example: str) -> dict[str, str]:
    """``htkg query NAME -p a=b -p c="d e"`` -> {"a": "b", "c": "d e"}."""
    words = shlex.split(example)
    out = {}
    for i, w in enumerate(words):
        if w in ("-p", "--param") and i + 1 < len(words):
            k, _, v = words[i + 1].partition("=")
            out[k] = v
    return out


def cases(catalogue) -> list[tuple[str, dict[str, str]]]:
    out = []
    for q in catalogue:
        for ex in q.examples:
            params = example_params(ex)
            if (q.name, params) not in out:
                out.append((q.name, params))
    return out


def warm(db: Path, n: int) -> list[dict]:
    from htkg.graph.store import open_store
    from htkg.queries import load_catalogue, run_query
    cat = load_catalogue()
    results = []
    with open_store(str(db)) as store:
        for name, params in cases(cat):
            q = cat.get(name)
            t = time.perf_counter()
            rows = len(run_query(store, q, params).rows)
            first = time.perf_counter() - t
            times = []
            for _ in range(n):
                t = time.perf_counter()
                run_query(store, q, params)
                times.append(time.perf_counter() - t)
            results.append({"query": name, "params": params, "rows": rows,
                            "first_ms": first * 1000,
                            "median_ms": statistics.median(times) * 1000,
                            "worst_ms": max(times) * 1000})
    return results


def cold(db: Path, name: str, params: dict, k: int) -> list[float]:
    # The installed console script, as a user runs it ("python -m htkg.cli" would
    # register the commands of other modules on a second copy of the group).
    htkg = Path(sys.executable).with_name("htkg")
    cmd = [str(htkg), "query", name, "--db", str(db), "--format", "json"]
    for key, value in params.items():
        cmd += ["-p", f"{key}={value}"]
    times = []
    for _ in range(k):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="store directory (default: a temporary one, or "
                                            "/tmp/htkg-bench-queries with --reuse)")
    ap.add_argument("--reuse", action="store_true", help="reuse the store if it was built")
    ap.add_argument("-n", type=int, default=30, help="warm runs per query")
    ap.add_argument("--cold", type=int, default=3, help="fresh-process runs per query (0: none)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 if a query is over 100 ms warm")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or (Path("/tmp/htkg-bench-queries") if args.reuse else Path(tmp) / "store")
        from htkg.graph import embedded
        if args.reuse and embedded.current_generation(db) is not None:
            note = f"reused {db}"
        else:
            note = build(db)
        print(note, file=sys.stderr)
        results = warm(db, args.n)
        for r in results:
            times = cold(db, r["query"], r["params"], args.cold) if args.cold else []
            r["cold_median_s"] = statistics.median(times) if times else None
            r["cold_worst_s"] = max(times) if times else None
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{'query':<24} {'params':<38} {'rows':>5} {'first':>8} {'median':>8} "
              f"{'worst':>8} {'cold med':>9} {'cold max':>9}")
        for r in results:
            params = " ".join(f"{k}={v}" for k, v in r["params"].items())
            cm = f"{r['cold_median_s']:.2f} s" if r["cold_median_s"] is not None else "-"
            cw = f"{r['cold_worst_s']:.2f} s" if r["cold_worst_s"] is not None else "-"
            flag = "" if r["worst_ms"] < TARGET_MS else "  over target"
            print(f"{r['query']:<24} {params[:38]:<38} {r['rows']:>5} {r['first_ms']:>6.1f}ms "
                  f"{r['median_ms']:>6.1f}ms {r['worst_ms']:>6.1f}ms {cm:>9} {cw:>9}{flag}")
        over = [r for r in results if r["median_ms"] >= TARGET_MS]
        print(f"{len(results)} runs of {len({r['query'] for r in results})} queries; "
              f"{'all' if not over else len(results) - len(over)} under {TARGET_MS:.0f} ms "
              f"warm (median)")
    if args.check and any(r["median_ms"] >= TARGET_MS for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
