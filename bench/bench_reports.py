"""Time to make a country report (Nigeria) on the full real data: warm and cold.

Builds (or, with --reuse, reuses) an embedded store of the registry, every NRM table
and the seed minutes: the tables bundled in data/figures/ when they are there (then
only the minutes are given), else those in ../shared/data/nrm and nrm-archive. Then:

* warm: one process, the store open; after one untimed run, N runs of
  ``country_report`` + ``render_html`` (median, worst; the model and the page apart);
* cold: ``htkg report country Nigeria`` in a new process, K times, and in the same run,
  alternating with it, ``htkg stats`` in a new process: the store's start-up (Python,
  the JVM, the embedded database) with one trivial read. The cold figure is stated
  as "start-up + X s" with X the difference of the medians.

    .venv/bin/python bench/bench_reports.py [--reuse] [-n 10] [--cold 5] [--check]
        [--jvm-args=-XX:TieredStopAtLevel=1]

With --jvm-args, the cold pair is measured again with those JVM options
(``ARCADEDB_JVM_ARGS``), for comparison; the targets are checked on the default.

Targets: under 1 s warm; under 2 s more than the store's start-up cold. --check exits
1 when either is missed.
"""
from __future__ import annotations

import argparse
import os
import resource
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
COUNTRY = "Nigeria"
WARM_TARGET, COLD_TARGET = 1.0, 2.0


def inputs() -> list[Path]:
    """What to build from: the minutes, plus the shared NRM tables unless they are bundled."""
    minutes = SHARED / "seeds" / "idmg-minutes-2013-03-11.txt"
    bundled = any((ROOT / "data" / "figures").rglob("nrm_referrals_*"))
    paths = [minutes] if bundled else [SHARED / "data" / "nrm", SHARED / "data" / "nrm-archive",
                                       minutes]
    missing = [p for p in paths if not p.exists()]
    if missing:
        sys.exit(f"bench_reports: {', '.join(map(str, missing))} absent; the shared data must "
                 f"sit beside this checkout")
    return paths


def build(db: Path) -> str:
    import htkg
    t = time.perf_counter()
    paths = inputs()
    result = htkg.build(paths, str(db))
    labels, types = result.counts()
    return (f"built {sum(labels.values()):,} nodes, {sum(types.values()):,} relationships "
            f"({types.get('REFERRED', 0):,} REFERRED) from {len(result.files)} files in "
            f"{time.perf_counter() - t:.1f} s (given: {', '.join(p.name for p in paths)})")


def warm(db: Path, n: int) -> dict:
    from htkg.graph.store import open_store
    from htkg.reports import country_report, render_html
    model, page, total = [], [], []
    with open_store(str(db)) as store:
        t = time.perf_counter()
        render_html(country_report(store, COUNTRY))
        first = time.perf_counter() - t
        for _ in range(n):
            t0 = time.perf_counter()
            report = country_report(store, COUNTRY)
            t1 = time.perf_counter()
            html = render_html(report)
            t2 = time.perf_counter()
            model.append(t1 - t0)
            page.append(t2 - t1)
            total.append(t2 - t0)
    return {"first": first, "median": statistics.median(total), "worst": max(total),
            "model": statistics.median(model), "page": statistics.median(page),
            "size": len(html.encode("utf-8"))}


def _timed(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, children included) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold(db: Path, k: int, out: Path, jvm_args: str | None = None) -> dict:
    # The installed console script, as a user runs it.
    htkg = str(Path(sys.executable).with_name("htkg"))
    report_cmd = [htkg, "report", "country", COUNTRY, "--db", str(db), "-o", str(out)]
    stats_cmd = [htkg, "stats", "--db", str(db)]
    env = None if jvm_args is None else {**os.environ, "ARCADEDB_JVM_ARGS": jvm_args}
    runs = {"report": [], "stats": []}
    for _ in range(k):   # alternate, so that both see the same load on a shared machine
        runs["stats"].append(_timed(stats_cmd, env))
        runs["report"].append(_timed(report_cmd, env))
    med = {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
           for name, r in runs.items()}
    return {"report": med["report"][0], "stats": med["stats"][0],
            "report_cpu": med["report"][1], "stats_cpu": med["stats"][1],
            "extra": med["report"][0] - med["stats"][0],
            "extra_cpu": med["report"][1] - med["stats"][1]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="store directory (default: a temporary one, or "
                                            "/tmp/htkg-bench-reports with --reuse)")
    ap.add_argument("--reuse", action="store_true", help="reuse the store if it was built")
    ap.add_argument("-n", type=int, default=10, help="warm runs")
    ap.add_argument("--cold", type=int, default=5, help="fresh-process runs of each command")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--jvm-args", help="also measure cold runs with these JVM options")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or (Path("/tmp/htkg-bench-reports") if args.reuse else Path(tmp) / "store")
        from htkg.graph import embedded
        if args.reuse and embedded.current_generation(db) is not None:
            print(f"reused {db}")
        else:
            print(build(db))
        w = warm(db, args.n)
        c = cold(db, args.cold, Path(tmp) / "report.html") if args.cold else None
        j = (cold(db, args.cold, Path(tmp) / "report.html", args.jvm_args)
             if args.cold and args.jvm_args else None)
    print(f"load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    print(f"warm, {COUNTRY} (store open; model + page, {args.n} runs): median {w['median']:.3f} s "
          f"(model {w['model']:.3f} s, page {w['page']:.3f} s), worst {w['worst']:.3f} s, "
          f"first {w['first']:.3f} s; page {w['size'] / 1024:,.0f} KiB")
    print(f"  target {WARM_TARGET:.1f} s: {w['median'] / WARM_TARGET:.2f} of it "
          f"({'met' if w['median'] < WARM_TARGET else 'MISSED'})")
    ok = w["median"] < WARM_TARGET
    if c:
        print(f"cold ({args.cold} runs each, medians): htkg stats {c['stats']:.2f} s "
              f"(CPU {c['stats_cpu']:.2f} s); htkg report country {COUNTRY} {c['report']:.2f} s "
              f"(CPU {c['report_cpu']:.2f} s)")
        print(f"  = start-up + {c['extra']:.2f} s (CPU: + {c['extra_cpu']:.2f} s); target "
              f"start-up + {COLD_TARGET:.1f} s: {c['extra'] / COLD_TARGET:.2f} of it "
              f"({'met' if c['extra'] < COLD_TARGET else 'MISSED'}); report / start-up "
              f"{c['report'] / c['stats']:.2f}")
        ok = ok and c["extra"] < COLD_TARGET
    if j:
        print(f"cold with ARCADEDB_JVM_ARGS={args.jvm_args!r}: htkg stats {j['stats']:.2f} s "
              f"(CPU {j['stats_cpu']:.2f} s); report {j['report']:.2f} s (CPU "
              f"{j['report_cpu']:.2f} s) = start-up + {j['extra']:.2f} s (CPU: + "
              f"{j['extra_cpu']:.2f} s)")
    if args.check and not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
