"""Build every shared NRM table into the embedded store, beside a bare csv read of the same files.

Measured in one run, on the files the NRM loader reads under ../shared/data/nrm
and ../shared/data/nrm-archive (2022 Q2 to 2023 Q4 referral tables, Duty to
Notify tables, the longitudinal table; about 350,000 rows):

* bare read: Python's csv module iterating every row of those files (median);
* in one fresh process: the registry alone into the in-memory graph (baseline
  of fixed cost), then the registry plus every NRM table into the in-memory
  graph (``htkg.load``, median, before any JVM runs, as in ``htkg build``),
  then the write into a new embedded store (``write_store``): first with a
  cold JVM, then warm (median); the write split into nodes and relationships;
* peak memory: the measuring process's peak RSS (JVM included, from wait4)
  and the Python heap's peak while loading (tracemalloc, in a separate
  process because tracing slows the load);
* ``htkg build <both folders>`` end to end in a fresh process (wall, peak RSS).

    .venv/bin/python bench/bench_nrm.py [--repeat 3] [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"


def nrm_files(data: Path) -> list[Path]:
    """The files of the two folders that the NRM loader reads."""
    from htkg.loaders import nrm
    files = []
    for folder in ("nrm", "nrm-archive"):
        for path in sorted((data / folder).glob("*")):
            with open(path, "rb") as fh:
                head = fh.read(4096).decode("utf-8", "replace")
            if nrm.recognises(path, head):
                files.append(path)
    return files


def bare_read(files: list[Path]) -> tuple[float, float, int]:
    """Wall and CPU seconds to read every row with the csv module, and the rows."""
    rows = 0
    t, c = time.perf_counter(), time.process_time()
    for path in files:
        with open(path, newline="", encoding="utf-8") as fh:
            for _ in csv.reader(fh):
                rows += 1
    return time.perf_counter() - t, time.process_time() - c, rows


def run_child_rss(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB of this child alone (from os.wait4), and stdout."""
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{' '.join(map(str, args[:5]))}... failed:\n{err.read()[-3000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read()


# -- measurements made inside a child process -------------------------------------------
def child_inprocess(paths: list[str], repeat: int) -> None:
    import htkg
    from htkg.graph.writers import write_store

    def build_graph(paths):
        result = htkg.load(paths)
        return result.graph, result

    out: dict = {}
    t = time.perf_counter()
    build_graph([])
    out["registry_first"] = time.perf_counter() - t
    t = time.perf_counter()
    build_graph([])
    out["registry"] = time.perf_counter() - t

    def load():
        t, c = time.perf_counter(), time.process_time()
        kg, report = build_graph(paths)
        cpu.append(time.process_time() - c)
        return time.perf_counter() - t, kg, report

    def write(kg, db):
        marks = []
        t = time.perf_counter()
        stats, _ = write_store(kg, db, progress=lambda stage, *_: marks.append(
            (stage, time.perf_counter())))
        end = time.perf_counter()
        nodes_done = max((m for s, m in marks if "nodes" in s), default=t)
        return end - t, end - nodes_done, stats

    # Loads first, as `htkg build` does, before any JVM runs in this process.
    loads, cpu = [], []
    for _ in range(repeat):
        seconds, kg, report = load()
        loads.append(seconds)
    out["load"] = statistics.median(loads)
    out["load_cpu"] = statistics.median(cpu)
    out["rows"] = sum(f.rows for f in report.files if f.loader == "nrm")
    out["counts"] = kg.counts()
    with tempfile.TemporaryDirectory() as tmp:
        out["write_cold"], out["write_cold_rels"], stats = write(kg, f"{tmp}/cold")
        out["written"] = [stats.nodes, stats.relationships]
        writes, rels = [], []
        for i in range(repeat):
            w, r, _ = write(kg, f"{tmp}/warm{i}")
            writes.append(w)
            rels.append(r)
        out["write_warm"] = statistics.median(writes)
        out["write_warm_rels"] = statistics.median(rels)
    print(json.dumps(out))


def child_memory(paths: list[str]) -> None:
    import tracemalloc
    import htkg
    htkg.load([])  # imports and caches first: the peak below is the load's own
    tracemalloc.start()
    htkg.load(paths)
    print(json.dumps({"python_peak": tracemalloc.get_traced_memory()[1]}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--child", choices=["inprocess", "memory"], help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "inprocess":
        return child_inprocess(args.paths, args.repeat)
    if args.child == "memory":
        return child_memory(args.paths)

    files = nrm_files(args.data)
    if not files:
        raise SystemExit(f"no NRM tables under {args.data}/nrm and nrm-archive")
    folders = [str(args.data / "nrm"), str(args.data / "nrm-archive")]
    py = sys.executable
    me = str(Path(__file__).resolve())

    bare_read(files)  # warm the page cache
    reads = [bare_read(files) for _ in range(max(args.repeat, 3))]
    bare = statistics.median(r[0] for r in reads)
    bare_cpu = statistics.median(r[1] for r in reads)
    csv_rows = reads[0][2]

    _, peak_rss, out = run_child_rss([py, me, "--child", "inprocess", "--repeat",
                                      str(args.repeat), *folders])
    m = json.loads(out)
    _, _, out = run_child_rss([py, me, "--child", "memory", *folders])
    python_peak = json.loads(out)["python_peak"] / 2**20
    with tempfile.TemporaryDirectory() as tmp:
        e2e, e2e_rss, _ = run_child_rss([py, "-m", "htkg.cli", "build", *folders,
                                         "--db", f"{tmp}/store"])

    load, warm, cold = m["load"], m["write_warm"], m["write_cold"]
    labels, types = m["counts"]
    print(f"files: {len(files)} NRM tables, {csv_rows} CSV rows ({m['rows']} data rows loaded); "
          f"graph: {sum(labels.values())} nodes, {sum(types.values())} relationships "
          f"({types.get('REFERRED', 0)} REFERRED)")
    print(f"bare csv read of the same files:          {bare:6.2f} s  (CPU {bare_cpu:.2f} s)")
    print(f"registry alone, in memory (fixed cost):   {m['registry']:6.2f} s")
    print(f"registry + NRM tables, in memory:         {load:6.2f} s  ({load / bare:.1f}x bare read; "
          f"NRM loading alone {load - m['registry']:.2f} s, {(load - m['registry']) / bare:.1f}x; "
          f"CPU {m['load_cpu']:.2f} s = {m['load_cpu'] / bare_cpu:.1f}x the read's CPU)")
    print(f"write to a new embedded store, warm JVM:  {warm:6.2f} s  (relationships "
          f"{m['write_warm_rels']:.2f} s)")
    print(f"write to a new embedded store, cold JVM:  {cold:6.2f} s  (relationships "
          f"{m['write_cold_rels']:.2f} s)")
    print(f"build into the store (load + warm write): {load + warm:6.2f} s  "
          f"= {(load + warm) / bare:.1f}x the bare read (target 10x)")
    print(f"same with JVM start-up (load + cold write): {load + cold:5.2f} s  "
          f"= {(load + cold) / bare:.1f}x")
    print(f"htkg build, end to end (fresh process):   {e2e:6.2f} s  "
          f"= {e2e / bare:.1f}x; peak RSS {e2e_rss:.0f} MiB")
    print(f"peak memory: measuring process RSS {peak_rss:.0f} MiB (JVM heap included); "
          f"Python heap while loading {python_peak:.0f} MiB (tracemalloc)")


if __name__ == "__main__":
    main()
