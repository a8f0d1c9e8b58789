"""Time and peak memory of `htkg build` on the bundled registry, and of one query.

The build is the quick start's: summary, sample query and overview map included.

Each measurement runs in a fresh process (so JVM start-up is counted where a
user would pay it) and is repeated; the baseline, measured in the same run,
is loading the same registry into the in-memory graph without any database.

    .venv/bin/python bench/bench_build.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import resource
import os
import statistics
import subprocess
import sys
import tempfile
import time

# Each measured process starts its own engine, as these figures always have: the
# shared server (docs/server.md) is measured by bench_fast.py.
os.environ["HTKG_SERVER"] = "off"

QUERY = ("MATCH (o:Organisation)-[:REGULATES]->(s:Sector {id: 'sector-agriculture'}) "
         "RETURN o.name AS regulator")
IN_MEMORY = ("import htkg; kg = htkg.load([]).graph; "
             "print(kg.g.number_of_nodes())")
WARM = f"""
import time
from htkg.graph.store import open_store
with open_store(DB) as s:
    s.read({QUERY!r})
    times = []
    for _ in range(20):
        t = time.perf_counter(); s.read({QUERY!r}); times.append(time.perf_counter() - t)
print(sorted(times)[len(times) // 2], max(times))
"""


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS of the child in MiB, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    py = sys.executable
    base, build, cold = [], [], []
    peak_build = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/store"
        for _ in range(args.repeat):
            base.append(timed([py, "-c", IN_MEMORY])[0])
            s, peak, _ = timed([py, "-m", "htkg.cli", "build", "--db", db,
                                "--map", f"{tmp}/overview.html"])
            build.append(s)
            peak_build = max(peak_build, peak)
            cold.append(timed([py, "-m", "htkg.cli", "cypher", QUERY, "--db", db])[0])
        warm_median, warm_max = map(float, timed([py, "-c", WARM.replace("DB", repr(db))])[2].split())
    b, m, c = statistics.median(base), statistics.median(build), statistics.median(cold)
    print(f"in-memory load of the registry (baseline): {b:.2f} s")
    print(f"htkg build, bundled registry:              {m:.2f} s  ({m / b:.1f}x baseline), "
          f"peak RSS of the build process {peak_build:.0f} MiB")
    print(f"one query, cold (fresh process):           {c:.2f} s  ({c / b:.1f}x baseline)")
    print(f"one query, warm: median {warm_median * 1000:.1f} ms, worst {warm_max * 1000:.1f} ms")


if __name__ == "__main__":
    main()
