"""Scale benchmark: synthetic inputs from 10 thousand to 1 million relationships.

For each size it generates inputs in the real formats (bench/generate.py),
then measures, each stage in a fresh process:

* parse: Python's csv module and the YAML parser merely reading the same
  files (the baseline, measured in the same run);
* build: ``htkg build DIR --db STORE --no-map`` into the embedded store;
* queries: every saved query's examples, warm (median and worst of N runs
  with the store open) and the first run of each;
* map: ``htkg map --focus Nigeria`` (a focused map of the built graph).

It prints time and peak memory (resident set size of the process, the
in-process Java heap included) per stage, the build / parse ratio, and the
growth from one size to the next.

    .venv/bin/python bench/bench_scale.py --sizes 10000 100000 1000000

Targets (issue 8): 1M relationships built in under 3 min with peak memory
under 3 GB; every saved query under 200 ms warm; build at most 5x parse.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Each measured process starts its own engine, as these figures always have: the
# shared server (docs/server.md) is measured by bench_fast.py.
os.environ["HTKG_SERVER"] = "off"

BENCH = Path(__file__).resolve().parent
PARSE = """
import csv, sys
from pathlib import Path
from ruamel.yaml import YAML
rows = 0
for p in sorted(Path(sys.argv[1]).iterdir()):
    if p.suffix == ".csv":
        with p.open(newline="", encoding="utf-8") as f:
            rows += sum(1 for _ in csv.reader(f))
    elif p.suffix == ".yaml":
        YAML(typ="rt").load(p.read_text(encoding="utf-8"))
    else:
        p.read_text(encoding="utf-8").splitlines()
print(rows)
"""
QUERIES = """
import json, sys
sys.path.insert(0, sys.argv[2])
from bench_queries import warm
print(json.dumps(warm(sys.argv[1], int(sys.argv[3]))))
"""


def measured(cmd: list[str]) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MiB, stdout)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def poll() -> None:  # the high-water mark of the process's resident set (Linux)
        status = Path(f"/proc/{proc.pid}/status")
        while proc.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]) * 1024)
            except (OSError, ValueError):
                pass
            time.sleep(0.05)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t
    watcher.join()
    if proc.returncode:
        sys.exit(f"bench_scale: {' '.join(cmd[:4])}... failed:\n{err[-2000:]}")
    return seconds, peak[0] / 2**20, out


def one_size(size: int, work: Path, warm_runs: int) -> dict:
    sys.path.insert(0, str(BENCH))
    from generate import generate
    data, db = work / f"in-{size}", work / f"store-{size}"
    info = generate(data, size)
    py = sys.executable
    parse_s, parse_mb, _ = measured([py, "-c", PARSE, str(data)])
    build_s, build_mb, _ = measured([py, "-m", "htkg.cli", "build", str(data), "--db", str(db),
                                     "--no-map"])
    q_s, q_mb, out = measured([py, "-c", QUERIES, str(db), str(BENCH), str(warm_runs)])
    queries = json.loads(out)
    map_s, map_mb, _ = measured([str(Path(py).with_name("htkg")), "map", "--focus", "Nigeria",
                                 "--db", str(db), "-o", str(work / f"map-{size}.html")])
    worst = max(queries, key=lambda q: q["worst_ms"])
    slowest = max(queries, key=lambda q: q["median_ms"])
    return {"size": size, "referred": info["referred"], "parse_s": parse_s, "build_s": build_s,
            "build_mb": build_mb, "ratio": build_s / parse_s,
            "median_ms": slowest["median_ms"], "median_query": slowest["query"],
            "worst_ms": worst["worst_ms"], "worst_query": worst["query"],
            "first_ms": max(q["first_ms"] for q in queries), "queries_mb": q_mb,
            "over": sum(q["median_ms"] > 200 for q in queries), "cases": len(queries),
            "map_s": map_s, "map_mb": map_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--warm", type=int, default=5, help="timed warm runs per query")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print("| relationships | parse s | build s | build/parse | build peak MiB | slowest query "
              "median ms | worst warm ms | cases over 200 ms | map s | growth of build |")
        print("|---:|---:|---:|---:|---:|---|---|---:|---:|---:|")
        last = None
        for size in args.sizes:
            r = one_size(size, work, args.warm)
            growth = f"{r['build_s'] / last['build_s']:.1f}x for {size / last['size']:.0f}x" \
                if last else ""
            print(f"| {r['referred']:,} | {r['parse_s']:.1f} | {r['build_s']:.1f} | "
                  f"{r['ratio']:.1f} | {r['build_mb']:.0f} | {r['median_ms']:.0f} "
                  f"({r['median_query']}) | {r['worst_ms']:.0f} ({r['worst_query']}) | "
                  f"{r['over']} of {r['cases']} | {r['map_s']:.1f} | {growth} |", flush=True)
            last = r


if __name__ == "__main__":
    main()
