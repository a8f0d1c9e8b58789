"""Load test of `htkg app` on the full real data, on loopback only: 8 clients, a mix of
search, entity, saved-query and report pages, latency percentiles, and the app's
memory at the start and the end.

Builds (or, with --reuse, reuses) the store bench_reports.py builds: the registry,
every NRM table and the seed minutes. Starts `htkg app --port 0` on 127.0.0.1 in a
process of its own (stopped on every path), asks it for a warm-up, then sends
--requests requests (default 10,000) from --clients threads (default 8), each with
its own keep-alive connection, drawing pages at random (seeded) from:

* search: /search?q= a name, an abbreviation or part of a name;
* entity: /entity/ID for any entity of the graph (drawn from all of them);
* query: a saved query's results page with typical parameters;
* report: a country or nation page, or the report file itself.

It stops at the count or at --max-seconds, whichever comes first. The warm-up is 300
searches and one visit to each report; the latencies of each entity and query page's
first request (the app keeps what it read, so later ones are answered from memory) are
also given apart. Memory is the app process's resident set (VmRSS; the embedded
database's JVM runs in it), read after the warm-up, every 1,000 requests, and at the end.

    .venv/bin/python bench/bench_app.py [--reuse] [--requests 10000] [--clients 8]
        [--max-seconds 900] [--check]

Targets: p95 under 150 ms for entity and query pages; memory flat (the end within
10% of the start). --check exits 1 when one is missed.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import bench_reports  # noqa: E402  (the same full build as the report benchmark)

HOST = "127.0.0.1"
TARGET_MS = 150.0
FLAT = 0.10
BY_PATH: dict[str, list[float]] = {}     # latencies (ms) of the measured run, by address
SEEN: set[str] = set()                    # every address asked for since the app started
FIRST: dict[str, list[float]] = {}        # latencies of each address's first request, by kind
MIX = {"search": 0.25, "entity": 0.35, "query": 0.30, "report": 0.10}
SEARCHES = ["GLA", "Salvation", "Nigeria", "Home Office", "police", "Scottish Executive",
            "Albanian", "NCA", "Barnardo", "council", "Vietnam", "Gangmasters", "Wales",
            "Modern Slavery", "FCO", "Eritrea", "Royal Mail", "Migrant Help", "agriculture",
            "Kalayaan"]
COUNTRIES = ["Nigeria", "Albania", "Vietnam", "Eritrea", "Sudan", "Romania", "India", "China"]
NATIONS = ["Scotland", "Wales", "Northern Ireland", "England"]
QUERIES = [
    ("top-source-countries", {"limit": "20"}),
    ("top-source-countries", {"year": "2023", "quarter": "4"}),
    ("top-source-countries", {"nation": "Scotland"}),
    ("frontline-organisations", {}),
    ("unengaged-frontline", {}),
    ("regulated-sectors", {}),
    ("successors", {}),
    ("actions", {"owner": "Home Office"}),
    ("attendance", {"meeting": "2013-03-11"}),
    ("organisations", {"kind": "police_force", "nation": "Wales"}),
    ("organisations", {"kind": "ngo"}),
    ("connection", {"from": "Royal Mail", "to": "Home Office"}),
    ("connection", {"from": "GLAA", "to": "Nigeria"}),
    ("organisation-profile", {"organisation": "Salvation Army"}),
    ("mentions", {"entity": "Nigeria"}),
] + [(q, {"country": c}) for c in COUNTRIES[:4]
     for q in ("country-links", "referrals-by-quarter", "responders", "exploitation-types")]


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used (its JVM's threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def entities(db: Path) -> list[str]:
    """Every entity id of the store (read before the app opens it)."""
    htkg = str(Path(sys.executable).with_name("htkg"))
    out = subprocess.run([htkg, "cypher", "MATCH (n) RETURN n.id AS id", "--format", "json",
                          "--db", str(db)], check=True, capture_output=True, text=True).stdout
    return [r["id"] for r in json.loads(out) if r["id"]]


def pages(ids: list[str]) -> dict[str, list[str]]:
    """The addresses each kind of page is drawn from."""
    reports = [f"/country/{quote(c)}" for c in COUNTRIES] + [
        f"/nation/{quote(n)}" for n in NATIONS] + [
        f"/country/{quote(c)}/report.html" for c in COUNTRIES[:3]]
    return {
        "search": [f"/search?{urlencode({'q': s})}" for s in SEARCHES],
        "entity": [f"/entity/{quote(i)}" for i in ids],
        "query": [f"/queries/{name}/results" + (f"?{urlencode(p)}" if p else "")
                  for name, p in QUERIES],
        "report": reports,
    }


class App:
    """`htkg app` on a free loopback port, stopped on every path."""

    def __init__(self, db: Path, timeout: float):
        htkg = str(Path(sys.executable).with_name("htkg"))
        self.proc = subprocess.Popen([htkg, "app", "--db", str(db), "--host", HOST, "--port", "0",
                                      "--timeout", str(timeout)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "http://" not in line:
            self.stop()
            sys.exit(f"bench_app: htkg app did not start: {self.proc.stderr.read()[-1000:]}")
        address = line.split("serving the graph at ", 1)[1].split(" ", 1)[0]
        self.port = int(address.rstrip("/").rsplit(":", 1)[1])
        assert address.startswith(f"http://{HOST}:"), address      # loopback only

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run(port: int, pool: dict[str, list[str]], total: int, clients: int, max_seconds: float,
        seed: int, on_every: int, sample) -> tuple[dict[str, list[float]], list[str], float]:
    """Send ``total`` requests from ``clients`` threads; latencies (ms) by kind, errors."""
    latencies: dict[str, list[float]] = {k: [] for k in MIX}
    by_path = BY_PATH
    errors: list[str] = []
    lock = threading.Lock()
    sent = [0]
    stop_at = time.monotonic() + max_seconds
    kinds, weights = list(MIX), list(MIX.values())

    def client(n: int) -> None:
        rnd = random.Random(seed * 100 + n)
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        try:
            while True:
                with lock:
                    if sent[0] >= total or time.monotonic() > stop_at:
                        return
                    sent[0] += 1
                    count = sent[0]
                kind = rnd.choices(kinds, weights)[0]
                path = rnd.choice(pool[kind])
                t = time.perf_counter()
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=120)
                    status = f"{type(exc).__name__}"
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    latencies[kind].append(ms)
                    by_path.setdefault(path, []).append(ms)
                    if path not in SEEN:
                        SEEN.add(path)
                        FIRST.setdefault(kind, []).append(ms)
                    if status != 200:
                        errors.append(f"{status} {path}")
                if count % on_every == 0:
                    sample(count)
        finally:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies, errors, time.monotonic() - started


def fetch(port: int, path: str) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="store directory (default: a temporary one, or "
                                            "/tmp/htkg-bench-reports with --reuse)")
    ap.add_argument("--reuse", action="store_true", help="reuse the store if it was built")
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--max-seconds", type=float, default=900.0)
    ap.add_argument("--timeout", type=float, default=20.0, help="the app's time limit per page")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or (Path("/tmp/htkg-bench-reports") if args.reuse else Path(tmp) / "store")
        from htkg.graph import embedded
        if args.reuse and embedded.current_generation(db) is not None:
            print(f"reused {db}")
        else:
            print(bench_reports.build(db))
        ids = entities(db)
        pool = pages(ids)
        load_before = os.getloadavg()
        app = App(db, args.timeout)
        try:
            memory: list[tuple[int, float]] = []
            # Warm-up: searches (the JIT compiles the app's paths) and every report made
            # once; no entity or query page, so that their first requests are measured.
            warm, warm_errors, warm_s = run(app.port, {**pool, "entity": pool["search"],
                                                       "query": pool["search"],
                                                       "report": pool["search"]},
                                            300, args.clients, args.max_seconds,
                                            args.seed + 1, 10 ** 9, lambda n: None)
            for path in pool["report"]:          # every report made once, as after any use
                fetch(app.port, path)
                SEEN.add(path)
            memory.append((0, rss_mib(app.proc.pid)))
            BY_PATH.clear()
            FIRST.clear()
            cpu = cpu_seconds(app.proc.pid)
            latencies, errors, took = run(
                app.port, pool, args.requests, args.clients, args.max_seconds, args.seed, 1000,
                lambda n: memory.append((n, rss_mib(app.proc.pid))))
            memory.append((sum(map(len, latencies.values())), rss_mib(app.proc.pid)))
            cpu = cpu_seconds(app.proc.pid) - cpu
        finally:
            app.stop()
    load_after = os.getloadavg()
    done = sum(map(len, latencies.values()))
    print(f"load average before: {', '.join(f'{x:.1f}' for x in load_before)}; after: "
          f"{', '.join(f'{x:.1f}' for x in load_after)} (1, 5, 15 min) on {os.cpu_count()} cores")
    print(f"pool: {len(pool['entity'])} entities, {len(pool['search'])} searches, "
          f"{len(pool['query'])} saved-query pages, {len(pool['report'])} report pages; "
          f"warm-up {len(warm_errors)} errors in {sum(map(len, warm.values()))} requests")
    print(f"{done:,} requests from {args.clients} clients in {took:.1f} s "
          f"({done / took:.0f} per second), {len(errors)} not 200"
          + (f": {errors[:5]}" if errors else ""))
    print(f"the app's CPU (Python and its JVM): {cpu:.1f} s, {cpu / done * 1000:.1f} ms a request")
    print(f"{'page':<8}{'n':>7}{'p50':>8}{'p90':>8}{'p95':>8}{'p99':>8}{'max':>8}  (ms)")
    every = [v for vs in latencies.values() for v in vs]
    for kind, values in [*latencies.items(), ("all", every)]:
        if values:
            print(f"{kind:<8}{len(values):>7,}{statistics.median(values):>8.1f}"
                  f"{percentile(values, 90):>8.1f}{percentile(values, 95):>8.1f}"
                  f"{percentile(values, 99):>8.1f}{max(values):>8.1f}")
    print("of which the first request of an address (the app keeps what it read; the "
          "rest asked again):")
    for kind, values in FIRST.items():
        print(f"  {kind:<8}{len(values):>7,}{statistics.median(values):>8.1f}"
              f"{percentile(values, 90):>8.1f}{percentile(values, 95):>8.1f}"
              f"{percentile(values, 99):>8.1f}{max(values):>8.1f}")
    slowest = sorted(BY_PATH.items(), key=lambda kv: -statistics.median(kv[1]))[:6]
    print("slowest addresses (median ms, n): " + "; ".join(
        f"{path} {statistics.median(v):.0f} ({len(v)})" for path, v in slowest))
    start, end = memory[0][1], memory[-1][1]
    print("memory, RSS of the app (JVM included), MiB: " + ", ".join(
        f"{n:,}: {m:.0f}" for n, m in memory))
    growth = (end - start) / start
    print(f"  start {start:.0f} MiB, end {end:.0f} MiB ({growth:+.1%})")
    ok = True
    for kind in ("entity", "query"):
        p95 = percentile(latencies[kind], 95) if latencies[kind] else float("inf")
        met = p95 < TARGET_MS
        ok = ok and met
        print(f"target: {kind} p95 under {TARGET_MS:.0f} ms: {p95:.1f} ms "
              f"({'met' if met else 'MISSED'})")
    flat = abs(growth) <= FLAT
    print(f"target: memory flat (end within {FLAT:.0%} of start): {growth:+.1%} "
          f"({'met' if flat else 'MISSED'})")
    if args.check and not (ok and flat and not errors):
        sys.exit(1)


if __name__ == "__main__":
    main()
