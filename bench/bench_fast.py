"""A fresh `htkg` process against a warm shared server, beside the naive CSV script.

Builds (or, with --reuse, reuses) an embedded store of the full real data: what
htkg bundles (the registry, GOV.UK's organisations, the geography, the NRM
tables of ../shared/data, unless this checkout predates their bundling, when
they are given) and the seed minutes. Then, in one run, each in a
fresh process, in rounds (one run of each per round, so that the machine's
load falls on all alike):

* ``htkg query top-source-countries -p limit=10 --format csv``, ``htkg show
  "Home Office"`` and ``htkg stats``, reading through the store's background
  server, started once before the rounds (a record folder of the bench's own);
* ``../shared/bench/naive_top_countries.py ../shared/data``: a 20-line csv
  script that sums the same tables by nationality, without resolution, dual
  nationalities or reconciliation (the baseline of issue 16);
* with --cold K (default 3): the same query with ``HTKG_SERVER=off``, an engine
  of its own each time (the cost before issue 16).

It prints the median and worst of each, its ratio to the naive script's
median, and the load average. Targets: the query under 0.6 s (median), and
at most 0.35 of the naive script's time. --check exits 1 when one is missed.

The package is compiled to bytecode first, as an installed package is: the
measured processes then read ``.pyc`` files as a user's would (this
checkout's editable install would otherwise recompile htkg's modules in every
process where PYTHONDONTWRITEBYTECODE is set).

    .venv/bin/python bench/bench_fast.py [--reuse] [-n 9] [--cold 3] [--db DIR] [--check]
"""
from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NAIVE = SHARED / "bench" / "naive_top_countries.py"
TARGET_S = 0.6
TARGET_RATIO = 0.35
QUERY = ("query", "top-source-countries", "-p", "limit=10", "--format", "csv")


def inputs() -> list[Path]:
    """What to build from, beside what htkg bundles: the seed minutes, and the shared NRM
    tables when they are not bundled (as bench_reports.py)."""
    minutes = SHARED / "seeds" / "idmg-minutes-2013-03-11.txt"
    bundled = any((ROOT / "data" / "figures").rglob("nrm_referrals_*"))
    paths = [minutes] if bundled else [SHARED / "data" / "nrm", SHARED / "data" / "nrm-archive",
                                       minutes]
    missing = [p for p in [*paths, SHARED / "data", NAIVE] if not p.exists()]
    if missing:
        sys.exit(f"bench_fast: {', '.join(map(str, missing))} absent; the shared data must "
                 f"sit beside this checkout")
    return paths


def htkg_command() -> list[str]:
    """The installed console script, as a user runs it."""
    script = Path(sys.executable).with_name("htkg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "htkg"]


def compile_package() -> None:
    """Bytecode for htkg's own modules, as ``pip install`` leaves it."""
    skip = re.compile(r"[/\\](\.venv|\.git|tests|bench|docs|scripts|build|dist|data)([/\\]|$)")
    compileall.compile_dir(str(ROOT), quiet=1, rx=skip)


def build(db: Path, env: dict) -> str:
    t = time.perf_counter()
    proc = subprocess.run([*htkg_command(), "build", *map(str, inputs()), "--db", str(db),
                           "--no-map"], capture_output=True, text=True, env=env)
    if proc.returncode:
        sys.exit(f"bench_fast: the build failed: {proc.stderr.strip()}")
    counts = subprocess.run([*htkg_command(), "stats", "--db", str(db), "--format", "csv"],
                            capture_output=True, text=True, env=env, check=True).stdout
    rels = sum(int(line.rsplit(",", 1)[1]) for line in counts.splitlines()
               if line.startswith("relationship,"))
    nodes = sum(int(line.rsplit(",", 1)[1]) for line in counts.splitlines()
                if line.startswith("label,"))
    return f"built {nodes} nodes, {rels} relationships in {time.perf_counter() - t:.1f} s"


def timed(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    took = time.perf_counter() - t
    if proc.returncode or not proc.stdout.strip():
        sys.exit(f"bench_fast: {' '.join(cmd)} failed: {proc.stderr.strip()}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="store directory (default: a temporary one, or "
                                            "/tmp/htkg-bench-fast with --reuse)")
    ap.add_argument("--reuse", action="store_true", help="reuse the store if it was built")
    ap.add_argument("-n", type=int, default=9, help="rounds (fresh processes of each)")
    ap.add_argument("--cold", type=int, default=3,
                    help="runs of the query with HTKG_SERVER=off (0: none)")
    ap.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Path(tmp) / "run"
        runtime.mkdir(mode=0o700)
        env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HTKG_SERVER": "on",
               "HTKG_SERVER_IDLE": "30m"}
        db = args.db or (Path("/tmp/htkg-bench-fast") if args.reuse else Path(tmp) / "store")
        compile_package()
        if args.reuse and (db / "current").exists():
            print(f"reused {db}", file=sys.stderr)
        else:
            print(build(db, env), file=sys.stderr)
        htkg = [*htkg_command()]
        runs = {"query": [*htkg, *QUERY, "--db", str(db)],
                "show": [*htkg, "show", "Home Office", "--db", str(db)],
                "stats": [*htkg, "stats", "--db", str(db)],
                "naive": [sys.executable, str(NAIVE), str(SHARED / "data")]}
        times: dict[str, list[float]] = {name: [] for name in runs}
        times["query, HTKG_SERVER=off"] = []
        load_before = os.getloadavg()
        try:
            timed(runs["stats"], env)                      # starts the server: not counted
            for name, cmd in runs.items():                 # one untimed run of each
                timed(cmd, env)
            for _ in range(args.n):
                for name, cmd in runs.items():
                    times[name].append(timed(cmd, env))
            for _ in range(args.cold):
                times["query, HTKG_SERVER=off"].append(
                    timed(runs["query"], {**env, "HTKG_SERVER": "off"}))
        finally:
            subprocess.run([*htkg, "server", "stop", "--db", str(db)], env=env,
                           capture_output=True)
        load_after = os.getloadavg()
    naive = statistics.median(times["naive"])
    print(f"load average {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end "
          f"({os.cpu_count()} cores); {args.n} fresh processes each, in rounds")
    print(f"{'command':<58} {'median':>8} {'worst':>8} {'x naive':>8}")
    labels = {"query": "htkg " + " ".join(QUERY), "show": 'htkg show "Home Office"',
              "stats": "htkg stats", "naive": "naive_top_countries.py (csv, no resolution)",
              "query, HTKG_SERVER=off": "the query, HTKG_SERVER=off (an engine of its own)"}
    for name, values in times.items():
        if values:
            med = statistics.median(values)
            print(f"{labels[name]:<58} {med:>6.2f} s {max(values):>6.2f} s {med / naive:>7.2f}x")
    query = statistics.median(times["query"])
    met = query < TARGET_S and query / naive <= TARGET_RATIO
    print(f"targets: query under {TARGET_S} s ({query:.2f} s) and at most {TARGET_RATIO}x the "
          f"naive script ({query / naive:.2f}x): {'met' if met else 'missed'}")
    if args.check and not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
