"""The default build (`htkg build` with no paths) against a bare read of the tables it loads.

What a new user runs first: the bundled registry, the reference data (the official
geography) and every bundled NRM table (data/figures, data/reference), xz-compressed.
Measured, each as the median of several runs:

* bare read: Python's ``lzma`` and ``csv`` modules decompressing and iterating every
  row of the same bundled tables, in this process (page cache warm);
* ``htkg build --db <new folder>`` end to end in a fresh process, as a user runs it
  (summary, sample query and overview map included), and the same with ``--no-map``;

and the build as a multiple of the bare read (target: no worse than 6.6x, the figure
of the shared tables before they were bundled: 11.2 s against 1.7 s).

    .venv/bin/python bench/bench_default_build.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import csv
import json
import lzma
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = [ROOT / "data" / "figures", ROOT / "data" / "reference"]
TARGET = 6.6


def bundled_tables() -> list[Path]:
    """Every compressed file the default build loads: the CSV tables and GOV.UK's JSON."""
    return sorted(p for folder in BUNDLED for p in folder.rglob("*.xz"))


def bare_read(files: list[Path]) -> tuple[float, int]:
    """Wall seconds to decompress and read every row with the csv module, and the rows."""
    rows = 0
    t = time.perf_counter()
    for path in files:
        with lzma.open(path, "rt", encoding="utf-8", newline="") as fh:
            if path.name.endswith(".json.xz"):
                rows += len(json.load(fh))        # GOV.UK's organisations: one per record
                continue
            for _ in csv.reader(fh):
                rows += 1
    return time.perf_counter() - t, rows


def build(args: list[str]) -> tuple[float, str]:
    """Wall seconds of ``htkg build ARGS`` in a fresh process, and what it printed."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "htkg.cli", "build", *args],
                          capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t
    if done.returncode:
        raise SystemExit(f"htkg build {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = bundled_tables()
    size = sum(p.stat().st_size for p in files)
    bare_read(files)                              # warm the page cache
    reads = [bare_read(files) for _ in range(max(args.repeat, 3))]
    bare = statistics.median(r[0] for r in reads)
    rows = reads[0][1]
    full, no_map = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            seconds, out = build(["--db", f"{tmp}/store", "--map", f"{tmp}/overview.html"])
            full.append(seconds)
            seconds, _ = build(["--db", f"{tmp}/store-{i}", "--no-map"])
            no_map.append(seconds)
    written = next((line for line in out.splitlines() if line.startswith("wrote ")), "")
    quarters = next((line for line in out.splitlines()
                     if line.startswith("NRM figures' quarters")), "")
    median_full, median_no_map = statistics.median(full), statistics.median(no_map)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"bundled tables: {len(files)} files, {size / 2**20:.1f} MiB compressed, "
          f"{rows:,} CSV rows and JSON records; {cores} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"  {written}")
    print(f"  {quarters}")
    print(f"bare read (lzma + csv), median of {len(reads)}:   {bare:6.2f} s  "
          f"(runs: {', '.join(f'{r[0]:.2f}' for r in reads)})")
    print(f"htkg build, default, median of {len(full)}:       {median_full:6.2f} s  "
          f"= {median_full / bare:.1f}x the bare read (target {TARGET}x; "
          f"runs: {', '.join(f'{s:.1f}' for s in full)})")
    print(f"htkg build --no-map, median of {len(no_map)}:       {median_no_map:6.2f} s  "
          f"= {median_no_map / bare:.1f}x (runs: {', '.join(f'{s:.1f}' for s in no_map)})")
    verdict = "within" if median_full / bare <= TARGET else "over"
    print(f"result: {verdict} the {TARGET}x target; default build "
          f"{'under' if median_full < 30 else 'over'} 30 s")


if __name__ == "__main__":
    main()
